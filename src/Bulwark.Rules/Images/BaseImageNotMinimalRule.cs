using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.Images;

public sealed class BaseImageNotMinimalRule : Rule<DockerfileDocument>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW2001",
        Slug = "base-image-not-minimal",
        Title = "Final image is built on a full operating-system image",
        Severity = Severity.Low,
        Category = "Images",
        Sources = [SourceKind.Dockerfile],
        Rationale = """
            A full distribution image (ubuntu, debian, centos, fedora, or a language image such as node or python
            built on one) ships a shell, a package manager and hundreds of packages the application never uses.
            Each is attack surface for whoever gets code execution in the container, and each brings its own
            vulnerabilities to patch. Only the final stage matters: builder stages do not ship.
            """,
        Remediation = "Build the final stage on a minimal image: an `-alpine` or `-slim` variant, a distroless image (`gcr.io/distroless/…`), a Chainguard image, or `ubi-micro`/`ubi-minimal`; keep compilers and package managers in builder stages.",
        References =
        [
            new("CIS Docker Benchmark", "4.3: Ensure that unnecessary packages are not installed in the container"),
            new("NIST SP 800-190", "4.1.1: Image vulnerabilities"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Dockerfile, """
                FROM node:22 # expect: BW2001
                COPY . /app
                CMD ["node", "/app/server.js"]
                """),
            RuleExample.Good(SourceKind.Dockerfile, """
                FROM golang:1.23 AS build
                RUN go build -o /out/app .
                FROM gcr.io/distroless/static-debian12:nonroot
                COPY --from=build /out/app /app
                CMD ["/app"]
                """),
            RuleExample.Good(SourceKind.Dockerfile, """
                FROM python:3.12-slim-bookworm
                CMD ["python3"]
                """),
        ],
    };

    // Distribution images and the language images built on full distributions; matched on the last path
    // component of the repository, so mirrors (docker.io/library/ubuntu, public.ecr.aws/docker/library/node) count.
    private static readonly HashSet<string> FullImages = new(StringComparer.Ordinal)
    {
        "ubuntu", "debian", "centos", "fedora", "rockylinux", "almalinux", "amazonlinux", "oraclelinux", "opensuse", "leap", "tumbleweed",
        "archlinux", "buildpack-deps", "ubi", "ubi7", "ubi8", "ubi9", "ubi10", "node", "python", "ruby", "golang", "openjdk", "php", "perl",
        "rust", "maven", "gradle", "eclipse-temurin", "elixir", "erlang", "haskell", "swift", "r-base", "julia", "clojure", "groovy", "gcc",
    };

    private static readonly string[] MinimalMarkers = ["alpine", "slim", "minimal", "micro", "distroless", "chiseled", "busybox", "nano", "static", "scratch"];

    public override void Evaluate(DockerfileDocument target, RuleContext context)
    {
        var root = DockerfileScope.FinalImageStages(target).LastOrDefault();
        if (root is null || root.IsScratch || root.BaseImage is not { } image || root.ResolvedBaseName is not { } name || !DockerfileScope.IsImageName(name))
        {
            return;
        }

        var repository = image.Repository;
        var last = repository[(repository.LastIndexOf('/') + 1)..];
        if (!FullImages.Contains(last) || MinimalMarkers.Any(m => name.Contains(m, StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }

        var suggestion = last switch
        {
            "ubuntu" or "debian" or "buildpack-deps" => "alpine, a distroless image or a Chainguard image (or `debian:*-slim`)",
            "centos" or "fedora" or "rockylinux" or "almalinux" or "oraclelinux" or "ubi" or "ubi7" or "ubi8" or "ubi9" or "ubi10" =>
                "`ubi-micro` or `ubi-minimal`, a distroless image or a Chainguard image",
            _ => $"`{last}:<version>-slim` or `{last}:<version>-alpine`, a distroless image or a Chainguard image",
        };
        context.Report(Descriptor, target, DockerfileScope.AtFirstArgument(root.From),
            $"The final image is built on {name}, a full operating-system image; consider {suggestion}.");
    }
}

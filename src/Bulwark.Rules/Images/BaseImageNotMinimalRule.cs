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
            vulnerabilities to patch. Only the final stage matters: builder stages do not ship. The finding names
            the smaller variants that image's publisher offers (Ubuntu has no slim tag; golang, rust and gcc are
            build environments whose binaries belong on distroless or scratch; openjdk is deprecated in favour of
            Eclipse Temurin's JRE images). Windows base images are not judged.
            """,
        Remediation = "Build the final stage on a minimal image: the `-slim` or `-alpine` variant the image offers (the finding names them), a distroless image (`gcr.io/distroless/…`), a Chainguard image, or `ubi-micro`/`ubi-minimal`; keep compilers and package managers in builder stages.",
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
            RuleExample.Bad(SourceKind.Dockerfile, """
                FROM maven:3.9-eclipse-temurin-21 AS build
                RUN mvn -q package
                FROM openjdk:17-jdk # expect: BW2001
                COPY --from=build /target/app.jar /app.jar
                CMD ["java", "-jar", "/app.jar"]
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

    private static readonly string[] MinimalMarkers = ["alpine", "slim", "minimal", "micro", "distroless", "chiseled", "chiselled", "busybox", "nano", "static", "scratch"];

    public override void Evaluate(DockerfileDocument target, RuleContext context)
    {
        var root = DockerfileScope.FinalImageStages(target).LastOrDefault();
        if (root is null || root.IsScratch || root.BaseImage is not { } image || root.ResolvedBaseName is not { } name || !DockerfileScope.IsImageName(name)
            || MinimalMarkers.Any(m => name.Contains(m, StringComparison.OrdinalIgnoreCase))

            // Windows base images have their own trade-offs (Server Core against Nano Server) and no Linux variants.
            || root.IsWindowsBase
            || BaseImages.SmallerAlternative(image) is not { } suggestion)
        {
            return;
        }

        context.Report(Descriptor, target, DockerfileScope.AtFirstArgument(root.From),
            $"The final image is built on {name}, a full operating-system image; consider {suggestion}.");
    }
}

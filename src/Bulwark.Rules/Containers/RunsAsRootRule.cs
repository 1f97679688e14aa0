using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Parsing.Images;
using Bulwark.Rules.Images;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.Containers;

public sealed class RunsAsRootRule : Rule<Workload, DockerfileDocument, ContainerImage>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1005",
        Slug = "runs-as-root",
        Title = "Container may run as root",
        Severity = Severity.Medium,
        MinimumSeverity = Severity.Low,
        MaximumSeverity = Severity.High,
        SeverityNote = "Medium when nothing sets a user, so the image's USER decides; high when the input itself says root (`runAsUser: 0`, `user: root`, `USER root` or `USER 0` in the final stage); low in a pod with its own user namespace (`hostUsers: false`), where UID 0 is an unprivileged UID on the node.",
        Category = "Users",
        Sources = [SourceKind.Kubernetes, SourceKind.Compose, SourceKind.DockerInspect, SourceKind.Dockerfile, SourceKind.Image],
        PodSecurityChecks = ["runAsNonRoot", "runAsUser"],
        Rationale = """
            Root in a container is root on the host kernel, held back only by capabilities, seccomp and
            namespaces; one kernel or runtime bug turns it into root on the node. Without `runAsNonRoot: true`
            the image's USER decides, and most images leave it as root.
            """,
        Remediation = "Set `runAsNonRoot: true` and a non-zero `runAsUser` (e.g. 1000) in the pod or container securityContext, and build the image with a non-root USER (in the Dockerfile's final stage; the finding's fix uses what the base image has: `adduser` on Alpine, `useradd` on Debian, the built-in `nonroot` user on distroless, a numeric `USER 10001:10001` on scratch).",
        References =
        [
            new("Pod Security Standards", "restricted: Running as Non-root", "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted"),
            new("CIS Kubernetes Benchmark", "5.2.7"),
            new("CIS Docker Benchmark", "4.1"),
            new("NSA/CISA Kubernetes Hardening Guide", "Use containers built to run applications as non-root users"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: app
                spec:
                  containers:
                    - name: implicit # expect: BW1005
                      image: app:1.0.0
                    - name: explicit
                      image: app:1.0.0
                      securityContext:
                        runAsUser: 0 # expect: BW1005
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: app
                spec:
                  securityContext:
                    runAsNonRoot: true
                    runAsUser: 1000
                  containers:
                    - name: app
                      image: app:1.0.0
                """),
            RuleExample.Bad(SourceKind.Compose, """
                services:
                  app: # expect: BW1005
                    image: app:1.0.0
                  admin:
                    image: app:1.0.0
                    user: root # expect: BW1005
                """),
            RuleExample.Good(SourceKind.Compose, """
                services:
                  app:
                    image: app:1.0.0
                    user: "1000:1000"
                """),
            RuleExample.Bad(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/app",
                    "Config": {
                      "Image": "app:1.0.0",
                      "User": "" // expect: BW1005
                    },
                    "HostConfig": { "Privileged": false }
                  }
                ]
                """),
            RuleExample.Good(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/app",
                    "Config": {
                      "Image": "app:1.0.0",
                      "User": "1000:1000"
                    },
                    "HostConfig": { "Privileged": false }
                  }
                ]
                """),
            RuleExample.Bad(SourceKind.Dockerfile, """
                FROM golang:1.23 AS build
                USER 1000
                RUN go build -o /app .
                FROM debian:12-slim # expect: BW1005
                COPY --from=build /app /app
                CMD ["/app"]
                """),
            RuleExample.Bad(SourceKind.Dockerfile, """
                FROM golang:1.23 AS build
                RUN CGO_ENABLED=0 go build -o /app .
                FROM gcr.io/distroless/static-debian12 # expect: BW1005
                COPY --from=build /app /app
                ENTRYPOINT ["/app"]
                """),
            RuleExample.Bad(SourceKind.Dockerfile, """
                FROM alpine:3.20
                ARG RUN_AS=0
                RUN adduser -D app
                USER app
                USER ${RUN_AS}:0 # expect: BW1005
                """),
            RuleExample.Good(SourceKind.Dockerfile, """
                FROM alpine:3.20
                RUN addgroup -S app && adduser -S app -G app
                USER app
                CMD ["/usr/local/bin/app"]
                """),
        ],
    };

    private static readonly SourceText Fix = new(
        "Set `runAsNonRoot: true` and a non-zero `runAsUser` (e.g. 1000) in the pod or container securityContext, and build the image with a non-root USER.",
        "Set `user: \"1000:1000\"` (a non-root UID) on the service, and build the image with a non-root USER.",
        "Run the container with `--user 1000:1000` (a non-root UID), and build the image with a non-root USER.");

    public override void Evaluate(Workload target, RuleContext context)
    {
        if (target.OperatingSystem == "windows")
        {
            return;
        }

        // With a user namespace (hostUsers: false) UID 0 in the pod maps to an unprivileged host UID.
        var userNamespace = target.HostUsers is { Value: false };
        foreach (var container in target.Containers)
        {
            if (container.RunAsUser is { Value: 0 } root)
            {
                context.Report(Descriptor, target, root.Location, $"Container \"{container.Name}\" runs as UID 0 (root).",
                    container.Name, userNamespace ? Severity.Low : Severity.High, Fix.For(target.Source));
            }
            else if (container.UserName is { } name && (name.Value == "root" || name.Value.StartsWith("root:", StringComparison.Ordinal)))
            {
                context.Report(Descriptor, target, name.Location, $"Container \"{container.Name}\" runs as user {name.Value}.",
                    container.Name, userNamespace ? Severity.Low : Severity.High, Fix.For(target.Source));
            }
            else if (container.RunAsNonRoot is not { Value: true } && container.RunAsUser is null && container.UserName is null)
            {
                var at = container.RunAsNonRoot?.Location ?? container.SecurityContextLocation;
                var message = target.Source == SourceKind.Kubernetes
                    ? $"Container \"{container.Name}\" sets neither runAsNonRoot: true nor a non-zero runAsUser, so the image's USER decides (root unless the image says otherwise)."
                    : $"Container \"{container.Name}\" sets no user, so the image's USER decides (root unless the image says otherwise).";
                context.Report(Descriptor, target, at, message, container.Name, userNamespace ? Severity.Low : Severity.Medium, Fix.For(target.Source));
            }
        }
    }

    public override void Evaluate(DockerfileDocument target, RuleContext context)
    {
        if (target.FinalStage is not { } final || final.IsWindowsBase || BaseIsNonRoot(final))
        {
            return;
        }

        // The fix uses what the final image has: no `RUN adduser` on scratch or distroless.
        var fix = BaseImages.NonRootFix(BaseImages.FamilyOf(target));

        if (final.UserInstruction is not { } instruction || final.User is null)
        {
            context.Report(Descriptor, target, final.Location,
                "The final stage sets no USER, so the container runs as the base image's user (root unless the image says otherwise).",
                severity: Severity.Medium, remediation: fix);
            return;
        }

        var user = final.User.Trim();
        var name = user.Split(':')[0];
        if (name is "" or "root" or "0" || (name.Length > 1 && name.All(c => c == '0')))
        {
            var written = instruction.Arguments is [var arg, ..] ? arg.Value : user;
            var resolved = written.Contains('$', StringComparison.Ordinal)
                ? $" ({written} resolves to \"{user}\")"
                : string.Empty;
            var what = name.Length == 0 ? "an empty user, which means root" : "root";
            context.Report(Descriptor, target, DockerfileScope.AtFirstArgument(instruction),
                $"The final stage runs as {what}{resolved}.", severity: Severity.High, remediation: fix);
        }
    }

    public override void Evaluate(ContainerImage target, RuleContext context)
    {
        if (!target.HasConfig || target.OperatingSystem == "windows")
        {
            return;
        }

        var user = target.User?.Trim() ?? string.Empty;
        var name = user.Split(':')[0];
        if (name.Length == 0)
        {
            context.Report(Descriptor, target, target.Location,
                "The image config sets no user, so its containers run as root unless the runtime sets one.",
                severity: Severity.Medium, remediation: ImageFix);
        }
        else if (name == "root" || name.All(c => c == '0'))
        {
            context.Report(Descriptor, target, target.Location, $"The image config runs its containers as {user} (root).", severity: Severity.High, remediation: ImageFix);
        }
    }

    private const string ImageFix = "Rebuild the image with a non-root `USER` in the final stage (a numeric `USER 10001:10001` works on any base), and run it with `runAsNonRoot: true` or `--user`.";

    // Images documented to run as an unprivileged user by default: distroless `:nonroot` tags and Chainguard images.
    private static bool BaseIsNonRoot(DockerfileStage stage) =>
        stage.BaseImage is { } image
        && ((image.Tag?.Contains("nonroot", StringComparison.Ordinal) ?? false) || image.Registry == "cgr.dev");
}

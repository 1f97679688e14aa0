using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Parsing.Images;
using Bulwark.Rules.Images;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.Build;

public sealed class HealthcheckMissingRule : Rule<DockerfileDocument, ContainerImage>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW2012",
        Slug = "healthcheck-missing",
        Title = "Image has no HEALTHCHECK",
        Severity = Severity.Low,
        Category = "Availability",
        Sources = [SourceKind.Dockerfile, SourceKind.Image],
        Rationale = """
            Without a HEALTHCHECK, Docker and Compose only know whether the process exists, not whether it
            works: a hung or half-broken service keeps receiving traffic and is never restarted. (Kubernetes
            ignores HEALTHCHECK and uses its own probes; there, set liveness and readiness probes instead.)
            `HEALTHCHECK NONE` is a deliberate choice and is not reported.
            """,
        Remediation = "Add a HEALTHCHECK to the final stage that runs a program the image has, e.g. `HEALTHCHECK --interval=30s --timeout=3s CMD wget -qO- http://127.0.0.1:8080/healthz || exit 1` where wget exists, or the application's own check command (`CMD [\"/app\", \"healthcheck\"]`) on images without a shell such as scratch and distroless. Where an orchestrator checks health instead (Kubernetes probes), `HEALTHCHECK NONE` records that choice.",
        References =
        [
            new("CIS Docker Benchmark", "4.6: Ensure that HEALTHCHECK instructions have been added to container images"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Dockerfile, """
                FROM nginx:1.27-alpine # expect: BW2012
                COPY site/ /usr/share/nginx/html/
                """),
            RuleExample.Bad(SourceKind.Dockerfile, """
                FROM golang:1.23 AS build
                RUN CGO_ENABLED=0 go build -o /server .
                FROM scratch # expect: BW2012
                COPY --from=build /server /server
                ENTRYPOINT ["/server"]
                """),
            RuleExample.Good(SourceKind.Dockerfile, """
                FROM nginx:1.27-alpine
                COPY site/ /usr/share/nginx/html/
                HEALTHCHECK --interval=30s --timeout=3s CMD wget -qO- http://127.0.0.1/ || exit 1
                """),
            RuleExample.Good(SourceKind.Dockerfile, """
                FROM gcr.io/distroless/static-debian12:nonroot
                COPY server /server
                HEALTHCHECK --interval=30s --timeout=3s CMD ["/server", "healthcheck"]
                ENTRYPOINT ["/server"]
                """),
        ],
    };

    public override void Evaluate(DockerfileDocument target, RuleContext context)
    {
        if (target.FinalStage is not { } final
            || DockerfileScope.FinalImageStages(target).Any(s => s.InstructionsOf("HEALTHCHECK").Any()))
        {
            return;
        }

        // The suggested check must run a program the final image has: no wget on scratch or distroless.
        context.Report(Descriptor, target, final.Location, "The final stage has no HEALTHCHECK.", remediation: BaseImages.HealthcheckFix(BaseImages.FamilyOf(target)));
    }

    public override void Evaluate(ContainerImage target, RuleContext context)
    {
        // ["NONE"] is an explicit choice (an orchestrator probes instead); only an absent check is reported.
        if (target.HasConfig && target.Healthcheck is null && target.OperatingSystem != "windows")
        {
            context.Report(Descriptor, target, target.Location, "The image config has no HEALTHCHECK.",
                remediation: "Add a `HEALTHCHECK` to the image's Dockerfile (or a liveness probe where it runs on Kubernetes, which ignores HEALTHCHECK).");
        }
    }
}

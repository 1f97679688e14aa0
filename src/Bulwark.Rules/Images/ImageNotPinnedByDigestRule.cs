using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.Images;

public sealed class ImageNotPinnedByDigestRule : Rule<Workload, DockerfileDocument>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1015",
        Slug = "image-not-pinned-by-digest",
        Title = "Image is not pinned by digest",
        Severity = Severity.Info,
        Category = "Images",
        Sources = [SourceKind.Kubernetes, SourceKind.Compose, SourceKind.DockerInspect, SourceKind.Dockerfile],
        Rationale = """
            Even a version tag can be pushed again. A digest names exactly one image, so what was scanned and
            approved is what runs.
            """,
        Remediation = "Append the image digest: `my-app:1.2.3@sha256:<digest>` (tools such as crane, skopeo or Renovate can keep it current).",
        References =
        [
            new("CIS Docker Benchmark", "4.x (image provenance)"),
            new("SLSA", "Build integrity: pin dependencies", "https://slsa.dev/"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                spec:
                  containers:
                    - name: web
                      image: nginx:1.27.3 # expect: BW1015
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                spec:
                  containers:
                    - name: web
                      image: nginx:1.27.3@sha256:0000000000000000000000000000000000000000000000000000000000000000
                """),
            RuleExample.Bad(SourceKind.Compose, """
                services:
                  web:
                    image: nginx:1.27.3 # expect: BW1015
                """),
            RuleExample.Good(SourceKind.Compose, """
                services:
                  web:
                    image: nginx:1.27.3@sha256:0000000000000000000000000000000000000000000000000000000000000000
                """),
            RuleExample.Bad(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/web",
                    "Config": {
                      "Image": "nginx:1.27.3", // expect: BW1015
                      "User": "101"
                    },
                    "HostConfig": { "Privileged": false }
                  }
                ]
                """),
            RuleExample.Good(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/web",
                    "Config": {
                      "Image": "nginx:1.27.3@sha256:0000000000000000000000000000000000000000000000000000000000000000",
                      "User": "101"
                    },
                    "HostConfig": { "Privileged": false }
                  }
                ]
                """),
            RuleExample.Bad(SourceKind.Dockerfile, """
                FROM python:3.12-slim # expect: BW1015
                CMD ["python3"]
                """),
            RuleExample.Good(SourceKind.Dockerfile, """
                FROM python:3.12-slim@sha256:2ec5a4a5c3e919570f57675471f081d6299668d909feabd8d4803c6c61af666c
                CMD ["python3"]
                """),
        ],
    };

    public override void Evaluate(Workload target, RuleContext context)
    {
        foreach (var container in target.Containers)
        {
            if (container.Image is { } image && image.Value.Length > 0 && !ImageReference.Parse(image.Value).HasDigest)
            {
                context.Report(Descriptor, target, image.Location, $"Image {image.Value} of container \"{container.Name}\" is not pinned by digest.", container.Name);
            }
        }
    }

    public override void Evaluate(DockerfileDocument target, RuleContext context)
    {
        foreach (var stage in target.Stages)
        {
            if (stage.BaseStage is not null || stage.IsScratch || stage.ResolvedBaseName is not { } name
                || !DockerfileScope.IsImageName(name) || ImageReference.Parse(name).HasDigest)
            {
                continue;
            }

            context.Report(Descriptor, target, DockerfileScope.AtFirstArgument(stage.From),
                $"Base image {name} of {ImageTagMutableRule.StageName(stage)} is not pinned by digest.",
                remediation: "Add the digest to the base image (`FROM python:3.12.7-slim@sha256:…`) and let a bot such as Renovate or Dependabot update it.");
        }
    }
}

using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;

namespace Bulwark.Rules.Images;

public sealed class ImageNotPinnedByDigestRule : Rule<Workload>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1015",
        Slug = "image-not-pinned-by-digest",
        Title = "Image is not pinned by digest",
        Severity = Severity.Info,
        Category = "Images",
        Sources = [SourceKind.Kubernetes, SourceKind.Compose, SourceKind.DockerInspect],
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
}

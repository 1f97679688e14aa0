using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.Images;

public sealed class ImageTagMutableRule : Rule<Workload, DockerfileDocument>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1014",
        Slug = "image-tag-mutable",
        Title = "Image has no tag or uses latest",
        Severity = Severity.Medium,
        Category = "Images",
        Sources = [SourceKind.Kubernetes, SourceKind.Compose, SourceKind.DockerInspect, SourceKind.Dockerfile],
        Rationale = """
            An untagged image means `latest`, and `latest` moves: each node may pull a different image,
            rollbacks do not roll back, and an upstream change (or a compromised push) reaches production
            unreviewed.
            """,
        Remediation = "Use a fixed version tag (`my-app:1.2.3`), ideally with its digest (`my-app:1.2.3@sha256:…`).",
        References =
        [
            new("CIS Kubernetes Benchmark", "5.5.1"),
            new("NSA/CISA Kubernetes Hardening Guide", "Container image scanning and immutable tags"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                spec:
                  initContainers:
                    - name: init
                      image: busybox # expect: BW1014
                  containers:
                    - name: web
                      image: nginx:latest # expect: BW1014
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                spec:
                  containers:
                    - name: web
                      image: nginx:1.27.3
                """),
            RuleExample.Bad(SourceKind.Compose, """
                services:
                  web:
                    image: nginx:latest # expect: BW1014
                  cache:
                    image: redis # expect: BW1014
                """),
            RuleExample.Good(SourceKind.Compose, """
                services:
                  web:
                    image: nginx:1.27.3
                """),
            RuleExample.Bad(SourceKind.DockerInspect, """
                [
                  {
                    "Id": "4f1c2d",
                    "Name": "/web",
                    "Config": {
                      "Image": "nginx", // expect: BW1014
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
                      "Image": "nginx:1.27.3",
                      "User": "101"
                    },
                    "HostConfig": { "Privileged": false }
                  }
                ]
                """),
            RuleExample.Bad(SourceKind.Dockerfile, """
                ARG BASE_TAG=latest
                FROM golang AS build # expect: BW1014
                RUN go build -o /app .
                FROM alpine:${BASE_TAG} # expect: BW1014
                COPY --from=build /app /app
                """),
            RuleExample.Good(SourceKind.Dockerfile, """
                FROM golang:1.23 AS build
                RUN go build -o /app .
                FROM build AS test
                RUN go test ./...
                FROM scratch
                COPY --from=build /app /app
                """),
        ],
    };

    public override void Evaluate(Workload target, RuleContext context)
    {
        foreach (var container in target.Containers)
        {
            if (container.Image is not { } image || image.Value.Length == 0)
            {
                continue;
            }

            var reference = ImageReference.Parse(image.Value);
            if (reference.IsMutableTag)
            {
                var why = reference.Tag is null ? "has no tag, so it means latest" : "uses the latest tag";
                context.Report(Descriptor, target, image.Location, $"Image {image.Value} of container \"{container.Name}\" {why}.", container.Name);
            }
        }
    }

    public override void Evaluate(DockerfileDocument target, RuleContext context)
    {
        foreach (var stage in target.Stages)
        {
            if (stage.BaseStage is not null || stage.IsScratch || stage.ResolvedBaseName is not { } name
                || !DockerfileScope.IsImageName(name) || ImageReference.Parse(name) is not { IsMutableTag: true } reference)
            {
                continue;
            }

            var why = reference.Tag is null ? "has no tag, so it means latest" : "uses the latest tag";
            var resolved = name == stage.BaseName ? string.Empty : $" ({stage.BaseName} after ARG resolution)";
            context.Report(Descriptor, target, DockerfileScope.AtFirstArgument(stage.From),
                $"Base image {name}{resolved} of {StageName(stage)} {why}.",
                remediation: "Pin the base image to a version tag (`FROM python:3.12.7-slim`), ideally with its digest (`FROM python:3.12.7-slim@sha256:…`).");
        }
    }

    internal static string StageName(DockerfileStage stage) => stage.Name is { } n ? $"stage {n}" : $"stage {stage.Index + 1}";
}

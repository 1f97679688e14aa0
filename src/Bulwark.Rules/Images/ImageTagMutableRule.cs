using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Parsing.Images;
using Bulwark.Rules.Internal;

namespace Bulwark.Rules.Images;

public sealed class ImageTagMutableRule : Rule<Workload, DockerfileDocument, ContainerImage>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1014",
        Slug = "image-tag-mutable",
        Title = "Image tag is not a version",
        Severity = Severity.Medium,
        MinimumSeverity = Severity.Low,
        SeverityNote = "Low for a tag that names a channel or a variant instead of a version (`alpine`, `stable`, `lts`, `latest-*`, …): it moves too, but it is a visible choice.",
        Category = "Images",
        Sources = [SourceKind.Kubernetes, SourceKind.Compose, SourceKind.DockerInspect, SourceKind.Dockerfile, SourceKind.Image],
        Rationale = """
            An untagged image means `latest`, and `latest` moves: each node may pull a different image,
            rollbacks do not roll back, and an upstream change (or a compromised push) reaches production
            unreviewed. Tags that name a channel or a variant rather than a version (`alpine`, `slim`, `stable`,
            `edge`, `main`, `nightly`, `lts`, `latest-*`) move the same way and are reported at low severity.
            A version tag (`1`, `3.12-slim`, `v1.2.3-alpine`, a date or a commit hash, a distribution's own
            release codename such as `debian:bookworm`) is accepted: it can still receive patch rebuilds, which
            only a digest rules out (`image-not-pinned-by-digest`).
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
                    - name: metrics
                      image: quay.io/example/exporter:main # expect: BW1014
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                spec:
                  containers:
                    - name: web
                      image: nginx:1.27.3-alpine
                    - name: metrics
                      image: quay.io/example/exporter:v0.15.0
                    - name: debug
                      image: debian:bookworm-20240812-slim
                """),
            RuleExample.Bad(SourceKind.Compose, """
                services:
                  web:
                    image: nginx:latest # expect: BW1014
                  cache:
                    image: redis # expect: BW1014
                  queue:
                    image: rabbitmq:management-alpine # expect: BW1014
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
                FROM node:lts-alpine AS assets # expect: BW1014
                RUN npm ci && npm run build
                FROM alpine:${BASE_TAG} # expect: BW1014
                COPY --from=build /app /app
                """),
            RuleExample.Good(SourceKind.Dockerfile, """
                FROM golang:1.23 AS build
                RUN go build -o /app .
                FROM build AS test
                RUN go test ./...
                FROM debian:bookworm-slim AS certs
                RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates
                FROM scratch
                COPY --from=certs /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
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
                context.Report(Descriptor, target, image.Location, $"Image {image.Value} of container \"{container.Name}\" {Why(reference)}.", container.Name, SeverityOf(reference));
            }
        }
    }

    public override void Evaluate(ContainerImage target, RuleContext context)
    {
        // Only a name the user scanned by: an archive's own tag says nothing about how the image is deployed.
        if (target.Reference is { IsMutableTag: true } reference && target.ReferenceOrigin is not null)
        {
            context.Report(Descriptor, target, target.Location, $"Image {reference} ({target.ReferenceOrigin}) {Why(reference)}.", severity: SeverityOf(reference));
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

            var resolved = name == stage.BaseName ? string.Empty : $" ({stage.BaseName} after ARG resolution)";
            context.Report(Descriptor, target, DockerfileScope.AtFirstArgument(stage.From),
                $"Base image {name}{resolved} of {StageName(stage)} {Why(reference)}.", severity: SeverityOf(reference),
                remediation: "Pin the base image to a version tag (`FROM python:3.12.7-slim`), ideally with its digest (`FROM python:3.12.7-slim@sha256:…`).");
        }
    }

    private static string Why(ImageReference reference) => reference.TagKind switch
    {
        ImageTagKind.Missing => "has no tag, so it means latest",
        ImageTagKind.Latest => "uses the latest tag",
        _ => $"uses the tag {reference.Tag}, which names no version: it moves to whatever is published next under that name",
    };

    // `latest` and no tag are what every pull silently follows; a named channel is at least a visible choice.
    private static Severity SeverityOf(ImageReference reference) => reference.TagKind == ImageTagKind.Channel ? Severity.Low : Severity.Medium;

    internal static string StageName(DockerfileStage stage) => stage.Name is { } n ? $"stage {n}" : $"stage {stage.Index + 1}";
}

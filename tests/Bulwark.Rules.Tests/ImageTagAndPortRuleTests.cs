using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Rules.Tests;

/// <summary>Which image tags are versions, across every source, and which published ports listen on every interface.</summary>
public sealed class ImageTagAndPortRuleTests
{
    private static List<Finding> Run(string slug, string text, string path) =>
        TestScans.Run(BuiltInRules.All.Single(r => r.Descriptor.Slug == slug), text, path);

    [Theory]
    [InlineData("nginx", ImageTagKind.Missing)]
    [InlineData("nginx:latest", ImageTagKind.Latest)]
    [InlineData("nginx:1", ImageTagKind.Version)]
    [InlineData("python:3.12-slim", ImageTagKind.Version)]
    [InlineData("ghcr.io/example/api:v1.2.3-alpine", ImageTagKind.Version)]
    [InlineData("registry.example.com/app:20240101", ImageTagKind.Version)]
    [InlineData("registry.example.com/app:sha-1a2b3c4", ImageTagKind.Version)]
    [InlineData("registry.example.com/app:g1a2b3c4d", ImageTagKind.Version)]
    [InlineData("mcr.microsoft.com/windows/servercore:ltsc2022", ImageTagKind.Version)]
    [InlineData("mcr.microsoft.com/mssql/server:2022-latest", ImageTagKind.Version)]
    [InlineData("debian:bookworm", ImageTagKind.Version)]
    [InlineData("debian:bookworm-slim", ImageTagKind.Version)]
    [InlineData("ubuntu:jammy", ImageTagKind.Version)]
    [InlineData("buildpack-deps:noble-curl", ImageTagKind.Version)]
    [InlineData("bitnami/minideb:bookworm", ImageTagKind.Version)]
    [InlineData("node:iron-alpine", ImageTagKind.Version)]
    [InlineData("myapp:3.0.0-beta", ImageTagKind.Version)]
    [InlineData("alpine:edge", ImageTagKind.Channel)]
    [InlineData("redis:alpine", ImageTagKind.Channel)]
    [InlineData("postgres:alpine3.20", ImageTagKind.Channel)]
    [InlineData("python:bookworm", ImageTagKind.Channel)]
    [InlineData("debian:stable-slim", ImageTagKind.Channel)]
    [InlineData("debian:sid", ImageTagKind.Channel)]
    [InlineData("node:lts-alpine3.20", ImageTagKind.Channel)]
    [InlineData("jenkins/jenkins:lts-jdk17", ImageTagKind.Channel)]
    [InlineData("quay.io/calico/node:master", ImageTagKind.Channel)]
    [InlineData("ghcr.io/example/app:master-head", ImageTagKind.Channel)]
    [InlineData("ghcr.io/getsentry/snuba:nightly", ImageTagKind.Channel)]
    [InlineData("datadog/agent:latest-jmx", ImageTagKind.Channel)]
    [InlineData("nginx:mainline", ImageTagKind.Channel)]
    [InlineData("gcr.io/distroless/static:nonroot", ImageTagKind.Channel)]
    [InlineData("app:{{ .Values.tag }}", ImageTagKind.Unknown)]
    [InlineData("nginx:latest@sha256:0000000000000000000000000000000000000000000000000000000000000000", ImageTagKind.Version)]
    public void Tags_that_are_not_versions(string image, ImageTagKind kind) =>
        Assert.Equal(kind, ImageReference.Parse(image).TagKind);

    [Fact]
    public void A_channel_tag_is_reported_below_latest_in_every_source()
    {
        const string compose = "services:\n  web:\n    image: nginx:latest\n  cache:\n    image: redis:alpine\n  db:\n    image: postgres:16.4-alpine\n";
        Assert.Equal([(3, Severity.Medium), (5, Severity.Low)], Run("image-tag-mutable", compose, "compose.yaml").Select(f => (f.Location.Line, f.Severity)));

        const string pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: quay.io/example/web:main\n";
        var finding = Assert.Single(Run("image-tag-mutable", pod, "pod.yaml"));
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Contains("uses the tag main, which names no version", finding.Message, StringComparison.Ordinal);

        const string dockerfile = "ARG CHANNEL=stable\nFROM debian:${CHANNEL}-slim\nCMD [\"sh\"]\n";
        finding = Assert.Single(Run("image-tag-mutable", dockerfile, "Dockerfile"));
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Contains("debian:stable-slim (debian:${CHANNEL}-slim after ARG resolution)", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Published_ports_are_reported_unless_bound_to_an_address()
    {
        const string compose = """
            services:
              db:
                image: postgres:16.4-alpine
                ports:
                  - "5432:5432"
                  - "127.0.0.1:5433:5432"
                  - "[::]:5434:5432"
                  - "9187"
                  - target: 8080
                    published: "18080"
                    host_ip: 10.0.0.5
                expose:
                  - "5432"
            """;
        var findings = Run("port-published-on-all-interfaces", compose, "compose.yaml");

        Assert.Equal([5, 7, 8], findings.Select(f => f.Location.Line));
        Assert.Equal("Container \"db\" publishes port 5432/tcp on every host interface, past the host firewall.", findings[0].Message);
        Assert.Contains("(::)", findings[1].Message, StringComparison.Ordinal);
        Assert.Contains("container port 9187/tcp on a random host port", findings[2].Message, StringComparison.Ordinal);
        Assert.All(findings, f => Assert.Equal(Severity.Low, f.Severity));
        Assert.Contains("127.0.0.1:HOST:CONTAINER", findings[0].EffectiveRemediation, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_network_services_and_pods_are_left_to_their_own_rules()
    {
        const string compose = "services:\n  proxy:\n    image: traefik:v3.1\n    network_mode: host\n    ports:\n      - \"80:80\"\n";
        Assert.Empty(Run("port-published-on-all-interfaces", compose, "compose.yaml"));

        const string pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      ports:\n        - containerPort: 80\n          hostPort: 8080\n";
        Assert.Empty(Run("port-published-on-all-interfaces", pod, "pod.yaml"));
        Assert.Single(Run("host-port", pod, "pod.yaml"));
    }

    [Fact]
    public void Docker_port_bindings_on_every_interface_are_reported()
    {
        const string inspect = """
            [
              {
                "Id": "9a8b7c",
                "Name": "/cache",
                "Config": { "Image": "redis:7.4-alpine", "User": "999" },
                "HostConfig": {
                  "PortBindings": {
                    "6379/tcp": [ { "HostIp": "0.0.0.0", "HostPort": "6379" } ],
                    "6380/tcp": [ { "HostIp": "127.0.0.1", "HostPort": "6380" } ],
                    "6381/tcp": [ { "HostIp": "", "HostPort": "" } ]
                  }
                }
              }
            ]
            """;
        var findings = Run("port-published-on-all-interfaces", inspect, "inspect.json");

        Assert.Equal([8, 10], findings.Select(f => f.Location.Line));
        Assert.Contains("(0.0.0.0)", findings[0].Message, StringComparison.Ordinal);
        Assert.Contains("on a random host port", findings[1].Message, StringComparison.Ordinal);
        Assert.Contains("docker run -p 127.0.0.1:", findings[0].EffectiveRemediation, StringComparison.Ordinal);
    }
}

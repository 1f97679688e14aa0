using Bulwark.Core.Findings;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Rules.Tests.Secrets;

/// <summary>secret-in-environment on the cases its examples do not show: sharing, Secret references, severities, messages.</summary>
public sealed class SecretInEnvironmentRuleTests
{
    private static List<Finding> Run(string text, string path = "compose.yaml") =>
        TestScans.Run(BuiltInRules.All.Single(r => r.Descriptor.Slug == "secret-in-environment"), text, path);

    [Fact]
    public void A_secret_under_a_YAML_anchor_is_one_finding_at_the_anchor_naming_every_service()
    {
        const string text = """
            x-backend: &backend
              environment:
                DJANGO_SECRET_KEY: 7h#k2w9q1zv4m8n0p3r6tXy
                LOG_LEVEL: info
            services:
              web:
                <<: *backend
                image: shop-web:3.1.0
              worker:
                <<: *backend
                image: shop-web:3.1.0
              beat:
                <<: *backend
                image: shop-web:3.1.0
            """;
        var finding = Assert.Single(Run(text));
        Assert.Equal(3, finding.Location.Line);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains("services \"web\", \"worker\", \"beat\"", finding.Message, StringComparison.Ordinal);
        Assert.Equal("web", finding.Object?.Name);
    }

    [Fact]
    public void A_service_that_overrides_the_anchored_value_gets_its_own_finding()
    {
        const string text = """
            x-env: &env
              API_TOKEN: Zk4Lw9Qe2Rt7Yu1Io3Pa5SdFg
            services:
              a:
                image: a:1.0.0
                environment: *env
              b:
                image: b:1.0.0
                environment:
                  <<: *env
                  API_TOKEN: Qm8Vb2Nc5Xz1Lk7Jh4Gf3Ds
            """;
        var findings = Run(text);
        Assert.Equal([2, 11], findings.Select(f => f.Location.Line).Order());
        Assert.All(findings, f => Assert.Contains("container", f.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Severity_follows_what_the_value_is()
    {
        const string text = """
            services:
              app:
                image: app:1.0.0
                environment:
                  GITHUB_TOKEN: ghp_Zq7Xk2Lw9Rt4Vb8Nm3Pd6Hs1Jf5Gc0Ya2Ue7
                  DB_PASSWORD: Vq8#mZ2!rT5w
                  ADMIN_PASSWORD: admin
                  SMTP_PASSWORD: changeme
                  AIRFLOW__CORE__FERNET_KEY: Zq7Xk2Lw9Rt4Vb8Nm3Pd6Hs1Jf5Gc0Ya2Ue7Tq9Zp2X=
                  WEBHOOK_OS: linux
                  REGISTRY_AUTH: htpasswd
                  SECRET_LOCAL_HOSTNAME: 0.0.0.0
                  DB_PASSWORD_FILE: /run/secrets/db
            """;
        var byLine = Run(text).ToDictionary(f => f.Location.Line);
        Assert.Equal([5, 6, 7, 8, 9], byLine.Keys.Order());
        Assert.Equal(Severity.Critical, byLine[5].Severity);
        Assert.Contains("a GitHub token", byLine[5].Message, StringComparison.Ordinal);
        Assert.Equal(Severity.High, byLine[6].Severity);
        Assert.Equal(Severity.High, byLine[7].Severity);
        Assert.Contains("weak or default", byLine[7].Message, StringComparison.Ordinal);
        Assert.Equal(Severity.Low, byLine[8].Severity);
        Assert.Contains("placeholder", byLine[8].Message, StringComparison.Ordinal);
        Assert.DoesNotContain("rotate", byLine[8].Remediation ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(Severity.High, byLine[9].Severity);
        Assert.Contains("Fernet key", byLine[9].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Messages_never_repeat_the_value()
    {
        const string text = """
            services:
              app:
                image: app:1.0.0
                environment:
                  DB_PASSWORD: Vq8#mZ2!rT5w
                  DATABASE_URL: postgres://shop:Wq7zP2kL9mXr@db:5432/shop
            """;
        var findings = Run(text);
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f =>
        {
            Assert.DoesNotContain("Vq8#mZ2!rT5w", f.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("Wq7zP2kL9mXr", f.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Variables_filled_from_a_Secret_are_low_findings_one_per_variable_and_per_envFrom_unless_the_name_says_otherwise()
    {
        const string text = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: api
            spec:
              selector:
                matchLabels: {app: api}
              template:
                metadata:
                  labels: {app: api}
                spec:
                  containers:
                    - name: api
                      image: api:2.0.0
                      envFrom:
                        - configMapRef:
                            name: api-settings
                        - secretRef:
                            name: api-secrets
                      env:
                        - name: DB_PASSWORD
                          valueFrom:
                            secretKeyRef:
                              name: db
                              key: password
                        - name: DB_HOST
                          valueFrom:
                            secretKeyRef:
                              name: db
                              key: host
                        - name: POD_IP
                          valueFrom:
                            fieldRef:
                              fieldPath: status.podIP
                        - name: FEATURE_FLAGS
                          valueFrom:
                            configMapKeyRef:
                              name: flags
                              key: all
            """;
        var findings = Run(text, "deploy.yaml");
        Assert.Equal([18, 21], findings.Select(f => f.Location.Line).Order());
        Assert.All(findings, f => Assert.Equal(Severity.Low, f.Severity));
        Assert.All(findings, f => Assert.Contains("Mount the Secret as a volume", f.Remediation ?? string.Empty, StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Message.Contains("key \"password\" of Secret \"db\"", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Message.Contains("every key of Secret \"api-secrets\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Containers_that_share_an_anchored_env_list_get_one_finding()
    {
        const string text = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: job
            spec:
              initContainers:
                - name: migrate
                  image: job:1.0.0
                  env: &env
                    - name: DB_PASSWORD
                      value: Vq8#mZ2!rT5w
              containers:
                - name: run
                  image: job:1.0.0
                  env: *env
            """;
        var finding = Assert.Single(Run(text, "pod.yaml"));
        Assert.Equal(10, finding.Location.Line);
        Assert.Contains("containers \"migrate\", \"run\"", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ENV SECRET_KEY_BASE=9c1e7b3a5f2d8c4e6a0b9f1d3c5e7a2b4d6f8a0c2e4b6d8f0a1c3e5b7d9f2a4c", Severity.High)]
    [InlineData("ENV APP_KEY=base64:q1XHbT0yR8p3Lk5vM2nW7sA9dF4gJ6hC1zE8uB0oY3I=", Severity.High)]
    [InlineData("ARG NPM_TOKEN=npm_Zq7Xk2Lw9Rt4Vb8Nm3Pd6Hs1Jf5Gc0Ya2Ue7", Severity.Critical)]
    [InlineData("ARG DB_PASSWORD=changeme", Severity.Low)]
    [InlineData("ENV LDAP_ROOTPASS=Kq9!vL2@pZ7x", Severity.High)]
    public void Dockerfile_values_are_judged_by_the_same_detector(string line, Severity severity)
    {
        var finding = Assert.Single(Run("FROM alpine:3.20\n" + line + "\n", "Dockerfile"));
        Assert.Equal(severity, finding.Severity);
    }

    [Theory]
    [InlineData("ENV GPG_KEY=B42F6819007F00F88E364FD4036A9C25BF357DD4")]
    [InlineData("ENV PYTHON_SHA256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    [InlineData("ARG GPG_KEYS")]
    [InlineData("ENV WEBHOOK_OS=linux")]
    [InlineData("ENV PASSWORD_MIN_LENGTH=12")]
    public void Dockerfile_values_that_are_not_secrets_are_not_reported(string line) =>
        Assert.Empty(Run("FROM alpine:3.20\n" + line + "\n", "Dockerfile"));
}

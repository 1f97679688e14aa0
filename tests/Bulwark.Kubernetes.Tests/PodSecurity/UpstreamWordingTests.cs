using Bulwark.Kubernetes.PodSecurity;
using Xunit;

namespace Bulwark.Kubernetes.Tests.PodSecurity;

/// <summary>
/// The exact reason and detail text of each check, for cases modelled on upstream's <c>check_*_test.go</c>
/// tables (several containers, pod and container together, sorted sets), since users compare them with
/// the warnings <c>kubectl</c> prints.
/// </summary>
public sealed class UpstreamWordingTests
{
    public static TheoryData<string, string, string, string> Cases() => new()
    {
        {
            "baseline:latest", "hostProbesAndHostLifecycle",
            """
            containers:
              - name: valid
              - name: invalid1
                livenessProbe:
                  httpGet: { host: a.com, port: 80 }
              - name: invalid2
                lifecycle:
                  preStop:
                    tcpSocket: { host: b.com, port: 80 }
                startupProbe:
                  httpGet: { host: a.com, port: 80 }
            """,
            "probe or lifecycle host (containers \"invalid1\", \"invalid2\" use probe or lifecycle hosts \"a.com\", \"b.com\")"
        },
        {
            "restricted:latest", "capabilities_restricted",
            """
            containers:
              - name: a
                securityContext:
                  capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE", "SYS_TIME", "CHOWN"] }
              - name: b
                securityContext:
                  capabilities: { drop: ["all"] }
              - name: c
            """,
            "unrestricted capabilities (containers \"b\", \"c\" must set securityContext.capabilities.drop=[\"ALL\"]; "
            + "container \"a\" must not include \"CHOWN\", \"SYS_TIME\" in securityContext.capabilities.add)"
        },
        {
            "baseline:latest", "appArmorProfile",
            """
            securityContext:
              appArmorProfile: { type: Unconfined }
            containers:
              - name: a
                securityContext:
                  appArmorProfile: { type: Localhost, localhostProfile: custom }
              - name: b
                securityContext:
                  appArmorProfile: { type: Unconfined }
              - name: c
                securityContext:
                  appArmorProfile: { type: Bogus }
            """,
            "forbidden AppArmor profiles (pod and containers \"b\", \"c\" must not set AppArmor profile type to \"Bogus\", \"Unconfined\")"
        },
        {
            "baseline:latest", "windowsHostProcess",
            """
            securityContext:
              windowsOptions: { hostProcess: true }
            containers:
              - name: a
                securityContext:
                  windowsOptions: { hostProcess: true }
              - name: b
                securityContext:
                  windowsOptions: { hostProcess: false }
            """,
            "hostProcess (pod and container \"a\" must not set securityContext.windowsOptions.hostProcess=true)"
        },
        {
            "restricted:latest", "runAsNonRoot",
            """
            securityContext:
              runAsNonRoot: false
            containers:
              - name: a
                securityContext: { runAsNonRoot: false }
              - name: b
                securityContext: { runAsNonRoot: false }
              - name: c
            """,
            "runAsNonRoot != true (pod and containers \"a\", \"b\" must not set securityContext.runAsNonRoot=false)"
        },
        {
            "restricted:latest", "runAsUser",
            """
            securityContext:
              runAsUser: 0
            containers:
              - name: a
                securityContext: { runAsUser: 0 }
              - name: b
                securityContext: { runAsUser: 1000 }
            """,
            "runAsUser=0 (pod and container \"a\" must not set runAsUser=0)"
        },
        {
            "restricted:latest", "seccompProfile_restricted",
            """
            securityContext:
              seccompProfile: { type: Unconfined }
            containers:
              - name: a
                securityContext:
                  seccompProfile: { type: Unconfined }
              - name: b
            """,
            "seccompProfile (pod and container \"a\" must not set securityContext.seccompProfile.type to \"Unconfined\")"
        },
        {
            "baseline:latest", "seccompProfile_baseline",
            """
            containers:
              - name: a
                securityContext:
                  seccompProfile: { type: Unconfined }
              - name: b
                securityContext:
                  seccompProfile: {}
            """,
            "seccompProfile (containers \"a\", \"b\" must not set securityContext.seccompProfile.type to \"\", \"Unconfined\")"
        },
        {
            "baseline:latest", "procMount",
            """
            containers:
              - name: a
                securityContext: { procMount: Unmasked }
              - name: b
                securityContext: { procMount: Default }
              - name: c
                securityContext: { procMount: Other }
            """,
            "procMount (containers \"a\", \"c\" must not set securityContext.procMount to \"Other\", \"Unmasked\")"
        },
        {
            "baseline:latest", "sysctls",
            """
            securityContext:
              sysctls:
                - { name: kernel.msgmax, value: "1" }
                - { name: net.ipv4.tcp_syncookies, value: "1" }
                - { name: a.b, value: "1" }
            containers:
              - name: a
            """,
            "forbidden sysctls (kernel.msgmax, a.b)"
        },
        {
            "baseline:latest", "hostPathVolumes",
            """
            containers:
              - name: a
            volumes:
              - { name: a, hostPath: { path: /a } }
              - { name: b, emptyDir: {} }
              - { name: c, hostPath: { path: /c } }
            """,
            "hostPath volumes (volumes \"a\", \"c\")"
        },
        {
            "baseline:latest", "hostPorts",
            """
            containers:
              - name: a
                ports:
                  - { containerPort: 80, hostPort: 0 }
                  - { containerPort: 81, hostPort: 8081 }
              - name: b
                ports:
                  - { containerPort: 81, hostPort: 8081 }
            """,
            "hostPort (containers \"a\", \"b\" use hostPort 8081)"
        },
        {
            "baseline:latest", "seLinuxOptions",
            """
            securityContext:
              seLinuxOptions: { type: foo, user: u, role: r }
            containers:
              - name: a
                securityContext:
                  seLinuxOptions: { type: bar }
              - name: b
                securityContext:
                  seLinuxOptions: { type: container_t, level: "s0:c1,c2" }
            """,
            "seLinuxOptions (pod and container \"a\" set forbidden securityContext.seLinuxOptions: types \"bar\", \"foo\"; user may not be set; role may not be set)"
        },
        {
            "baseline:latest", "appArmorProfile",
            """
            containers:
              - name: a
            """,
            string.Empty
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Check_text_matches_upstream(string policyText, string checkId, string spec, string expected)
    {
        Assert.True(PodSecurityPolicy.TryParse(policyText, out var policy, out var error), error);
        var yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  " + spec.Replace("\n", "\n  ", StringComparison.Ordinal) + "\n";
        var violations = PodSecurityEvaluator.Evaluate(policy!, Manifests.Single(yaml));
        var violation = violations.SingleOrDefault(v => v.CheckId == checkId);
        Assert.Equal(expected, violation?.Text ?? string.Empty);
    }

    [Fact]
    public void AppArmor_annotations_use_go_quoting_and_count_toward_the_reason()
    {
        const string yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
              annotations:
                container.apparmor.security.beta.kubernetes.io/b: "unconfined\t"
                container.apparmor.security.beta.kubernetes.io/a: unconfined
                container.apparmor.security.beta.kubernetes.io/c: runtime/default
            spec:
              containers:
                - name: a
                  securityContext:
                    appArmorProfile: { type: Unconfined }
            """;

        var violation = PodSecurityEvaluator.Evaluate(new PodSecurityPolicy(PodSecurityLevel.Baseline, null), Manifests.Single(yaml))
            .Single(v => v.CheckId == "appArmorProfile");
        Assert.Equal("forbidden AppArmor profiles", violation.Reason);
        Assert.Equal(
            "container \"a\" and annotations must not set AppArmor profile type to \"Unconfined\", "
            + "\"container.apparmor.security.beta.kubernetes.io/a=\"unconfined\"\", "
            + "\"container.apparmor.security.beta.kubernetes.io/b=\"unconfined\\t\"\"",
            violation.Detail);
        Assert.Equal(3, violation.Locations.Count);
    }
}

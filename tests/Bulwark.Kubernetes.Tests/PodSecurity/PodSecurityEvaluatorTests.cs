using Bulwark.Kubernetes.PodSecurity;
using Xunit;

namespace Bulwark.Kubernetes.Tests.PodSecurity;

/// <summary>Behaviour the upstream fixtures do not cover: versions, workload kinds, wording, locations, exemptions.</summary>
public sealed class PodSecurityEvaluatorTests
{
    private static PodSecurityPolicy Policy(string text)
    {
        Assert.True(PodSecurityPolicy.TryParse(text, out var policy, out var error), error);
        return policy!;
    }

    private static IReadOnlyList<PodSecurityViolation> Evaluate(string policy, string yaml) =>
        PodSecurityEvaluator.Evaluate(Policy(policy), Manifests.Single(yaml));

    private static string Describe(string policy, string yaml) => PodSecurityEvaluator.Describe(Evaluate(policy, yaml));

    private const string RestrictedPod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: app
        spec:
          securityContext:
            runAsNonRoot: true
            seccompProfile:
              type: RuntimeDefault
          containers:
            - name: app
              image: busybox:1.36
              securityContext:
                allowPrivilegeEscalation: false
                capabilities:
                  drop: ["ALL"]
        """;

    [Fact]
    public void Restricted_pod_passes_every_level_and_version()
    {
        foreach (var level in new[] { "baseline", "restricted" })
        {
            for (var minor = 0; minor <= PodSecurityPolicy.LatestMinor; minor++)
            {
                Assert.Empty(Evaluate($"{level}:v1.{minor}", RestrictedPod));
            }
        }
    }

    [Fact]
    public void SELinux_container_engine_t_is_allowed_from_v1_31()
    {
        const string yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: engine
            spec:
              securityContext:
                seLinuxOptions:
                  type: container_engine_t
              containers:
                - name: app
                  image: busybox:1.36
            """;

        var before = Assert.Single(Evaluate("baseline:v1.30", yaml));
        Assert.Equal("seLinuxOptions", before.CheckId);
        Assert.Equal("seLinuxOptions", before.Reason);
        Assert.Equal("pod set forbidden securityContext.seLinuxOptions: type \"container_engine_t\"", before.Detail);
        Assert.Equal(Manifests.LineOf(yaml, "type: container_engine_t"), before.Locations[0].Line);

        Assert.Empty(Evaluate("baseline:v1.31", yaml));
        Assert.Empty(Evaluate("baseline:latest", yaml));
    }

    [Fact]
    public void SELinux_user_and_role_are_reported_without_a_bad_type()
    {
        const string yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: app
            spec:
              containers:
                - name: app
                  image: busybox:1.36
                  securityContext:
                    seLinuxOptions:
                      user: system_u
                      role: system_r
            """;

        var violation = Assert.Single(Evaluate("baseline:latest", yaml));
        Assert.Equal("container \"app\" set forbidden securityContext.seLinuxOptions: user may not be set; role may not be set", violation.Detail);
    }

    [Fact]
    public void Deployment_pod_template_is_evaluated()
    {
        const string yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              selector:
                matchLabels: { app: web }
              template:
                metadata:
                  labels: { app: web }
                spec:
                  containers:
                    - name: web
                      image: nginx:1.27
                      securityContext:
                        privileged: true
            """;

        var violation = Assert.Single(Evaluate("baseline:latest", yaml));
        Assert.Equal("privileged", violation.CheckId);
        Assert.Equal("container \"web\" must not set securityContext.privileged=true", violation.Detail);
        Assert.Equal(Manifests.LineOf(yaml, "privileged: true"), violation.Locations[0].Line);
        Assert.Equal(Manifests.FileName, violation.Locations[0].File);
    }

    [Fact]
    public void CronJob_pod_template_is_evaluated_with_its_annotations()
    {
        const string yaml = """
            apiVersion: batch/v1
            kind: CronJob
            metadata:
              name: nightly
              annotations:
                container.apparmor.security.beta.kubernetes.io/job: unconfined
            spec:
              schedule: "0 3 * * *"
              jobTemplate:
                spec:
                  template:
                    metadata:
                      annotations:
                        container.apparmor.security.beta.kubernetes.io/job: unconfined
                    spec:
                      restartPolicy: OnFailure
                      hostPID: true
                      containers:
                        - name: job
                          image: busybox:1.36
            """;

        var violations = Evaluate("baseline:latest", yaml);
        Assert.Equal(
            "forbidden AppArmor profile (annotation must not set AppArmor profile type to "
            + "\"container.apparmor.security.beta.kubernetes.io/job=\"unconfined\"\"), host namespaces (hostPID=true)",
            PodSecurityEvaluator.Describe(violations));

        // The template's annotation, not the CronJob's own metadata, is what the pod gets.
        var annotationLines = Enumerable.Range(1, yaml.Split('\n').Length)
            .Where(line => yaml.Split('\n')[line - 1].Contains("container.apparmor", StringComparison.Ordinal))
            .ToArray();
        Assert.Equal(annotationLines[1], violations[0].Locations.Single().Line);
        Assert.Equal(Manifests.LineOf(yaml, "hostPID: true"), violations[1].Locations.Single().Line);
    }

    [Fact]
    public void Objects_without_a_pod_template_and_the_privileged_level_give_nothing()
    {
        const string configMap = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
            data:
              privileged: "true"
            """;
        const string privilegedPod = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: debug
            spec:
              hostNetwork: true
              containers:
                - name: shell
                  image: busybox:1.36
                  securityContext:
                    privileged: true
            """;

        Assert.Empty(Evaluate("restricted:latest", configMap));
        Assert.Empty(Evaluate("privileged:latest", privilegedPod));
        Assert.Equal(2, Evaluate("baseline:latest", privilegedPod).Count);
    }

    [Fact]
    public void Latest_is_v1_37_and_newer_versions_evaluate_as_the_newest()
    {
        Assert.Equal(37, PodSecurityPolicy.LatestMinor);
        const string yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: tuned
            spec:
              securityContext:
                sysctls:
                  - name: net.ipv4.tcp_notsent_lowat
                    value: "16384"
              containers:
                - name: app
                  image: busybox:1.36
            """;

        var atV1Dot36 = Assert.Single(Evaluate("baseline:v1.36", yaml));
        Assert.Equal("sysctls", atV1Dot36.CheckId);
        Assert.Equal("forbidden sysctls (net.ipv4.tcp_notsent_lowat)", atV1Dot36.Text);
        Assert.Empty(Evaluate("baseline:v1.37", yaml));
        Assert.Empty(Evaluate("baseline:latest", yaml));
        Assert.Empty(Evaluate("baseline:v1.99", yaml));

        const string insecure = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: insecure
            spec:
              hostUsers: false
              hostIPC: true
              containers:
                - name: app
                  image: busybox:1.36
                  securityContext:
                    procMount: Unmasked
                    runAsUser: 0
                    capabilities:
                      add: ["NET_ADMIN"]
            """;
        foreach (var level in new[] { "baseline", "restricted" })
        {
            Assert.Equal(Describe($"{level}:v1.37", insecure), Describe($"{level}:latest", insecure));
            Assert.Equal(Describe($"{level}:v1.37", insecure), Describe($"{level}:v1.40", insecure));
        }
    }

    [Fact]
    public void Restricted_wording_for_two_containers_matches_kubectl()
    {
        const string yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
            spec:
              containers:
                - name: a
                  image: nginx:1.27
                - name: b
                  image: nginx:1.27
            """;

        Assert.Equal(
            "allowPrivilegeEscalation != false (containers \"a\", \"b\" must set securityContext.allowPrivilegeEscalation=false), "
            + "unrestricted capabilities (containers \"a\", \"b\" must set securityContext.capabilities.drop=[\"ALL\"]), "
            + "runAsNonRoot != true (pod or containers \"a\", \"b\" must set securityContext.runAsNonRoot=true), "
            + "seccompProfile (pod or containers \"a\", \"b\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")",
            Describe("restricted:latest", yaml));
    }

    [Fact]
    public void Baseline_wording_and_order_match_upstream()
    {
        const string yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
            spec:
              hostNetwork: true
              hostPID: true
              initContainers:
                - name: init
                  image: busybox:1.36
                  securityContext:
                    privileged: true
              containers:
                - name: web
                  image: nginx:1.27
                  ports:
                    - containerPort: 80
                      hostPort: 80
                    - containerPort: 443
                      hostPort: 443
                  securityContext:
                    privileged: true
                    capabilities:
                      add: ["SYS_ADMIN", "NET_RAW", "CHOWN"]
              volumes:
                - name: root
                  hostPath:
                    path: /
            """;

        Assert.Equal(
            "non-default capabilities (container \"web\" must not include \"NET_RAW\", \"SYS_ADMIN\" in securityContext.capabilities.add), "
            + "host namespaces (hostNetwork=true, hostPID=true), "
            + "hostPath volumes (volume \"root\"), "
            + "hostPort (container \"web\" uses hostPorts 443, 80), "
            + "privileged (containers \"init\", \"web\" must not set securityContext.privileged=true)",
            Describe("baseline:latest", yaml));
    }

    [Fact]
    public void Ephemeral_containers_are_checked_after_init_and_regular_containers()
    {
        const string yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: app
            spec:
              ephemeralContainers:
                - name: debugger
                  image: busybox:1.36
                  securityContext:
                    privileged: true
              containers:
                - name: app
                  image: busybox:1.36
                  securityContext:
                    privileged: true
            """;

        var violation = Assert.Single(Evaluate("baseline:latest", yaml));
        Assert.Equal("containers \"app\", \"debugger\" must not set securityContext.privileged=true", violation.Detail);
    }

    [Fact]
    public void Locations_point_at_the_field_or_its_nearest_parent()
    {
        const string yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: app
            spec:
              securityContext:
                runAsNonRoot: true
                seccompProfile:
                  type: RuntimeDefault
              containers:
                - name: explicit
                  image: busybox:1.36
                  securityContext:
                    allowPrivilegeEscalation: true
                    capabilities:
                      drop: ["ALL"]
                - name: context-only
                  image: busybox:1.36
                  securityContext:
                    capabilities:
                      drop: ["ALL"]
                - name: bare
                  image: busybox:1.36
            """;

        var violations = Evaluate("restricted:latest", yaml);
        var escalation = violations.Single(v => v.CheckId == "allowPrivilegeEscalation");
        Assert.Equal("containers \"explicit\", \"context-only\", \"bare\" must set securityContext.allowPrivilegeEscalation=false", escalation.Detail);
        var lines = yaml.Split('\n');
        var contextLines = Enumerable.Range(1, lines.Length).Where(i => lines[i - 1].TrimEnd() == "      securityContext:").ToArray();
        Assert.Equal(
            [Manifests.LineOf(yaml, "allowPrivilegeEscalation: true"), contextLines[1], Manifests.LineOf(yaml, "- name: bare")],
            escalation.Locations.Select(l => l.Line));
        Assert.Equal(Manifests.LineOf(yaml, "- name: bare"), escalation.Locations[2].Line);
        Assert.Equal(7, escalation.Locations[2].Column);

        var capabilities = violations.Single(v => v.CheckId == "capabilities_restricted");
        Assert.Equal([Manifests.LineOf(yaml, "- name: bare")], capabilities.Locations.Select(l => l.Line));
    }

    [Fact]
    public void Windows_pods_are_exempt_from_linux_only_restricted_checks_from_v1_25()
    {
        const string yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: win
            spec:
              os:
                name: windows
              securityContext:
                runAsNonRoot: true
              containers:
                - name: app
                  image: mcr.microsoft.com/windows/nanoserver:ltsc2022
            """;

        Assert.Empty(Evaluate("restricted:v1.25", yaml));
        Assert.Empty(Evaluate("restricted:latest", yaml));
        Assert.Equal(
            ["allowPrivilegeEscalation", "capabilities_restricted", "seccompProfile_restricted"],
            Evaluate("restricted:v1.24", yaml).Select(v => v.CheckId));

        var linux = yaml.Replace("name: windows", "name: linux", StringComparison.Ordinal);
        Assert.Equal(
            ["allowPrivilegeEscalation", "capabilities_restricted", "seccompProfile_restricted"],
            Evaluate("restricted:latest", linux).Select(v => v.CheckId));
    }

    [Fact]
    public void HostUsers_false_relaxes_procMount_runAsNonRoot_and_runAsUser_from_v1_35()
    {
        const string yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: userns
            spec:
              hostUsers: false
              securityContext:
                runAsUser: 0
                seccompProfile:
                  type: RuntimeDefault
              containers:
                - name: app
                  image: busybox:1.36
                  securityContext:
                    procMount: Unmasked
                    allowPrivilegeEscalation: false
                    capabilities:
                      drop: ["ALL"]
            """;

        Assert.Equal(["procMount"], Evaluate("baseline:v1.34", yaml).Select(v => v.CheckId));
        Assert.Empty(Evaluate("baseline:v1.35", yaml));
        Assert.Empty(Evaluate("baseline:latest", yaml));

        Assert.Equal(["procMount", "runAsNonRoot", "runAsUser"], Evaluate("restricted:v1.34", yaml).Select(v => v.CheckId));
        var latest = Assert.Single(Evaluate("restricted:latest", yaml));
        Assert.Equal("procMount_restricted", latest.CheckId);
        Assert.Equal("procMount (container \"app\" must not set securityContext.procMount to \"Unmasked\")", latest.Text);

        var hostUsers = yaml.Replace("hostUsers: false", "hostUsers: true", StringComparison.Ordinal);
        Assert.Equal(["procMount_restricted", "runAsNonRoot", "runAsUser"], Evaluate("restricted:latest", hostUsers).Select(v => v.CheckId));
        Assert.Equal(["procMount"], Evaluate("baseline:latest", hostUsers).Select(v => v.CheckId));
    }

    [Fact]
    public void Checks_apply_only_from_their_first_version()
    {
        const string yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: app
            spec:
              containers:
                - name: app
                  image: busybox:1.36
                  readinessProbe:
                    tcpSocket:
                      host: 10.0.0.1
                      port: 80
                  securityContext:
                    runAsUser: 0
            """;

        Assert.Empty(Evaluate("baseline:v1.33", yaml));
        Assert.Equal(
            "probe or lifecycle host (container \"app\" uses probe or lifecycle host \"10.0.0.1\")",
            Describe("baseline:v1.34", yaml));

        // restricted v1.7: no allowPrivilegeEscalation (1.8), seccomp (1.19), capabilities (1.22) or runAsUser (1.23) yet.
        Assert.Equal(["runAsNonRoot"], Evaluate("restricted:v1.7", yaml).Select(v => v.CheckId));
        Assert.Equal(
            ["allowPrivilegeEscalation", "capabilities_restricted", "runAsNonRoot", "runAsUser", "seccompProfile_restricted"],
            Evaluate("restricted:v1.23", yaml).Select(v => v.CheckId));
    }

    [Fact]
    public void Seccomp_annotations_are_checked_before_v1_19_only()
    {
        const string yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: app
              annotations:
                seccomp.security.alpha.kubernetes.io/pod: unconfined
                container.seccomp.security.alpha.kubernetes.io/app: "un\"confined"
            spec:
              containers:
                - name: app
                  image: busybox:1.36
            """;

        var violation = Assert.Single(Evaluate("baseline:v1.18", yaml));
        Assert.Equal("seccompProfile_baseline", violation.CheckId);
        Assert.Equal(
            "forbidden annotations container.seccomp.security.alpha.kubernetes.io/app=\"un\\\"confined\", seccomp.security.alpha.kubernetes.io/pod=\"unconfined\"",
            violation.Detail);
        Assert.Equal(2, violation.Locations.Count);
        Assert.Empty(Evaluate("baseline:v1.19", yaml));
    }

    [Fact]
    public void Raw_pod_overload_uses_the_given_locator()
    {
        var pod = Manifests.Single(RestrictedPod.Replace("allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true", StringComparison.Ordinal));
        var spec = pod.PodTemplate!.Spec;
        var violations = PodSecurityEvaluator.Evaluate(
            Policy("restricted:latest"),
            pod.Metadata,
            spec,
            node => new Core.Findings.SourceLocation("admission-review", node.Line, node.Column));

        var violation = Assert.Single(violations);
        Assert.Equal("allowPrivilegeEscalation", violation.CheckId);
        Assert.Equal("admission-review", violation.Locations[0].File);
    }
}

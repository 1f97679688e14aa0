using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;

namespace Bulwark.Rules.Host;

public sealed class WindowsHostProcessRule : Rule<Workload>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW1021",
        Slug = "windows-host-process",
        Title = "Windows container runs as a host process",
        Severity = Severity.Critical,
        Category = "Host isolation",
        Sources = [SourceKind.Kubernetes],
        PodSecurityChecks = ["windowsHostProcess"],
        Rationale = "A Windows HostProcess container runs directly on the node with the node's network and filesystem, the Windows equivalent of a privileged container.",
        Remediation = "Remove `windowsOptions.hostProcess: true`; run node management as a Windows service managed outside the cluster.",
        References =
        [
            new("Pod Security Standards", "baseline: HostProcess", "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"),
        ],
        Examples =
        [
            RuleExample.Bad(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: win-agent
                spec:
                  os:
                    name: windows
                  securityContext:
                    windowsOptions:
                      hostProcess: true # expect: BW1021
                      runAsUserName: "NT AUTHORITY\\SYSTEM"
                  hostNetwork: true
                  containers:
                    - name: agent
                      image: agent:1.0.0
                """),
            RuleExample.Good(SourceKind.Kubernetes, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: win-app
                spec:
                  os:
                    name: windows
                  containers:
                    - name: app
                      image: app:1.0.0
                """),
        ],
    };

    public override void Evaluate(Workload target, RuleContext context)
    {
        var reported = new HashSet<SourceLocation>();
        foreach (var container in target.Containers)
        {
            if (container.WindowsHostProcess is { Value: true } hostProcess && reported.Add(hostProcess.Location))
            {
                context.Report(Descriptor, target, hostProcess.Location, $"Container \"{container.Name}\" runs as a Windows host process.", container.Name);
            }
        }
    }
}

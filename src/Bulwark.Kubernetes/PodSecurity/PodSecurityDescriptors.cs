using System.Collections.Frozen;
using System.Collections.Immutable;
using Bulwark.Core.Findings;
using Bulwark.Core.Rules;

namespace Bulwark.Kubernetes.PodSecurity;

/// <summary>
/// One rule descriptor per Pod Security Standards check (BW9001..BW9019, in the order of
/// <see cref="PodSecurityCheckIds.All"/>), so PSS violations are reported, explained and documented like
/// every other Bulwark rule.
/// </summary>
public static class PodSecurityDescriptors
{
    public const string Category = "Pod Security Standards";

    private const string PageUrl = "https://kubernetes.io/docs/concepts/security/pod-security-standards/";
    private const string BaselineUrl = PageUrl + "#baseline";
    private const string RestrictedUrl = PageUrl + "#restricted";

    public static ImmutableArray<RuleDescriptor> All { get; } =
    [
        Describe(
            "BW9001",
            PodSecurityCheckIds.HostNamespaces,
            "host namespaces",
            Severity.High,
            """
            `hostNetwork`, `hostPID` and `hostIPC` put the pod in the node's own namespaces. With the host network it can
            bind node ports and reach services listening only on the node's loopback; with the host PID namespace it can
            see, signal and often inspect every process on the node; with host IPC it shares the node's shared memory.
            Each removes a wall between the workload and the node.
            """,
            "Delete `hostNetwork`, `hostPID` and `hostIPC` from the pod spec (or set them to `false`); expose the workload through a Service instead of the node's network.",
            "Host Namespaces",
            BaselineUrl,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: sniffer
            spec:
              hostNetwork: true # expect: BW9001
              containers:
                - name: app
                  image: busybox:1.36
            """,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: sniffer
            spec:
              hostNetwork: false
              containers:
                - name: app
                  image: busybox:1.36
            """),
        Describe(
            "BW9002",
            PodSecurityCheckIds.Privileged,
            "privileged containers",
            Severity.Critical,
            """
            A privileged container runs with every capability, every host device and no seccomp or AppArmor confinement.
            Root inside it is effectively root on the node: mounting the host's disk or loading a kernel module is one
            command away.
            """,
            "Remove `securityContext.privileged: true`; grant the specific capability or device the workload needs instead.",
            "Privileged Containers",
            BaselineUrl,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: debug
            spec:
              containers:
                - name: shell
                  image: busybox:1.36
                  securityContext:
                    privileged: true # expect: BW9002
            """,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: debug
            spec:
              containers:
                - name: shell
                  image: busybox:1.36
                  securityContext:
                    privileged: false
            """),
        Describe(
            "BW9003",
            PodSecurityCheckIds.CapabilitiesBaseline,
            "capabilities beyond the default set",
            Severity.High,
            """
            Container runtimes grant a small default set of Linux capabilities. Adding more, such as `SYS_ADMIN`,
            `NET_ADMIN`, `SYS_PTRACE` or even `NET_RAW`, hands the process kernel powers that are common stepping stones
            for container escapes, packet spoofing and snooping on other processes.
            """,
            "Remove every entry from `securityContext.capabilities.add` that is not in the runtime's default set (`AUDIT_WRITE`, `CHOWN`, `DAC_OVERRIDE`, `FOWNER`, `FSETID`, `KILL`, `MKNOD`, `NET_BIND_SERVICE`, `SETFCAP`, `SETGID`, `SETPCAP`, `SETUID`, `SYS_CHROOT`).",
            "Capabilities",
            BaselineUrl,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: tools
            spec:
              containers:
                - name: app
                  image: busybox:1.36
                  securityContext:
                    capabilities:
                      add: ["SYS_ADMIN"] # expect: BW9003
            """,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: tools
            spec:
              containers:
                - name: app
                  image: busybox:1.36
                  securityContext:
                    capabilities:
                      add: ["NET_BIND_SERVICE"]
            """),
        Describe(
            "BW9004",
            PodSecurityCheckIds.HostPathVolumes,
            "hostPath volumes",
            Severity.Critical,
            """
            A `hostPath` volume mounts a directory of the node into the pod. Depending on the path that exposes the
            container runtime socket, kubelet credentials, other pods' data or the node's configuration, and a
            writable mount lets the workload change what the node runs.
            """,
            "Replace the `hostPath` volume with an `emptyDir`, a `configMap`/`secret`, or a PersistentVolumeClaim; keep node-level agents in a namespace that is allowed the privileged level.",
            "HostPath Volumes",
            BaselineUrl,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: builder
            spec:
              containers:
                - name: app
                  image: docker:27-cli
                  volumeMounts:
                    - name: docker
                      mountPath: /var/run/docker.sock
              volumes:
                - name: docker
                  hostPath: # expect: BW9004
                    path: /var/run/docker.sock
            """,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: builder
            spec:
              containers:
                - name: app
                  image: docker:27-cli
                  volumeMounts:
                    - name: scratch
                      mountPath: /scratch
              volumes:
                - name: scratch
                  emptyDir: {}
            """),
        Describe(
            "BW9005",
            PodSecurityCheckIds.HostPorts,
            "host ports",
            Severity.Medium,
            """
            A `hostPort` binds the container to a port on the node's own address. It bypasses the network policies that
            apply to Service traffic in many CNI plugins, pins the pod to nodes where the port is free, and exposes the
            workload wherever the node is reachable.
            """,
            "Remove `hostPort` from the container's ports and publish the workload through a Service (ClusterIP, NodePort or LoadBalancer) or an Ingress.",
            "Host Ports",
            BaselineUrl,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
            spec:
              containers:
                - name: web
                  image: nginx:1.27
                  ports:
                    - containerPort: 8080
                      hostPort: 8080 # expect: BW9005
            """,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
            spec:
              containers:
                - name: web
                  image: nginx:1.27
                  ports:
                    - containerPort: 8080
            """),
        Describe(
            "BW9006",
            PodSecurityCheckIds.AppArmorProfile,
            "AppArmor profile overrides",
            Severity.High,
            """
            On nodes with AppArmor, containers run under the runtime's default profile, which blocks writes to sensitive
            parts of `/proc` and `/sys` and mounting file systems. Setting the profile to `Unconfined` (or the deprecated
            annotation to `unconfined`) switches that protection off.
            """,
            "Leave `appArmorProfile` unset, or set its `type` to `RuntimeDefault` or `Localhost` with a reviewed profile; remove `unconfined` AppArmor annotations.",
            "AppArmor",
            BaselineUrl,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: app
            spec:
              containers:
                - name: app
                  image: busybox:1.36
                  securityContext:
                    appArmorProfile:
                      type: Unconfined # expect: BW9006
            """,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: app
            spec:
              containers:
                - name: app
                  image: busybox:1.36
                  securityContext:
                    appArmorProfile:
                      type: RuntimeDefault
            """),
        Describe(
            "BW9007",
            PodSecurityCheckIds.SeLinuxOptions,
            "custom SELinux options",
            Severity.High,
            """
            SELinux keeps containers in the `container_t` family of types, apart from the node and from each other.
            Choosing another type (for example `spc_t`, the unconfined "super privileged container" type) or a custom
            SELinux user or role lifts that confinement.
            """,
            "Remove `seLinuxOptions.user` and `seLinuxOptions.role`, and leave `type` unset or use `container_t`, `container_init_t`, `container_kvm_t` or `container_engine_t`; setting `level` is fine.",
            "SELinux",
            BaselineUrl,
            """
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
                      type: spc_t # expect: BW9007
            """,
            """
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
                      level: "s0:c123,c456"
            """),
        Describe(
            "BW9008",
            PodSecurityCheckIds.ProcMount,
            "unmasked /proc",
            Severity.High,
            """
            The runtime masks and makes read-only parts of `/proc` that reveal or change node state. `procMount: Unmasked`
            removes those masks. Since v1.35 the baseline level allows it only for pods in their own user namespace
            (`hostUsers: false`), where the unmasked `/proc` cannot reach the node's.
            """,
            "Remove `securityContext.procMount` or set it to `Default`; if the workload truly needs an unmasked `/proc`, run it with `hostUsers: false`.",
            "/proc Mount Type",
            BaselineUrl,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: nested
            spec:
              containers:
                - name: app
                  image: busybox:1.36
                  securityContext:
                    procMount: Unmasked # expect: BW9008
            """,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: nested
            spec:
              containers:
                - name: app
                  image: busybox:1.36
                  securityContext:
                    procMount: Default
            """),
        Describe(
            "BW9009",
            PodSecurityCheckIds.SeccompProfileBaseline,
            "unconfined seccomp profile",
            Severity.High,
            """
            Seccomp filters the system calls a container may make; the runtime's default profile blocks dozens that are
            rarely needed and often abused in kernel exploits. An `Unconfined` profile (or, before v1.19, an `unconfined`
            seccomp annotation) lets every system call through.
            """,
            "Set `seccompProfile.type` to `RuntimeDefault` (or `Localhost` with a reviewed profile), or leave it unset; remove `unconfined` seccomp annotations.",
            "Seccomp",
            BaselineUrl,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: app
            spec:
              securityContext:
                seccompProfile:
                  type: Unconfined # expect: BW9009
              containers:
                - name: app
                  image: busybox:1.36
            """,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: app
            spec:
              securityContext:
                seccompProfile:
                  type: RuntimeDefault
              containers:
                - name: app
                  image: busybox:1.36
            """),
        Describe(
            "BW9010",
            PodSecurityCheckIds.Sysctls,
            "unsafe sysctls",
            Severity.High,
            """
            Most kernel parameters are shared by every pod on the node, so setting them from a pod can weaken security
            settings or starve neighbours. Only a short list of sysctls is namespaced per pod and isolated from others;
            the list grows with the policy version.
            """,
            "Remove sysctls that are not on the safe list for your policy version, or set them on the node instead; `net.ipv4.ip_local_port_range` and `net.ipv4.ip_unprivileged_port_start` are examples of safe ones.",
            "Sysctls",
            BaselineUrl,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: queue
            spec:
              securityContext:
                sysctls:
                  - name: kernel.msgmax # expect: BW9010
                    value: "65536"
              containers:
                - name: app
                  image: busybox:1.36
            """,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: queue
            spec:
              securityContext:
                sysctls:
                  - name: net.ipv4.ip_local_port_range
                    value: "32768 60999"
              containers:
                - name: app
                  image: busybox:1.36
            """),
        Describe(
            "BW9011",
            PodSecurityCheckIds.WindowsHostProcess,
            "Windows HostProcess containers",
            Severity.Critical,
            """
            A Windows HostProcess container runs directly on the node as a host process, with access to the node's file
            system, network and devices: the Windows equivalent of a privileged container.
            """,
            "Remove `windowsOptions.hostProcess: true` from the pod and its containers; run node agents in a namespace allowed the privileged level.",
            "HostProcess",
            BaselineUrl,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: node-agent
            spec:
              securityContext:
                windowsOptions:
                  hostProcess: true # expect: BW9011
              containers:
                - name: agent
                  image: mcr.microsoft.com/windows/nanoserver:ltsc2022
            """,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: node-agent
            spec:
              securityContext:
                windowsOptions:
                  runAsUserName: ContainerUser
              containers:
                - name: agent
                  image: mcr.microsoft.com/windows/nanoserver:ltsc2022
            """),
        Describe(
            "BW9012",
            PodSecurityCheckIds.HostProbesAndHostLifecycle,
            "probe and lifecycle hosts",
            Severity.Medium,
            """
            HTTP and TCP probes and lifecycle hooks are sent by the kubelet, from the node. A `host` field points them at
            any address the node can reach, such as a cloud metadata endpoint or a service on the node, so the pod can
            make the kubelet knock on doors the pod itself cannot (checked from policy v1.34).
            """,
            "Remove `host` from `httpGet` and `tcpSocket` probes and lifecycle handlers so they target the pod's own IP; use a `Host` HTTP header if a virtual host is needed.",
            "Probes / Lifecycle Hooks",
            BaselineUrl,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
            spec:
              containers:
                - name: web
                  image: nginx:1.27
                  livenessProbe:
                    httpGet:
                      host: 169.254.169.254 # expect: BW9012
                      path: /
                      port: 80
            """,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
            spec:
              containers:
                - name: web
                  image: nginx:1.27
                  livenessProbe:
                    httpGet:
                      path: /healthz
                      port: 80
            """),
        Describe(
            "BW9013",
            PodSecurityCheckIds.RestrictedVolumes,
            "non-core volume types",
            Severity.Medium,
            """
            The restricted level allows only volume types that Kubernetes itself manages and scopes to the pod:
            `configMap`, `csi`, `downwardAPI`, `emptyDir`, `ephemeral`, `image`, `persistentVolumeClaim`, `projected` and
            `secret`. Inline network and host volumes (NFS, iSCSI, `hostPath`, `gitRepo` and the rest) bypass the
            PersistentVolume access controls and can expose node or storage credentials.
            """,
            "Replace inline volume sources with a PersistentVolumeClaim bound to an administrator-provided PersistentVolume, or with one of the allowed ephemeral types.",
            "Volume Types",
            RestrictedUrl,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: reports
            spec:
              containers:
                - name: app
                  image: busybox:1.36
              volumes:
                - name: shared
                  nfs: # expect: BW9013
                    server: nfs.example.internal
                    path: /exports/reports
            """,
            RestrictedGood("""
                  volumes:
                    - name: shared
                      persistentVolumeClaim:
                        claimName: reports
                """)),
        Describe(
            "BW9014",
            PodSecurityCheckIds.AllowPrivilegeEscalation,
            "privilege escalation allowed",
            Severity.Medium,
            """
            Unless `allowPrivilegeEscalation` is `false`, a process in the container can gain more privileges than its
            parent, for example through set-user-ID binaries. The restricted level requires every container to set it
            to `false` explicitly (Windows pods are exempt from policy v1.25).
            """,
            "Set `securityContext.allowPrivilegeEscalation: false` on every container, init container and ephemeral container.",
            "Privilege Escalation",
            RestrictedUrl,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: app
            spec:
              containers:
                - name: app
                  image: busybox:1.36
                  securityContext:
                    allowPrivilegeEscalation: true # expect: BW9014
            """,
            RestrictedGood(string.Empty)),
        Describe(
            "BW9015",
            PodSecurityCheckIds.RunAsNonRoot,
            "containers may run as root",
            Severity.Medium,
            """
            A container running as root is one kernel or runtime bug away from root on the node, and can change anything
            in its own file system. The restricted level requires `runAsNonRoot: true`, at the pod level or on every
            container, so the kubelet refuses to start an image that would run as UID 0 (from policy v1.35, pods with
            `hostUsers: false` are exempt because their root is unprivileged on the node).
            """,
            "Set `securityContext.runAsNonRoot: true` in the pod's security context (or on every container) and make sure the image runs as a non-zero UID.",
            "Running as Non-root",
            RestrictedUrl,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: app
            spec:
              containers:
                - name: app
                  image: busybox:1.36
                  securityContext:
                    runAsNonRoot: false # expect: BW9015
            """,
            RestrictedGood(string.Empty)),
        Describe(
            "BW9016",
            PodSecurityCheckIds.RunAsUser,
            "containers run as UID 0",
            Severity.Medium,
            """
            `runAsUser: 0` explicitly runs the container as root, whatever the image says. The restricted level forbids
            it from policy v1.23 (pods with `hostUsers: false` are exempt from v1.35).
            """,
            "Remove `runAsUser: 0`, or set `runAsUser` to a non-zero UID that the image supports.",
            "Running as Non-root user",
            RestrictedUrl,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: app
            spec:
              containers:
                - name: app
                  image: busybox:1.36
                  securityContext:
                    runAsUser: 0 # expect: BW9016
            """,
            RestrictedGood(string.Empty)),
        Describe(
            "BW9017",
            PodSecurityCheckIds.SeccompProfileRestricted,
            "seccomp profile not set",
            Severity.Medium,
            """
            Without an explicit seccomp profile many runtimes run containers unconfined, letting every system call
            through. The restricted level requires `RuntimeDefault` or `Localhost`, set at the pod level or on every
            container (Windows pods are exempt from policy v1.25).
            """,
            "Set `securityContext.seccompProfile.type: RuntimeDefault` in the pod's security context (or `Localhost` with a reviewed profile).",
            "Seccomp",
            RestrictedUrl,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: app
            spec:
              securityContext:
                runAsNonRoot: true
              containers:
                - name: app
                  image: busybox:1.36
                  securityContext: # expect: BW9017
                    allowPrivilegeEscalation: false
                    capabilities:
                      drop: ["ALL"]
            """,
            RestrictedGood(string.Empty)),
        Describe(
            "BW9018",
            PodSecurityCheckIds.CapabilitiesRestricted,
            "capabilities not dropped",
            Severity.Medium,
            """
            Even the runtime's default capabilities (such as `NET_RAW`, `CHOWN` or `SETUID`) are more than most
            applications need. The restricted level requires every container to drop `ALL` and allows adding back only
            `NET_BIND_SERVICE` (Windows pods are exempt from policy v1.25).
            """,
            "Set `securityContext.capabilities.drop: [\"ALL\"]` on every container and add back only `NET_BIND_SERVICE` if the process binds a port below 1024.",
            "Capabilities",
            RestrictedUrl,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: app
            spec:
              containers:
                - name: app
                  image: busybox:1.36
                  securityContext:
                    capabilities:
                      drop: ["NET_RAW"] # expect: BW9018
            """,
            RestrictedGood(string.Empty)),
        Describe(
            "BW9019",
            PodSecurityCheckIds.ProcMountRestricted,
            "unmasked /proc",
            Severity.Medium,
            """
            From policy v1.35 the baseline level lets user-namespace pods (`hostUsers: false`) unmask `/proc`. The
            restricted level keeps the masks for every pod: an unmasked `/proc` still exposes more kernel interfaces
            than a restricted workload should have.
            """,
            "Remove `securityContext.procMount` or set it to `Default`.",
            "/proc Mount Type",
            RestrictedUrl,
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: nested
            spec:
              hostUsers: false
              containers:
                - name: app
                  image: busybox:1.36
                  securityContext:
                    procMount: Unmasked # expect: BW9019
            """,
            RestrictedGood(string.Empty)),
    ];

    private static readonly FrozenDictionary<string, RuleDescriptor> ByCheckId =
        All.ToFrozenDictionary(descriptor => descriptor.PodSecurityChecks[0], StringComparer.Ordinal);

    /// <summary>The descriptor of the check <paramref name="checkId"/> (case-sensitive, as upstream spells it).</summary>
    /// <exception cref="KeyNotFoundException">No such check.</exception>
    public static RuleDescriptor Get(string checkId) =>
        ByCheckId.TryGetValue(checkId, out var descriptor)
            ? descriptor
            : throw new KeyNotFoundException($"no Pod Security Standards check \"{checkId}\"");

    public static bool TryGet(string checkId, out RuleDescriptor? descriptor) => ByCheckId.TryGetValue(checkId, out descriptor);

    private static RuleDescriptor Describe(
        string id,
        string checkId,
        string title,
        Severity severity,
        string rationale,
        string remediation,
        string control,
        string url,
        string bad,
        string good) => new()
        {
            Id = id,
            Slug = SlugOf(checkId),
            Title = "Pod Security Standards: " + title,
            Severity = severity,
            Category = Category,
            Sources = [SourceKind.Kubernetes],
            Rationale = rationale,
            Remediation = remediation,
            References = [new RuleReference("Pod Security Standards", (url == BaselineUrl ? "baseline: " : "restricted: ") + control, url)],
            Examples = [RuleExample.Bad(SourceKind.Kubernetes, bad), RuleExample.Good(SourceKind.Kubernetes, good)],
            PodSecurityChecks = [checkId],
            RequiresOption = "--pss",
            FiresWhen = FiresWhen(url == BaselineUrl),
        };

    /// <summary>
    /// A check runs only when the scan is given a level that contains it (restricted contains baseline), and reports
    /// only what no checklist rule reports: <c>PodSecurityStage</c> adds it to the covering finding instead.
    /// </summary>
    private static string FiresWhen(bool baseline) =>
        "Only when the scan checks a Pod Security level that contains this check: "
        + (baseline ? "`--pss baseline` or `--pss restricted`" : "`--pss restricted`")
        + (baseline ? " (or `podSecurity: baseline` or `restricted` in `.bulwark.yaml`)" : " (or `podSecurity: restricted` in `.bulwark.yaml`)")
        + ", with an optional version (`--pss restricted:v1.30`). Even then it reports a violation only when no checklist rule"
        + " reports the same problem on the same object: that rule's finding names the check instead (`also:` in the table, `alsoViolates` in JSON).";

    /// <summary>A pod that passes the whole restricted level, with <paramref name="extraSpec"/> appended to its spec.</summary>
    private static string RestrictedGood(string extraSpec) =>
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: app
        spec:
          securityContext:
            runAsNonRoot: true
            runAsUser: 10001
            seccompProfile:
              type: RuntimeDefault
          containers:
            - name: app
              image: busybox:1.36
              securityContext:
                allowPrivilegeEscalation: false
                capabilities:
                  drop: ["ALL"]

        """ + extraSpec;

    /// <summary>
    /// <c>pss-</c> plus the check ID in kebab case (<c>hostNamespaces</c> → <c>pss-host-namespaces</c>,
    /// <c>seccompProfile_restricted</c> → <c>pss-seccomp-profile-restricted</c>); AppArmor and SELinux stay one word.
    /// </summary>
    public static string SlugOf(string checkId)
    {
        var words = checkId.Replace("appArmor", "apparmor", StringComparison.Ordinal).Replace("seLinux", "selinux", StringComparison.Ordinal);
        var slug = new System.Text.StringBuilder("pss-");
        foreach (var c in words)
        {
            if (c == '_')
            {
                slug.Append('-');
            }
            else if (char.IsUpper(c))
            {
                slug.Append('-').Append(char.ToLowerInvariant(c));
            }
            else
            {
                slug.Append(c);
            }
        }

        return slug.ToString();
    }
}

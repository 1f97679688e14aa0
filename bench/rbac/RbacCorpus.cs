using System.Globalization;
using System.Text;

namespace Bulwark.Bench.Rbac;

/// <summary>
/// A deterministic RBAC corpus: ROLES roles (80 % namespaced Roles, 20 % ClusterRoles, some aggregated) and as
/// many bindings (95 % RoleBindings, 5 % ClusterRoleBindings), 1,000 ServiceAccounts in 100 namespaces, half of
/// them used by a Deployment, and users and groups as subjects. Rules mix harmless reads with the escalation
/// vectors Bulwark looks for, so every analysis path has work to do.
/// </summary>
public static class RbacCorpus
{
    private const int Namespaces = 100;
    private const int AccountsPerNamespace = 10;

    private static readonly string[] Harmless =
    [
        """{apiGroups: [""], resources: [configmaps], verbs: [get, list, watch]}""",
        """{apiGroups: [""], resources: [pods, services], verbs: [get, list]}""",
        """{apiGroups: [apps], resources: [deployments], verbs: [get, list, watch]}""",
        """{apiGroups: [batch], resources: [jobs], verbs: [get]}""",
        """{apiGroups: [""], resources: [events], verbs: [create, patch]}""",
        """{apiGroups: [coordination.k8s.io], resources: [leases], verbs: [get, update], resourceNames: [leader]}""",
    ];

    private static readonly string[] Risky =
    [
        """{apiGroups: [""], resources: [secrets], verbs: [get, list]}""",
        """{apiGroups: [""], resources: [pods], verbs: [create]}""",
        """{apiGroups: [apps], resources: [deployments], verbs: [create, update]}""",
        """{apiGroups: [""], resources: [pods/exec], verbs: [create]}""",
        """{apiGroups: [""], resources: [serviceaccounts/token], verbs: [create]}""",
        """{apiGroups: [""], resources: [serviceaccounts], verbs: [impersonate]}""",
        """{apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}""",
        """{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}""",
    ];

    private static readonly string[] ClusterRisky =
    [
        """{apiGroups: [""], resources: [nodes/proxy], verbs: [get]}""",
        """{apiGroups: [""], resources: [groups, users], verbs: [impersonate]}""",
        """{apiGroups: [admissionregistration.k8s.io], resources: [mutatingwebhookconfigurations], verbs: [patch]}""",
        """{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}""",
        """{nonResourceURLs: ["/metrics", "/healthz*"], verbs: [get]}""",
    ];

    public static string Write(string directory, int roles, int seed)
    {
        var random = new Random(seed);
        Directory.CreateDirectory(directory);
        var files = new Dictionary<string, StringBuilder>(StringComparer.Ordinal);
        StringBuilder File(string name)
        {
            if (!files.TryGetValue(name, out var sb))
            {
                files[name] = sb = new StringBuilder();
            }

            return sb;
        }

        static string Ns(int i) => "ns-" + i.ToString("D3", CultureInfo.InvariantCulture);

        for (var n = 0; n < Namespaces; n++)
        {
            var sb = File(Ns(n) + "/accounts.yaml");
            sb.Append(CultureInfo.InvariantCulture, $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {Ns(n)}\n---\n");
            for (var a = 0; a < AccountsPerNamespace; a++)
            {
                sb.Append(CultureInfo.InvariantCulture, $"apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app-{a}\n  namespace: {Ns(n)}\n---\n");
                if (a % 2 == 0)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"""
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata:
                          name: app-{a}
                          namespace: {Ns(n)}
                        spec:
                          selector:
                            matchLabels: {"{"}app: app-{a}{"}"}
                          template:
                            metadata:
                              labels: {"{"}app: app-{a}{"}"}
                            spec:
                              serviceAccountName: app-{a}
                              containers:
                                - name: app
                                  image: registry.example/app-{a}:1.0
                        ---

                        """);
                }
            }
        }

        var clusterRoles = roles / 5;
        var namespacedRoles = roles - clusterRoles;
        var roleNamespaces = new int[namespacedRoles];
        for (var r = 0; r < namespacedRoles; r++)
        {
            var n = r % Namespaces;
            roleNamespaces[r] = n;
            File(Ns(n) + "/roles.yaml").Append(CultureInfo.InvariantCulture, $"apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: role-{r}\n  namespace: {Ns(n)}\nrules:\n{Rules(random, false)}---\n");
        }

        for (var c = 0; c < clusterRoles; c++)
        {
            var sb = File($"cluster/clusterroles-{c / 500:D2}.yaml");
            if (c % 50 == 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: cluster-role-{c}\naggregationRule:\n  clusterRoleSelectors:\n    - matchLabels: {{aggregate-to: group-{c / 50}}}\nrules: []\n---\n");
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: cluster-role-{c}\n  labels: {{aggregate-to: group-{c / 50}}}\nrules:\n{Rules(random, true)}---\n");
            }
        }

        var clusterBindings = roles / 20;
        for (var b = 0; b < roles; b++)
        {
            string Subject()
            {
                var pick = random.Next(10);
                if (pick < 6)
                {
                    return $"{{kind: ServiceAccount, name: app-{random.Next(AccountsPerNamespace)}, namespace: {Ns(random.Next(Namespaces))}}}";
                }

                return pick < 9 ? $"{{kind: User, name: user-{random.Next(2000)}}}" : $"{{kind: Group, name: group-{random.Next(200)}}}";
            }

            var subjects = string.Join(", ", Enumerable.Range(0, 1 + random.Next(3)).Select(_ => Subject()));
            if (b < clusterBindings)
            {
                // Cluster-wide bindings mostly grant harmless cluster roles; a few grant the risky ones.
                var role = random.Next(clusterRoles);
                File($"cluster/clusterrolebindings-{b / 500:D2}.yaml").Append(CultureInfo.InvariantCulture,
                    $"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: crb-{b}\nsubjects: [{subjects}]\nroleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-role-{role}}}\n---\n");
                continue;
            }

            var r = random.Next(namespacedRoles);
            var n = roleNamespaces[r];
            var toClusterRole = random.Next(4) == 0;
            var roleRef = toClusterRole
                ? $"{{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-role-{random.Next(clusterRoles)}}}"
                : $"{{apiGroup: rbac.authorization.k8s.io, kind: Role, name: role-{r}}}";
            File(Ns(n) + "/rolebindings.yaml").Append(CultureInfo.InvariantCulture,
                $"apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb-{b}\n  namespace: {Ns(n)}\nsubjects: [{subjects}]\nroleRef: {roleRef}\n---\n");
        }

        long bytes = 0;
        foreach (var (name, sb) in files)
        {
            var path = Path.Combine(directory, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var text = sb.ToString();
            System.IO.File.WriteAllText(path, text);
            bytes += Encoding.UTF8.GetByteCount(text);
        }

        return FormattableString.Invariant(
            $"wrote {roles} roles ({clusterRoles} ClusterRoles), {roles} bindings ({clusterBindings} ClusterRoleBindings), {Namespaces * AccountsPerNamespace} ServiceAccounts in {Namespaces} namespaces, {Namespaces * AccountsPerNamespace / 2} Deployments: {files.Count} files, {bytes / 1024} KiB");
    }

    private static string Rules(Random random, bool cluster)
    {
        var sb = new StringBuilder();
        var count = 1 + random.Next(4);
        for (var i = 0; i < count; i++)
        {
            var roll = random.Next(100);
            var rule = cluster && roll < 2 ? ClusterRisky[random.Next(ClusterRisky.Length)]
                : roll < 12 ? Risky[random.Next(Risky.Length)]
                : Harmless[random.Next(Harmless.Length)];
            sb.Append("  - ").Append(rule).Append('\n');
        }

        return sb.ToString();
    }
}

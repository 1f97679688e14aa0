namespace Bulwark.Kubernetes.Rbac;

/// <summary>
/// The RBAC objects kube-apiserver creates in every cluster (its bootstrap policy): cluster-admin, admin, edit and
/// view with the <c>system:aggregate-to-*</c> roles they aggregate, the <c>system:</c> ClusterRoles of the control
/// plane and of each controller, the Roles of kube-system and kube-public, and their bindings. The facts are in
/// <c>BootstrapPolicy.txt</c> (which says where they come from and which Kubernetes version they describe), read once.
/// </summary>
public static class BootstrapPolicy
{
    public const string BootstrappingLabel = "kubernetes.io/bootstrapping";
    public const string BootstrappingValue = "rbac-defaults";

    /// <summary>The annotation with which an administrator stops the API server from reconciling a bootstrap object.</summary>
    public const string AutoUpdateAnnotation = "rbac.authorization.kubernetes.io/autoupdate";

    private static readonly Lazy<Definitions> Data = new(Load);

    /// <summary>The Kubernetes minor version the policy describes.</summary>
    public static string KubernetesVersion => Data.Value.Version;

    public static IReadOnlyList<BootstrapRole> Roles => Data.Value.Roles;

    public static IReadOnlyList<BootstrapBinding> Bindings => Data.Value.Bindings;

    /// <summary>True when <paramref name="name"/> is a ClusterRole of the bootstrap policy.</summary>
    public static bool HasClusterRole(string name) => Data.Value.ClusterRoleNames.Contains(name);

    /// <summary>Parses the policy text (public for the tests that check the file's format).</summary>
    public static (string Version, List<BootstrapRole> Roles, List<BootstrapBinding> Bindings) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var version = string.Empty;
        var roles = new List<BootstrapRole>();
        var bindings = new List<BootstrapBinding>();
        BootstrapRole? current = null;
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            var fields = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (line[0] == ' ')
            {
                if (current is null)
                {
                    throw Error("a rule outside a role");
                }

                if (fields[0] == "aggregate")
                {
                    var (key, value) = Pair(fields[1]);
                    current.Aggregation.Add(new Dictionary<string, string>(StringComparer.Ordinal) { [key] = value });
                }
                else if (fields.Length >= 3 && fields[1] == "url")
                {
                    current.Rules.Add(RbacPolicyRule.Of(List(fields[0]), nonResourceUrls: List(fields[2])));
                }
                else if (fields.Length is 3 or 4)
                {
                    var names = fields.Length == 4 && fields[3].StartsWith("names:", StringComparison.Ordinal) ? List(fields[3][6..]) : [];
                    var groups = List(fields[1]).Select(g => g == "core" ? string.Empty : g).ToArray();
                    current.Rules.Add(RbacPolicyRule.Of(List(fields[0]), groups, List(fields[2]), names));
                }
                else
                {
                    throw Error("a rule is VERBS GROUPS RESOURCES [names:...] or VERBS url URLS");
                }

                continue;
            }

            current = null;
            switch (fields[0])
            {
                case "version":
                    version = fields[1];
                    break;
                case "clusterrole" or "role":
                    {
                        var cluster = fields[0] == "clusterrole";
                        var ns = cluster ? string.Empty : fields[1];
                        var name = fields[cluster ? 1 : 2];
                        current = new BootstrapRole(cluster ? RbacRoleKind.ClusterRole : RbacRoleKind.Role, ns, name);
                        var arrow = Array.IndexOf(fields, "=>");
                        foreach (var label in fields[(cluster ? 2 : 3)..(arrow < 0 ? fields.Length : arrow)])
                        {
                            if (!label.StartsWith("label:", StringComparison.Ordinal))
                            {
                                throw Error($"unexpected \"{label}\"");
                            }

                            var (key, value) = Pair(label[6..]);
                            current.Labels[key] = value;
                        }

                        roles.Add(current);
                        if (arrow >= 0)
                        {
                            bindings.Add(new BootstrapBinding(current.Kind == RbacRoleKind.ClusterRole ? RbacBindingKind.ClusterRoleBinding : RbacBindingKind.RoleBinding,
                                ns, name, current.Kind, name, [.. fields[(arrow + 1)..].Select(Subject)]));
                        }

                        break;
                    }

                case "rolebinding" when fields.Length >= 7 && fields[3] == "->" && fields[5] == "=>":
                    bindings.Add(new BootstrapBinding(RbacBindingKind.RoleBinding, fields[1], fields[2], RbacRoleKind.Role, fields[4], [.. fields[6..].Select(Subject)]));
                    break;
                default:
                    throw Error($"unexpected \"{fields[0]}\"");
            }
        }

        return (version, roles, bindings);

        InvalidDataException Error(string message) => new($"BootstrapPolicy.txt line {lineNumber}: {message}");

        static string[] List(string text) => text.Split(',');

        (string, string) Pair(string text)
        {
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            return eq > 0 ? (text[..eq], text[(eq + 1)..]) : throw Error($"\"{text}\" is not KEY=VALUE");
        }

        RbacSubject Subject(string text)
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var (kind, rest) = colon > 0 ? (text[..colon], text[(colon + 1)..]) : (string.Empty, text);
            return kind switch
            {
                "user" => new RbacSubject(RbacSubject.User, rest, string.Empty, null),
                "group" => new RbacSubject(RbacSubject.Group, rest, string.Empty, null),
                "sa" when rest.Split('/') is [var ns, var name] => new RbacSubject(RbacSubject.ServiceAccount, name, ns, null),
                _ => throw Error($"\"{text}\" is not user:NAME, group:NAME or sa:NAMESPACE/NAME"),
            };
        }
    }

    private static Definitions Load()
    {
        using var stream = typeof(BootstrapPolicy).Assembly.GetManifestResourceStream("Bulwark.Kubernetes.Rbac.BootstrapPolicy.txt")
            ?? throw new InvalidOperationException("the bootstrap policy resource is missing");
        using var reader = new StreamReader(stream);
        var (version, roles, bindings) = Parse(reader.ReadToEnd());
        return new Definitions(version, roles, bindings, [.. roles.Where(r => r.Kind == RbacRoleKind.ClusterRole).Select(r => r.Name)]);
    }

    private sealed record Definitions(string Version, List<BootstrapRole> Roles, List<BootstrapBinding> Bindings, HashSet<string> ClusterRoleNames);
}

/// <summary>A role of the bootstrap policy. Its rules are templates: each <see cref="RbacModel"/> makes its own copies.</summary>
public sealed class BootstrapRole(RbacRoleKind kind, string ns, string name)
{
    public RbacRoleKind Kind { get; } = kind;

    public string Namespace { get; } = ns;

    public string Name { get; } = name;

    /// <summary>Labels besides <c>kubernetes.io/bootstrapping</c>, which every bootstrap role has.</summary>
    public Dictionary<string, string> Labels { get; } = new(StringComparer.Ordinal);

    /// <summary>The matchLabels of each aggregation selector; empty when the role is not aggregated.</summary>
    public List<Dictionary<string, string>> Aggregation { get; } = [];

    public List<RbacPolicyRule> Rules { get; } = [];
}

/// <summary>A binding of the bootstrap policy.</summary>
public sealed record BootstrapBinding(RbacBindingKind Kind, string Namespace, string Name, RbacRoleKind RoleKind, string RoleName, IReadOnlyList<RbacSubject> Subjects);

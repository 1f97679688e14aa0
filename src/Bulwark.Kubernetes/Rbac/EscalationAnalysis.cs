namespace Bulwark.Kubernetes.Rbac;

/// <summary>Where an escalation path ends.</summary>
public enum EscalationGoal
{
    /// <summary>Every verb on every resource cluster-wide, or a way to act as <c>system:masters</c>.</summary>
    ClusterAdmin,

    /// <summary>Reading the Secrets of every namespace.</summary>
    ClusterSecrets,
}

/// <summary>One step of a path: <see cref="From"/> uses <see cref="Action"/>, granted through <see cref="Grant"/>, and becomes (or reaches) <see cref="To"/>.</summary>
public sealed record EscalationStep(string From, string Action, RbacGrant? Grant, string To)
{
    /// <summary>The binding and role that grant the step ("member of system:masters" and similar have none).</summary>
    public string Via => Grant is { } g ? $"{g.Binding.Display} → {g.Role.Display}" : string.Empty;
}

/// <summary>The shortest way found from a subject to an <see cref="EscalationGoal"/>.</summary>
public sealed record EscalationPath(string Subject, EscalationGoal Goal, IReadOnlyList<EscalationStep> Steps)
{
    public static string GoalDisplay(EscalationGoal goal) => goal == EscalationGoal.ClusterAdmin ? "cluster-admin-equivalent" : "secrets of every namespace";
}

/// <summary>
/// Privilege-escalation paths over an <see cref="RbacModel"/>: a graph whose nodes are subjects (users, groups,
/// service accounts) and whose edges are the documented escalation vectors of Kubernetes' RBAC good practices —
/// creating pods or workload controllers in a namespace runs code as any of its service accounts; reading its
/// Secrets yields their token Secrets; <c>serviceaccounts/token</c> issues tokens; exec, attach and ephemeral
/// containers enter running pods; <c>nodes/proxy</c> (even <c>get</c>) reaches every pod through the kubelet;
/// impersonation, <c>bind</c> and <c>escalate</c>, CSR approval and admission-webhook control hand over what they
/// name. A breadth-first search back from the two goals gives every subject its shortest path.
/// </summary>
public sealed class EscalationAnalysis
{
    private static readonly (string Group, string Resource)[] WorkloadResources =
    [
        (string.Empty, "pods"), (string.Empty, "replicationcontrollers"), ("apps", "deployments"), ("apps", "replicasets"),
        ("apps", "statefulsets"), ("apps", "daemonsets"), ("batch", "jobs"), ("batch", "cronjobs"),
    ];

    private readonly RbacModel _model;
    private readonly RbacResolver _resolver;
    private readonly List<Node> _nodes = [];
    private readonly Dictionary<string, int> _byKey = new(StringComparer.Ordinal);
    private readonly HashSet<(int, int)> _edgeSet = [];
    private readonly Dictionary<string, List<RbacServiceAccount>> _accountsByNamespace = new(StringComparer.Ordinal);
    private readonly int _clusterAdmin;
    private readonly int _clusterSecrets;

    private EscalationAnalysis(RbacModel model)
    {
        _model = model;
        _resolver = new RbacResolver(model);
        _clusterAdmin = AddNode("goal:admin", EscalationPath.GoalDisplay(EscalationGoal.ClusterAdmin), null, NodeKind.Goal);
        _clusterSecrets = AddNode("goal:secrets", EscalationPath.GoalDisplay(EscalationGoal.ClusterSecrets), null, NodeKind.Goal);
        foreach (var account in model.ServiceAccounts)
        {
            if (!_accountsByNamespace.TryGetValue(account.Namespace, out var list))
            {
                _accountsByNamespace[account.Namespace] = list = [];
            }

            list.Add(account);
        }
    }

    private enum NodeKind
    {
        Subject,
        Pool,
        Goal,
    }

    /// <summary>How taking over a namespace's service accounts works; each has its own pool of targets.</summary>
    private enum Mechanism
    {
        RunPod,
        ReadTokenSecret,
        RequestToken,
        Exec,
        Kubelet,
        Impersonate,
        BindRole,
    }

    /// <summary>Every subject with a path to a goal, shortest path first, then by subject.</summary>
    public static IReadOnlyList<EscalationPath> Analyze(RbacModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var analysis = new EscalationAnalysis(model);
        analysis.Build();
        return analysis.Paths();
    }

    private int AddNode(string key, string display, RbacIdentity? identity, NodeKind kind)
    {
        if (_byKey.TryGetValue(key, out var id))
        {
            return id;
        }

        id = _nodes.Count;
        _nodes.Add(new Node(display, identity, kind));
        _byKey[key] = id;
        return id;
    }

    private int Subject(RbacIdentity identity) => AddNode("s:" + identity.Display, identity.Display, identity, NodeKind.Subject);

    private void AddEdge(int from, int to, string action, RbacGrant? grant)
    {
        if (from != to && _edgeSet.Add((from, to)))
        {
            _nodes[from].Edges.Add(new Edge(to, action, grant));
        }
    }

    private void Build()
    {
        foreach (var account in _model.ServiceAccounts)
        {
            Subject(account.Identity);
        }

        foreach (var binding in _model.Bindings)
        {
            foreach (var subject in binding.Subjects)
            {
                if (subject.MatchKey is null)
                {
                    continue;
                }

                Subject(subject.Kind switch
                {
                    RbacSubject.ServiceAccount => RbacIdentity.ForServiceAccount(subject.Namespace, subject.Name),
                    RbacSubject.Group => RbacIdentity.ForGroup(subject.Name),
                    _ => RbacIdentity.ForUser(subject.Name),
                });
            }
        }

        // Subjects only; pools and goals are added while edges are found, after this snapshot.
        var subjects = Enumerable.Range(0, _nodes.Count).Where(i => _nodes[i].Kind == NodeKind.Subject).ToList();
        foreach (var id in subjects)
        {
            AddCapabilities(id, _nodes[id].Identity!);
        }
    }

    private void AddCapabilities(int from, RbacIdentity identity)
    {
        if (identity.IsMaster)
        {
            AddEdge(from, _clusterAdmin, "is in group system:masters, which bypasses RBAC", null);
            return;
        }

        var csrCreate = default(RbacGrant);
        var csrApprove = default(RbacGrant);
        var signerApprove = default(RbacGrant);
        foreach (var grant in _resolver.RulesFor(identity))
        {
            var rule = grant.Rule;
            var clusterWide = grant.Binding.IsClusterWide;
            var scope = clusterWide ? "*" : grant.Binding.Namespace;
            var where = clusterWide ? "in every namespace" : $"in namespace {scope}";

            if (clusterWide && Nameless(rule, "*", "*", "*"))
            {
                AddEdge(from, _clusterAdmin, "holds every verb on every resource cluster-wide", grant);
            }

            if (clusterWide && (Nameless(rule, "list", string.Empty, "secrets") || Nameless(rule, "watch", string.Empty, "secrets")))
            {
                AddEdge(from, _clusterSecrets, "can list Secrets in every namespace", grant);
            }

            foreach (var (group, resource) in WorkloadResources)
            {
                if (Nameless(rule, "create", group, resource))
                {
                    Pool(from, scope, Mechanism.RunPod, $"can create {resource} {where}", grant);
                    break;
                }
            }

            if (Nameless(rule, "list", string.Empty, "secrets") || Nameless(rule, "watch", string.Empty, "secrets"))
            {
                Pool(from, scope, Mechanism.ReadTokenSecret, $"can read Secrets {where}", grant);
            }

            if (RbacMatcher.AllowsSomeName(rule, "create", string.Empty, "serviceaccounts", "token"))
            {
                Named(from, scope, Mechanism.RequestToken, $"can create serviceaccounts/token {where}", grant, rule.ResourceNames);
            }

            if (Nameless(rule, "create", string.Empty, "pods", "exec") || Nameless(rule, "get", string.Empty, "pods", "exec")
                || Nameless(rule, "create", string.Empty, "pods", "attach") || Nameless(rule, "patch", string.Empty, "pods", "ephemeralcontainers")
                || Nameless(rule, "update", string.Empty, "pods", "ephemeralcontainers"))
            {
                Pool(from, scope, Mechanism.Exec, $"can exec, attach or add ephemeral containers to pods {where}", grant);
            }

            if (RbacMatcher.AllowsSomeName(rule, "impersonate", string.Empty, "serviceaccounts"))
            {
                Named(from, scope, Mechanism.Impersonate, $"can impersonate service accounts {where}", grant, rule.ResourceNames);
            }

            if ((Nameless(rule, "bind", RbacModel.RbacGroup, "clusterroles") || Nameless(rule, "bind", RbacModel.RbacGroup, "roles")
                    || Nameless(rule, "escalate", RbacModel.RbacGroup, "roles"))
                && HoldsAnywhere(identity, scope, "create", RbacModel.RbacGroup, "rolebindings"))
            {
                Pool(from, scope, Mechanism.BindRole, $"can bind any role {where}", grant);
            }

            if (!clusterWide)
            {
                continue;
            }

            // Cluster-scoped resources: only ClusterRoleBindings grant them.
            if (Nameless(rule, "get", string.Empty, "nodes", "proxy") || Nameless(rule, "create", string.Empty, "nodes", "proxy"))
            {
                Pool(from, "*", Mechanism.Kubelet, "can reach the kubelet API through nodes/proxy (a websocket GET is enough)", grant);
            }

            if (RbacMatcher.AllowsSomeName(rule, "impersonate", string.Empty, "groups")
                && (rule.ResourceNames.Length == 0 || rule.ResourceNames.Contains(RbacIdentity.Masters, StringComparer.Ordinal)))
            {
                AddEdge(from, _clusterAdmin, "can impersonate group system:masters", grant);
            }

            if (RbacMatcher.AllowsSomeName(rule, "impersonate", string.Empty, "users"))
            {
                foreach (var target in ImpersonableUsers(rule.ResourceNames))
                {
                    AddEdge(from, target, "can impersonate users", grant);
                }
            }

            if (RbacMatcher.AllowsSomeName(rule, "bind", RbacModel.RbacGroup, "clusterroles")
                && (rule.ResourceNames.Length == 0 || rule.ResourceNames.Contains(RbacModel.ClusterAdmin, StringComparer.Ordinal))
                && HoldsAnywhere(identity, string.Empty, "create", RbacModel.RbacGroup, "clusterrolebindings"))
            {
                AddEdge(from, _clusterAdmin, "can bind cluster-admin to itself (bind on clusterroles, create clusterrolebindings)", grant);
            }

            if (Nameless(rule, "escalate", RbacModel.RbacGroup, "clusterroles")
                && (HoldsAnywhere(identity, string.Empty, "update", RbacModel.RbacGroup, "clusterroles")
                    || HoldsAnywhere(identity, string.Empty, "patch", RbacModel.RbacGroup, "clusterroles")))
            {
                AddEdge(from, _clusterAdmin, "can add any permission to the ClusterRoles bound to it (escalate, update clusterroles)", grant);
            }

            if (Nameless(rule, "create", "certificates.k8s.io", "certificatesigningrequests"))
            {
                csrCreate ??= grant;
            }

            if (Nameless(rule, "update", "certificates.k8s.io", "certificatesigningrequests", "approval")
                || Nameless(rule, "patch", "certificates.k8s.io", "certificatesigningrequests", "approval"))
            {
                csrApprove ??= grant;
            }

            if (RbacMatcher.AllowsSomeName(rule, "approve", "certificates.k8s.io", "signers")
                && (rule.ResourceNames.Length == 0 || rule.ResourceNames.Any(n => n is "kubernetes.io/kube-apiserver-client" or "kubernetes.io/*")))
            {
                signerApprove ??= grant;
            }

            foreach (var resource in new[] { "mutatingwebhookconfigurations", "validatingwebhookconfigurations" })
            {
                if (Nameless(rule, "create", "admissionregistration.k8s.io", resource) || Nameless(rule, "update", "admissionregistration.k8s.io", resource)
                    || Nameless(rule, "patch", "admissionregistration.k8s.io", resource))
                {
                    AddEdge(from, _clusterSecrets, $"can write {resource}, so an admission webhook of its choosing receives every Secret written", grant);
                    break;
                }
            }
        }

        if (csrCreate is not null && csrApprove is not null && signerApprove is not null)
        {
            AddEdge(from, _clusterAdmin, "can create and approve a client CertificateSigningRequest for group system:masters", csrApprove);
        }
    }

    /// <summary>RbacMatcher.Allows for a request without a name, in the order that rejects most rules soonest and allocates only for a match.</summary>
    private static bool Nameless(RbacPolicyRule rule, string verb, string group, string resource, string subresource = "") =>
        rule.ResourceNames.Length == 0
        && RbacMatcher.VerbMatches(rule, verb)
        && RbacMatcher.ApiGroupMatches(rule, group)
        && RbacMatcher.ResourceMatches(rule, subresource.Length > 0 ? resource + "/" + subresource : resource, subresource);

    /// <summary>True when the identity may make the nameless request in <paramref name="scope"/> ("*": every namespace; empty: cluster-scoped).</summary>
    private bool HoldsAnywhere(RbacIdentity identity, string scope, string verb, string group, string resource)
    {
        var request = RbacRequest.ForResource(verb, group, resource);
        foreach (var grant in _resolver.RulesFor(identity))
        {
            var applies = grant.Binding.IsClusterWide || (scope.Length > 0 && scope != "*" && grant.Binding.Namespace == scope);
            if (applies && RbacMatcher.Allows(grant.Rule, request))
            {
                return true;
            }
        }

        return false;
    }

    private IEnumerable<int> ImpersonableUsers(string[] names)
    {
        for (var i = 0; i < _nodes.Count; i++)
        {
            if (_nodes[i] is { Kind: NodeKind.Subject, Identity: { Kind: RbacIdentityKind.User } user }
                && (names.Length == 0 || names.Contains(user.Name, StringComparer.Ordinal)))
            {
                yield return i;
            }
        }
    }

    private IEnumerable<RbacServiceAccount> AccountsIn(string scope) =>
        scope == "*" ? _model.ServiceAccounts : _accountsByNamespace.GetValueOrDefault(scope) ?? [];

    private void Pool(int from, string scope, Mechanism mechanism, string action, RbacGrant grant)
    {
        var key = $"p:{mechanism}:{scope}";
        if (!_byKey.TryGetValue(key, out var pool))
        {
            pool = AddNode(key, key, null, NodeKind.Pool);
            foreach (var account in AccountsIn(scope))
            {
                var running = account.Workloads.Count > 0;
                if (mechanism is Mechanism.Exec or Mechanism.Kubelet && !running)
                {
                    continue;
                }

                AddEdge(pool, Subject(account.Identity), TakeOver(mechanism), null);
            }
        }

        AddEdge(from, pool, action, grant);
    }

    private void Named(int from, string scope, Mechanism mechanism, string action, RbacGrant grant, string[] names)
    {
        if (names.Length == 0)
        {
            Pool(from, scope, mechanism, action, grant);
            return;
        }

        foreach (var account in AccountsIn(scope))
        {
            if (names.Contains(account.Name, StringComparer.Ordinal))
            {
                AddEdge(from, Subject(account.Identity), $"{action} for {account.Name}, then {TakeOver(mechanism)}", grant);
            }
        }
    }

    private static string TakeOver(Mechanism mechanism) => mechanism switch
    {
        Mechanism.RunPod => "runs a pod as the service account",
        Mechanism.ReadTokenSecret => "reads the service account's token Secret",
        Mechanism.RequestToken => "requests a token for the service account",
        Mechanism.Exec => "enters a pod that runs as the service account",
        Mechanism.Kubelet => "runs commands through the kubelet in a pod that runs as the service account",
        Mechanism.Impersonate => "impersonates the service account",
        _ => "binds itself any role there and runs a pod as the service account",
    };

    private List<EscalationPath> Paths()
    {
        // Reverse edges, then a breadth-first search from both goals: next[n] is n's first edge on a shortest path.
        var reverse = new List<(int From, int Edge)>[_nodes.Count];
        for (var i = 0; i < _nodes.Count; i++)
        {
            reverse[i] = [];
        }

        for (var from = 0; from < _nodes.Count; from++)
        {
            for (var e = 0; e < _nodes[from].Edges.Count; e++)
            {
                reverse[_nodes[from].Edges[e].To].Add((from, e));
            }
        }

        var next = new int[_nodes.Count];
        var goal = new int[_nodes.Count];
        Array.Fill(next, -1);
        var queue = new Queue<int>();
        foreach (var g in new[] { _clusterAdmin, _clusterSecrets })
        {
            goal[g] = g;
            queue.Enqueue(g);
        }

        var reached = new bool[_nodes.Count];
        reached[_clusterAdmin] = reached[_clusterSecrets] = true;
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var (from, edge) in reverse[node])
            {
                if (!reached[from])
                {
                    reached[from] = true;
                    next[from] = edge;
                    goal[from] = goal[node];
                    queue.Enqueue(from);
                }
            }
        }

        var paths = new List<EscalationPath>();
        for (var start = 0; start < _nodes.Count; start++)
        {
            if (_nodes[start].Kind != NodeKind.Subject || !reached[start])
            {
                continue;
            }

            var steps = new List<EscalationStep>();
            var node = start;
            while (_nodes[node].Kind != NodeKind.Goal)
            {
                var edge = _nodes[node].Edges[next[node]];
                if (_nodes[edge.To].Kind == NodeKind.Pool)
                {
                    var hop = _nodes[edge.To].Edges[next[edge.To]];
                    steps.Add(new EscalationStep(_nodes[node].Display, $"{edge.Action}, then {hop.Action}", edge.Grant, _nodes[hop.To].Display));
                    node = hop.To;
                }
                else
                {
                    steps.Add(new EscalationStep(_nodes[node].Display, edge.Action, edge.Grant, _nodes[edge.To].Display));
                    node = edge.To;
                }
            }

            paths.Add(new EscalationPath(_nodes[start].Display, goal[start] == _clusterAdmin ? EscalationGoal.ClusterAdmin : EscalationGoal.ClusterSecrets, steps));
        }

        return [.. paths.OrderBy(p => p.Steps.Count).ThenBy(p => p.Subject, StringComparer.Ordinal)];
    }

    private sealed record Node(string Display, RbacIdentity? Identity, NodeKind Kind)
    {
        public List<Edge> Edges { get; } = [];
    }

    private sealed record Edge(int To, string Action, RbacGrant? Grant);
}

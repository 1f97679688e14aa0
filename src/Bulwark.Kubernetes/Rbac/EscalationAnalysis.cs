namespace Bulwark.Kubernetes.Rbac;

/// <summary>Where an escalation path ends, most severe first.</summary>
public enum EscalationGoal
{
    /// <summary>Every verb on every resource cluster-wide, or a way to act as <c>system:masters</c>.</summary>
    ClusterAdmin,

    /// <summary>Code execution on the nodes: every pod through the kubelet API, or a node's file system.</summary>
    NodeAccess,

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
    public static string GoalDisplay(EscalationGoal goal) => goal switch
    {
        EscalationGoal.ClusterAdmin => "cluster-admin-equivalent",
        EscalationGoal.NodeAccess => "code execution on the nodes",
        _ => "secrets of every namespace",
    };

    /// <summary>The goal's name in machine-readable output.</summary>
    public static string GoalKey(EscalationGoal goal) => goal switch
    {
        EscalationGoal.ClusterAdmin => "cluster-admin",
        EscalationGoal.NodeAccess => "node-access",
        _ => "cluster-secrets",
    };
}

/// <summary>
/// Privilege-escalation paths over an <see cref="RbacModel"/>: a graph whose nodes are subjects (users, groups,
/// service accounts) and whose edges are the documented escalation vectors of Kubernetes' RBAC good practices —
/// creating pods or workload controllers in a namespace (or rewriting a controller's pod template) runs code as
/// any of its service accounts; creating and reading Secrets there mints a token Secret for any of them;
/// <c>serviceaccounts/token</c> issues tokens; exec, attach, ephemeral containers and image swaps enter running
/// pods (as the accounts they already run as); <c>nodes/proxy</c> (even <c>get</c>) reaches every pod through the
/// kubelet; impersonation, <c>bind</c> and <c>escalate</c>, CSR approval and admission-webhook control hand over what
/// they name. The API server's bootstrap roles and bindings are part of the graph (a token for a controller's
/// account of kube-system is that controller's power), but paths are reported for the input's subjects only.
/// A breadth-first search back from each goal separately gives every subject its shortest path to each goal it
/// reaches, so a subject that can read every Secret in one step and become cluster-admin in two is shown both.
/// </summary>
public sealed class EscalationAnalysis
{
    private static readonly (string Group, string Resource)[] WorkloadResources =
    [
        (string.Empty, "pods"), (string.Empty, "replicationcontrollers"), ("apps", "deployments"), ("apps", "replicasets"),
        ("apps", "statefulsets"), ("apps", "daemonsets"), ("batch", "jobs"), ("batch", "cronjobs"),
    ];

    /// <summary>Controllers whose pod template may be rewritten, service account included (a Job's is immutable; a pod's service account too).</summary>
    private static readonly (string Group, string Resource)[] TemplatedControllers =
    [
        (string.Empty, "replicationcontrollers"), ("apps", "deployments"), ("apps", "replicasets"),
        ("apps", "statefulsets"), ("apps", "daemonsets"), ("batch", "cronjobs"),
    ];

    private static readonly EscalationGoal[] Goals = Enum.GetValues<EscalationGoal>();

    private readonly RbacModel _model;
    private readonly RbacResolver _resolver;
    private readonly List<Node> _nodes = [];
    private readonly Dictionary<string, int> _byKey = new(StringComparer.Ordinal);
    private readonly HashSet<(int, int)> _edgeSet = [];
    private readonly Dictionary<string, List<RbacServiceAccount>> _accountsByNamespace = new(StringComparer.Ordinal);
    private readonly int[] _goals;

    private EscalationAnalysis(RbacModel model)
    {
        _model = model;
        _resolver = new RbacResolver(model);
        _goals = [.. Goals.Select(g => AddNode("goal:" + GoalKeyOf(g), EscalationPath.GoalDisplay(g), null, NodeKind.Goal))];
        foreach (var account in model.ServiceAccounts)
        {
            if (!_accountsByNamespace.TryGetValue(account.Namespace, out var list))
            {
                _accountsByNamespace[account.Namespace] = list = [];
            }

            list.Add(account);
        }

        static string GoalKeyOf(EscalationGoal goal) => EscalationPath.GoalKey(goal);
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
        MintTokenSecret,
        RequestToken,
        Exec,
        SwapImage,
        Kubelet,
        Impersonate,
        BindRole,
    }

    /// <summary>
    /// For every subject of the input, each goal it reaches with the shortest path there, the most severe goal
    /// first; a goal is left out when a more severe one is reached in as few steps (cluster-admin reads every
    /// Secret too). Subjects come in order of their most severe goal, then of path length, then by name.
    /// </summary>
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

    private void Goal(int from, EscalationGoal goal, string action, RbacGrant? grant) => AddEdge(from, _goals[(int)goal], action, grant);

    private void Build()
    {
        foreach (var account in _model.ServiceAccounts)
        {
            var id = Subject(account.Identity);
            _nodes[id].Reported |= !account.IsBuiltIn;
        }

        foreach (var binding in _model.Bindings)
        {
            foreach (var subject in binding.Subjects)
            {
                if (subject.MatchKey is null)
                {
                    continue;
                }

                var id = Subject(subject.Kind switch
                {
                    RbacSubject.ServiceAccount => RbacIdentity.ForServiceAccount(subject.Namespace, subject.Name),
                    RbacSubject.Group => RbacIdentity.ForGroup(subject.Name),
                    _ => RbacIdentity.ForUser(subject.Name),
                });
                _nodes[id].Reported |= !binding.IsBuiltIn;
            }
        }

        // Subjects only; pools are added while edges are found, after this snapshot.
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
            Goal(from, EscalationGoal.ClusterAdmin, "is in group system:masters, which bypasses RBAC", null);
            return;
        }

        var csrCreate = default(RbacGrant);
        var csrApprove = default(RbacGrant);
        var signerApprove = default(RbacGrant);
        var volumeCreate = default(RbacGrant);
        var grants = _resolver.RulesFor(identity).ToList();
        foreach (var grant in grants)
        {
            var rule = grant.Rule;
            var clusterWide = grant.Binding.IsClusterWide;
            var scope = clusterWide ? "*" : grant.Binding.Namespace;
            var where = clusterWide ? "in every namespace" : $"in namespace {scope}";

            if (clusterWide && Nameless(rule, "*", "*", "*"))
            {
                Goal(from, EscalationGoal.ClusterAdmin, "holds every verb on every resource cluster-wide", grant);
            }

            if (clusterWide && (Nameless(rule, "list", string.Empty, "secrets") || Nameless(rule, "watch", string.Empty, "secrets")))
            {
                Goal(from, EscalationGoal.ClusterSecrets, $"can {(RbacMatcher.VerbMatches(rule, "list") ? "list" : "watch")} Secrets in every namespace", grant);
            }

            foreach (var (group, resource) in WorkloadResources)
            {
                if (Nameless(rule, "create", group, resource))
                {
                    Pool(from, scope, Mechanism.RunPod, $"can create {resource} {where}", grant);
                    break;
                }
            }

            foreach (var (group, resource) in TemplatedControllers)
            {
                if (GrantedVerb(rule, ["update", "patch"], group, resource) is { } verb)
                {
                    Pool(from, scope, Mechanism.RunPod, $"can {verb} {resource} {where} (their pod template, service account included)", grant);
                    break;
                }
            }

            if (GrantedVerb(rule, ["update", "patch"], string.Empty, "pods") is { } podVerb)
            {
                Pool(from, scope, Mechanism.SwapImage, $"can {podVerb} pods {where} (a container's image, not the pod's service account)", grant);
            }

            if (Nameless(rule, "create", string.Empty, "secrets")
                && HoldsIn(grants, scope, r => RbacMatcher.AllowsSomeName(r, "get", string.Empty, "secrets") || Nameless(r, "list", string.Empty, "secrets")))
            {
                Pool(from, scope, Mechanism.MintTokenSecret, $"can create and read Secrets {where}", grant);
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

            if ((Nameless(rule, "bind", RbacModel.RbacGroup, "clusterroles") || Nameless(rule, "bind", RbacModel.RbacGroup, "roles"))
                && HoldsIn(grants, scope, r => Nameless(r, "create", RbacModel.RbacGroup, "rolebindings")))
            {
                Pool(from, scope, Mechanism.BindRole, $"can bind any role {where} (bind, create rolebindings)", grant);
            }

            if (!clusterWide && Nameless(rule, "escalate", RbacModel.RbacGroup, "roles")
                && HoldsIn(grants, scope, r => RbacMatcher.AllowsSomeName(r, "update", RbacModel.RbacGroup, "roles") || RbacMatcher.AllowsSomeName(r, "patch", RbacModel.RbacGroup, "roles"))
                && grants.Any(g => g.Role.Kind == RbacRoleKind.Role && g.Binding.Namespace == scope))
            {
                Pool(from, scope, Mechanism.BindRole, $"can add any permission to the Roles bound to it {where} (escalate, update roles)", grant);
            }

            if (!clusterWide)
            {
                continue;
            }

            // Cluster-scoped resources: only ClusterRoleBindings grant them.
            if (Nameless(rule, "get", string.Empty, "nodes", "proxy") || Nameless(rule, "create", string.Empty, "nodes", "proxy"))
            {
                const string kubelet = "can reach the kubelet API of every node through nodes/proxy (a websocket GET is enough)";
                Goal(from, EscalationGoal.NodeAccess, kubelet + ", which runs commands in any pod", grant);
                Pool(from, "*", Mechanism.Kubelet, kubelet, grant);
            }

            if (Nameless(rule, "create", string.Empty, "persistentvolumes"))
            {
                volumeCreate ??= grant;
            }

            if (RbacMatcher.AllowsSomeName(rule, "impersonate", string.Empty, "groups"))
            {
                if (rule.ResourceNames.Length == 0 || rule.ResourceNames.Contains(RbacIdentity.Masters, StringComparer.Ordinal))
                {
                    Goal(from, EscalationGoal.ClusterAdmin, "can impersonate group system:masters", grant);
                }

                foreach (var target in Impersonable(RbacIdentityKind.Group, rule.ResourceNames))
                {
                    AddEdge(from, target, "can impersonate groups", grant);
                }
            }

            if (RbacMatcher.AllowsSomeName(rule, "impersonate", string.Empty, "users"))
            {
                foreach (var target in Impersonable(RbacIdentityKind.User, rule.ResourceNames))
                {
                    AddEdge(from, target, "can impersonate users", grant);
                }
            }

            if (RbacMatcher.AllowsSomeName(rule, "bind", RbacModel.RbacGroup, "clusterroles")
                && (rule.ResourceNames.Length == 0 || rule.ResourceNames.Contains(RbacModel.ClusterAdmin, StringComparer.Ordinal))
                && HoldsIn(grants, string.Empty, r => Nameless(r, "create", RbacModel.RbacGroup, "clusterrolebindings")))
            {
                Goal(from, EscalationGoal.ClusterAdmin, "can bind cluster-admin to itself (bind on clusterroles, create clusterrolebindings)", grant);
            }

            if (Nameless(rule, "escalate", RbacModel.RbacGroup, "clusterroles")
                && HoldsIn(grants, string.Empty, r => RbacMatcher.AllowsSomeName(r, "update", RbacModel.RbacGroup, "clusterroles") || RbacMatcher.AllowsSomeName(r, "patch", RbacModel.RbacGroup, "clusterroles")))
            {
                Goal(from, EscalationGoal.ClusterAdmin, "can add any permission to the ClusterRoles bound to it (escalate, update clusterroles)", grant);
            }

            if (Nameless(rule, "create", "certificates.k8s.io", "certificatesigningrequests"))
            {
                csrCreate ??= grant;
            }

            if (SignerApproval.AllowsApproval(rule))
            {
                csrApprove ??= grant;
            }

            if (SignerApproval.Covers(rule, SignerApproval.ApiServerClient))
            {
                signerApprove ??= grant;
            }

            foreach (var resource in new[] { "mutatingwebhookconfigurations", "validatingwebhookconfigurations" })
            {
                if (GrantedVerb(rule, ["create", "update", "patch"], "admissionregistration.k8s.io", resource) is not null)
                {
                    Goal(from, EscalationGoal.ClusterSecrets, $"can write {resource}, so an admission webhook of its choosing receives every Secret written", grant);
                    break;
                }
            }
        }

        if (csrCreate is not null && csrApprove is not null && signerApprove is not null)
        {
            Goal(from, EscalationGoal.ClusterAdmin, "can create and approve a client CertificateSigningRequest for group system:masters", csrApprove);
        }

        // A hostPath PersistentVolume mounts a node's directory into a pod that only names a claim, which Pod
        // Security admission does not look into.
        if (volumeCreate is not null
            && grants.FirstOrDefault(g => WorkloadResources.Any(w => Nameless(g.Rule, "create", w.Group, w.Resource))) is { } podCreate
            && HoldsIn(grants, podCreate.Binding.IsClusterWide ? "*" : podCreate.Binding.Namespace, r => Nameless(r, "create", string.Empty, "persistentvolumeclaims")))
        {
            Goal(from, EscalationGoal.NodeAccess, $"can create a hostPath PersistentVolume and a pod that claims it ({podCreate.Binding.Display} lets it create the pod)", volumeCreate);
        }
    }

    /// <summary>RbacMatcher.Allows for a request without a name, in the order that rejects most rules soonest and allocates only for a match.</summary>
    private static bool Nameless(RbacPolicyRule rule, string verb, string group, string resource, string subresource = "") =>
        rule.ResourceNames.Length == 0
        && RbacMatcher.VerbMatches(rule, verb)
        && RbacMatcher.ApiGroupMatches(rule, group)
        && RbacMatcher.ResourceMatches(rule, subresource.Length > 0 ? resource + "/" + subresource : resource, subresource);

    /// <summary>The first of <paramref name="verbs"/> the rule allows on the resource for some name, or null.</summary>
    private static string? GrantedVerb(RbacPolicyRule rule, string[] verbs, string group, string resource) =>
        verbs.FirstOrDefault(v => RbacMatcher.AllowsSomeName(rule, v, group, resource));

    /// <summary>True when one of the identity's grants that applies in <paramref name="scope"/> ("*": every namespace; empty: cluster-scoped) satisfies <paramref name="test"/>.</summary>
    private static bool HoldsIn(List<RbacGrant> grants, string scope, Func<RbacPolicyRule, bool> test)
    {
        foreach (var grant in grants)
        {
            var applies = grant.Binding.IsClusterWide || (scope.Length > 0 && scope != "*" && grant.Binding.Namespace == scope);
            if (applies && test(grant.Rule))
            {
                return true;
            }
        }

        return false;
    }

    private IEnumerable<int> Impersonable(RbacIdentityKind kind, string[] names)
    {
        for (var i = 0; i < _nodes.Count; i++)
        {
            if (_nodes[i] is { Kind: NodeKind.Subject, Identity: { } identity } && identity.Kind == kind
                && (names.Length == 0 || names.Contains(identity.Name, StringComparer.Ordinal)))
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
                // Entering a running pod gives only the accounts pods of the input run as.
                if (mechanism is Mechanism.Exec or Mechanism.Kubelet or Mechanism.SwapImage && account.Workloads.Count == 0)
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
        Mechanism.MintTokenSecret => "creates a token Secret for the service account and reads the token the control plane writes into it",
        Mechanism.RequestToken => "requests a token for the service account",
        Mechanism.Exec => "enters a pod that runs as the service account",
        Mechanism.SwapImage => "swaps the image of a pod that runs as the service account",
        Mechanism.Kubelet => "runs commands through the kubelet in a pod that runs as the service account",
        Mechanism.Impersonate => "impersonates the service account",
        _ => "grants itself any role there and runs a pod as the service account",
    };

    private List<EscalationPath> Paths()
    {
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

        // One search per goal, so that reaching one goal never hides the way to another.
        var searches = _goals.Select(g => Search(reverse, g)).ToArray();
        var bySubject = new List<List<EscalationPath>>();
        for (var start = 0; start < _nodes.Count; start++)
        {
            if (_nodes[start] is not { Kind: NodeKind.Subject, Reported: true })
            {
                continue;
            }

            var found = new List<EscalationPath>();
            var closest = int.MaxValue;
            for (var g = 0; g < Goals.Length; g++)
            {
                var (distance, next) = searches[g];
                if (distance[start] == int.MaxValue || distance[start] >= closest)
                {
                    continue;
                }

                closest = distance[start];
                found.Add(new EscalationPath(_nodes[start].Display, Goals[g], Walk(start, next)));
            }

            if (found.Count > 0)
            {
                bySubject.Add(found);
            }
        }

        return [.. bySubject
            .OrderBy(p => p[0].Goal)
            .ThenBy(p => p[0].Steps.Count)
            .ThenBy(p => p[0].Subject, StringComparer.Ordinal)
            .SelectMany(p => p)];
    }

    /// <summary>
    /// Distances (in steps) to the goal and each node's first edge on a shortest path: a 0-1 breadth-first search
    /// over reversed edges, where entering a pool costs nothing, so that a hop through a pool is one step.
    /// </summary>
    private (int[] Distance, int[] Next) Search(List<(int From, int Edge)>[] reverse, int goal)
    {
        var distance = new int[_nodes.Count];
        var next = new int[_nodes.Count];
        Array.Fill(distance, int.MaxValue);
        Array.Fill(next, -1);
        distance[goal] = 0;

        // Level by level: a free edge (into a pool) keeps its node on the current level, a step moves it to the next.
        var level = new List<int> { goal };
        for (var d = 0; level.Count > 0; d++)
        {
            var following = new List<int>();
            for (var i = 0; i < level.Count; i++)
            {
                var node = level[i];
                if (distance[node] != d)
                {
                    continue;
                }

                var cost = _nodes[node].Kind == NodeKind.Pool ? 0 : 1;
                foreach (var (from, edge) in reverse[node])
                {
                    if (d + cost < distance[from])
                    {
                        distance[from] = d + cost;
                        next[from] = edge;
                        (cost == 0 ? level : following).Add(from);
                    }
                }
            }

            level = following;
        }

        return (distance, next);
    }

    private List<EscalationStep> Walk(int start, int[] next)
    {
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

        return steps;
    }

    private sealed record Node(string Display, RbacIdentity? Identity, NodeKind Kind)
    {
        public List<Edge> Edges { get; } = [];

        /// <summary>Named by the input (a binding's subject, a service account pods run as), not only by the bootstrap policy.</summary>
        public bool Reported { get; set; }
    }

    private sealed record Edge(int To, string Action, RbacGrant? Grant);
}

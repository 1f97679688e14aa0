using System.Diagnostics;
using System.Globalization;
using Bulwark.Bench.Rbac;
using Bulwark.Kubernetes.Rbac;
using Bulwark.Scanning;

// RbacBench generate OUT_DIR [ROLES=10000] [SEED=42]   writes the RBAC corpus
// RbacBench who-can DIR [REPEAT=20]                    loads DIR once, then times who-can queries in-process
if (args.Length >= 2 && args[0] == "generate")
{
    var roles = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10_000;
    var seed = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 42;
    var stats = RbacCorpus.Write(args[1], roles, seed);
    Console.WriteLine(stats);
    return 0;
}

if (args.Length >= 2 && args[0] == "who-can")
{
    var repeat = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;
    var clock = Stopwatch.StartNew();
    var (cluster, errors) = ClusterInputs.Load(new ScanOptions { Paths = [args[1]] });
    var model = RbacModel.Build(cluster.Objects, cluster.Workloads);
    var resolver = new RbacResolver(model);
    Console.WriteLine(FormattableString.Invariant(
        $"loaded {model.AllRoles.Count} roles, {model.AllBindings.Count} bindings, {model.ServiceAccounts.Count} service accounts, {model.Namespaces.Count} namespaces in {clock.Elapsed.TotalMilliseconds:F0} ms ({errors.Count} input errors, {model.Warnings.Count} warnings)"));

    (string Name, RbacRequest Request, string? Namespace)[] queries =
    [
        ("get secrets (all namespaces)", RbacRequest.ForResource("get", string.Empty, "secrets"), null),
        ("create pods -n ns-007", RbacRequest.ForResource("create", string.Empty, "pods"), "ns-007"),
        ("create pods/exec (all namespaces)", RbacRequest.ForResource("create", string.Empty, "pods", "exec"), null),
        ("list deployments.apps -n ns-042", RbacRequest.ForResource("list", "apps", "deployments"), "ns-042"),
        ("get nodes/proxy", RbacRequest.ForResource("get", string.Empty, "nodes", "proxy"), null),
        ("impersonate groups", RbacRequest.ForResource("impersonate", string.Empty, "groups"), null),
        ("get /metrics", RbacRequest.ForUrl("get", "/metrics"), null),
    ];
    foreach (var (name, request, ns) in queries)
    {
        var times = new List<double>();
        var cpu = new List<double>();
        var count = 0;
        for (var i = 0; i < repeat + 1; i++)
        {
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var one = Stopwatch.StartNew();
            count = resolver.WhoCan(request, ns).Count;
            one.Stop();
            if (i > 0)
            {
                // The first run pays JIT compilation; the rest are what an answer costs after loading. CPU time
                // is shown too: on a shared machine wall time includes waiting for a core.
                times.Add(one.Elapsed.TotalMilliseconds);
                cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds);
            }
        }

        times.Sort();
        cpu.Sort();
        Console.WriteLine(FormattableString.Invariant(
            $"who-can {name,-36} {count,5} subjects   wall median {times[times.Count / 2],7:F2} ms, max {times[^1],7:F2} ms   CPU median {cpu[cpu.Count / 2],6:F1} ms"));
    }

    clock.Restart();
    var paths = EscalationAnalysis.Analyze(model);
    Console.WriteLine(FormattableString.Invariant($"escalation analysis (in-process, after loading): {paths.Count} paths in {clock.Elapsed.TotalMilliseconds:F0} ms"));
    return 0;
}

Console.Error.WriteLine("usage: RbacBench generate OUT_DIR [ROLES=10000] [SEED=42] | RbacBench who-can DIR [REPEAT=20]");
return 2;

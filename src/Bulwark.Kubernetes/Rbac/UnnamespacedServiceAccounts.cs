namespace Bulwark.Kubernetes.Rbac;

/// <summary>
/// An install manifest often names no namespace on its objects but does on its binding subjects (they must):
/// <c>install.yaml</c> is meant for <c>kubectl apply -n argocd</c>. Read without that namespace, its
/// ServiceAccounts land in <c>default</c> while the bindings grant to <c>argocd/…</c>, and the analysis sees
/// accounts with no permissions and bindings to nobody, hiding escalation paths. This says so, once per namespace.
/// </summary>
public static class UnnamespacedServiceAccounts
{
    public static IEnumerable<RbacWarning> Warnings(RbacModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var unnamespaced = model.ServiceAccounts
            .Where(a => a.Object is { } o && (o.Namespace is null || o.NamespaceAssigned))
            .ToList();
        if (unnamespaced.Count == 0)
        {
            yield break;
        }

        var assumed = unnamespaced[0].Namespace;
        var names = unnamespaced.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var elsewhere = new Dictionary<string, (RbacBinding Binding, RbacSubject Subject, SortedSet<string> Names)>(StringComparer.Ordinal);
        foreach (var binding in model.AllBindings.Where(b => b.Object is not null))
        {
            foreach (var subject in binding.Subjects)
            {
                if (subject.Kind != RbacSubject.ServiceAccount || subject.Namespace.Length == 0 || subject.Namespace == assumed
                    || !names.Contains(subject.Name) || IsDeclared(model, subject))
                {
                    continue;
                }

                if (!elsewhere.TryGetValue(subject.Namespace, out var first))
                {
                    elsewhere[subject.Namespace] = first = (binding, subject, new SortedSet<string>(StringComparer.Ordinal));
                }

                first.Names.Add(subject.Name);
            }
        }

        foreach (var (ns, (binding, subject, accounts)) in elsewhere.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var listed = accounts.Count <= 3 ? string.Join(", ", accounts) : string.Join(", ", accounts.Take(3)) + $" and {accounts.Count - 3} more";
            var at = subject.Node is { } node ? binding.Object!.At(node) : binding.Object!.Location;
            yield return new RbacWarning(
                at,
                binding.Display,
                $"binds service accounts in namespace \"{ns}\" ({listed}) that the input defines without a namespace, so they are in \"{assumed}\" here "
                + $"and these bindings grant them nothing; if the manifests are applied with kubectl apply -n {ns}, scan with -n {ns}");
        }
    }

    /// <summary>The subject's account exists in its own namespace: declared there, or run by a workload there.</summary>
    private static bool IsDeclared(RbacModel model, RbacSubject subject) =>
        model.FindServiceAccount(subject.Namespace, subject.Name) is { } account && (account.Object is not null || account.Workloads.Count > 0);
}

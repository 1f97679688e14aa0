using System.Collections.Concurrent;

namespace Bulwark.Kubernetes.NetworkPolicy;

/// <summary>
/// Labelled items (workloads, namespaces) indexed by label, so a selector is matched only against the items that
/// carry one of the labels it requires instead of against every item: a scan's cluster rules match thousands of
/// policies and Services against thousands of workloads. Results are memoized by the selector's canonical key.
/// Safe for concurrent readers once built.
/// </summary>
public sealed class LabelIndex<T>
    where T : class
{
    private readonly List<T> _items = [];
    private readonly List<IReadOnlyDictionary<string, string>> _labels = [];
    private readonly Dictionary<string, List<int>> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Key, string Value), List<int>> _byLabel = [];
    private readonly ConcurrentDictionary<string, IReadOnlyList<T>> _memo = new(StringComparer.Ordinal);

    public IReadOnlyList<T> Items => _items;

    public void Add(T item, IReadOnlyDictionary<string, string> labels)
    {
        var index = _items.Count;
        _items.Add(item);
        _labels.Add(labels);
        foreach (var (key, value) in labels)
        {
            Posting(_byKey, key).Add(index);
            Posting(_byLabel, (key, value)).Add(index);
        }
    }

    /// <summary>The items <paramref name="selector"/> matches, in the order they were added.</summary>
    public IReadOnlyList<T> Select(LabelSelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return selector.IsEmpty ? _items : _memo.GetOrAdd(selector.Key, _ => Compute(selector));
    }

    /// <summary>Whether <paramref name="selector"/> matches any item.</summary>
    public bool Any(LabelSelector selector) => Select(selector).Count > 0;

    private List<T> Compute(LabelSelector selector)
    {
        var result = new List<T>();
        foreach (var i in Candidates(selector) ?? Enumerable.Range(0, _items.Count))
        {
            if (selector.Matches(_labels[i]))
            {
                result.Add(_items[i]);
            }
        }

        return result;
    }

    /// <summary>
    /// The smallest candidate set one positive requirement (<c>In</c>, <c>Exists</c>) allows, as ascending item
    /// indexes; null when the selector has only negative requirements and every item must be tried.
    /// </summary>
    private IEnumerable<int>? Candidates(LabelSelector selector)
    {
        IEnumerable<int>? best = null;
        var bestCount = int.MaxValue;
        foreach (var requirement in selector.Requirements)
        {
            switch (requirement.Operator)
            {
                case SelectorOperator.Exists:
                    {
                        var list = _byKey.TryGetValue(requirement.Key, out var found) ? found : [];
                        if (list.Count < bestCount)
                        {
                            (best, bestCount) = (list, list.Count);
                        }

                        break;
                    }

                case SelectorOperator.In:
                    {
                        var lists = requirement.Values.Distinct(StringComparer.Ordinal)
                            .Select(v => _byLabel.TryGetValue((requirement.Key, v), out var found) ? found : [])
                            .ToList();
                        var count = lists.Sum(l => l.Count);
                        if (count < bestCount)
                        {
                            best = lists.Count == 1 ? lists[0] : lists.SelectMany(l => l).Order();
                            bestCount = count;
                        }

                        break;
                    }
            }
        }

        return best;
    }

    private static List<int> Posting<TKey>(Dictionary<TKey, List<int>> index, TKey key)
        where TKey : notnull
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }

        return list;
    }
}

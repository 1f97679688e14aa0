using Bulwark.Parsing.Documents;

namespace Bulwark.Kubernetes.Rbac;

/// <summary>
/// A metav1.LabelSelector as <c>LabelSelectorAsSelector</c> reads it: matchLabels and matchExpressions
/// (In, NotIn, Exists, DoesNotExist) ANDed; an empty selector matches everything. A selector that fails to
/// convert (unknown operator, In/NotIn without values, Exists/DoesNotExist with values) is invalid.
/// </summary>
internal sealed class LabelSelector
{
    private readonly List<(string Key, string Op, string[] Values)> _requirements = [];

    public string? Error { get; private set; }

    public bool IsValid => Error is null;

    /// <summary>A selector of matchLabels only.</summary>
    public static LabelSelector FromLabels(IReadOnlyDictionary<string, string> labels)
    {
        var selector = new LabelSelector();
        foreach (var (key, value) in labels)
        {
            selector._requirements.Add((key, "In", [value]));
        }

        return selector;
    }

    public static LabelSelector Read(DocNode? node)
    {
        var selector = new LabelSelector();
        if (node is not DocMapping map)
        {
            if (node is not null and not DocScalar { IsNull: true })
            {
                selector.Error = "selector is not a mapping";
            }

            return selector;
        }

        if (map.Mapping("matchLabels") is { } labels)
        {
            foreach (var entry in labels.Entries)
            {
                if (entry.KeyText is { } key)
                {
                    selector._requirements.Add((key, "In", [entry.Value is DocScalar s ? s.Value : string.Empty]));
                }
            }
        }

        foreach (var expression in map.MappingsOf("matchExpressions"))
        {
            var key = expression.String("key") ?? string.Empty;
            var op = expression.String("operator") ?? string.Empty;
            var values = RbacPolicyRule.Strings(expression, "values");
            switch (op)
            {
                case "In" or "NotIn" when values.Length == 0:
                    selector.Error = $"values must be non-empty for operator {op} (key \"{key}\")";
                    break;
                case "Exists" or "DoesNotExist" when values.Length > 0:
                    selector.Error = $"values must be empty for operator {op} (key \"{key}\")";
                    break;
                case "In" or "NotIn" or "Exists" or "DoesNotExist":
                    selector._requirements.Add((key, op, values));
                    break;
                default:
                    selector.Error = $"\"{op}\" is not a valid label selector operator";
                    break;
            }
        }

        return selector;
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        if (!IsValid)
        {
            return false;
        }

        foreach (var (key, op, values) in _requirements)
        {
            var has = labels.TryGetValue(key, out var value);
            var ok = op switch
            {
                "In" => has && values.Contains(value, StringComparer.Ordinal),
                "NotIn" => !has || !values.Contains(value, StringComparer.Ordinal),
                "Exists" => has,
                _ => !has,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}

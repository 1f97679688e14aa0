using System.Text;
using Bulwark.Parsing.Documents;

namespace Bulwark.Kubernetes.NetworkPolicy;

public enum SelectorOperator
{
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

public sealed record SelectorRequirement(string Key, SelectorOperator Operator, IReadOnlyList<string> Values);

/// <summary>
/// A Kubernetes label selector (<c>matchLabels</c> AND <c>matchExpressions</c>), validated as the API server
/// validates it. An empty selector matches everything; an absent one is represented by <c>null</c> at the use site.
/// </summary>
public sealed class LabelSelector
{
    private string? _key;

    private LabelSelector(IReadOnlyList<SelectorRequirement> requirements) => Requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public IReadOnlyList<SelectorRequirement> Requirements { get; }

    /// <summary>A canonical text of the selector: equal selectors have equal keys.</summary>
    public string Key => _key ??= BuildKey(Requirements);

    public bool IsEmpty => Requirements.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var requirement in Requirements)
        {
            var has = labels.TryGetValue(requirement.Key, out var value);
            var ok = requirement.Operator switch
            {
                SelectorOperator.In => has && requirement.Values.Contains(value!, StringComparer.Ordinal),
                SelectorOperator.NotIn => !has || !requirement.Values.Contains(value!, StringComparer.Ordinal),
                SelectorOperator.Exists => has,
                _ => !has,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    public static LabelSelector FromLabels(IReadOnlyDictionary<string, string> labels) =>
        labels.Count == 0 ? Everything : new([.. labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => new SelectorRequirement(l.Key, SelectorOperator.In, [l.Value]))]);

    public static LabelSelector Of(IEnumerable<SelectorRequirement> requirements)
    {
        var list = requirements.ToList();
        return list.Count == 0 ? Everything : new LabelSelector(list);
    }

    /// <summary>Reads a selector mapping; on a malformed selector returns null and says why in <paramref name="error"/>.</summary>
    public static LabelSelector? Parse(DocNode? node, out string? error)
    {
        error = null;
        if (node is null || node is DocScalar { IsNull: true })
        {
            return Everything;
        }

        if (node is not DocMapping map)
        {
            error = "a label selector must be a mapping";
            return null;
        }

        var requirements = new List<SelectorRequirement>();
        foreach (var entry in map.Entries)
        {
            switch (entry.KeyText)
            {
                case "matchLabels":
                    if (entry.Value is DocScalar { IsNull: true })
                    {
                        break;
                    }

                    if (entry.Value is not DocMapping labels)
                    {
                        error = "matchLabels must be a mapping";
                        return null;
                    }

                    foreach (var label in labels.Entries)
                    {
                        var key = label.KeyText;
                        var value = label.Value is DocScalar s ? (s.IsNull ? string.Empty : s.Value) : null;
                        if (key is null || value is null)
                        {
                            error = "matchLabels values must be strings";
                            return null;
                        }

                        if (LabelSyntax.KeyError(key) is { } keyError)
                        {
                            error = $"matchLabels key \"{key}\": {keyError}";
                            return null;
                        }

                        if (LabelSyntax.ValueError(value) is { } valueError)
                        {
                            error = $"matchLabels value \"{value}\" of \"{key}\": {valueError}";
                            return null;
                        }

                        requirements.Add(new SelectorRequirement(key, SelectorOperator.In, [value]));
                    }

                    break;
                case "matchExpressions":
                    if (entry.Value is DocScalar { IsNull: true })
                    {
                        break;
                    }

                    if (entry.Value is not DocSequence expressions)
                    {
                        error = "matchExpressions must be a list";
                        return null;
                    }

                    foreach (var item in expressions.Items)
                    {
                        var requirement = ParseRequirement(item, out error);
                        if (requirement is null)
                        {
                            return null;
                        }

                        requirements.Add(requirement);
                    }

                    break;
                default:
                    break;
            }
        }

        return requirements.Count == 0 ? Everything : new LabelSelector(requirements);
    }

    private static SelectorRequirement? ParseRequirement(DocNode item, out string? error)
    {
        error = null;
        if (item is not DocMapping expression)
        {
            error = "a matchExpressions item must be a mapping";
            return null;
        }

        var key = expression.String("key");
        var op = expression.String("operator");
        if (key is null)
        {
            error = "a matchExpressions item has no key";
            return null;
        }

        if (LabelSyntax.KeyError(key) is { } keyError)
        {
            error = $"matchExpressions key \"{key}\": {keyError}";
            return null;
        }

        var values = new List<string>();
        foreach (var value in expression.ItemsOf("values"))
        {
            if (value is not DocScalar s)
            {
                error = $"matchExpressions values of \"{key}\" must be strings";
                return null;
            }

            values.Add(s.IsNull ? string.Empty : s.Value);
        }

        SelectorOperator parsed;
        switch (op)
        {
            case "In":
                parsed = SelectorOperator.In;
                break;
            case "NotIn":
                parsed = SelectorOperator.NotIn;
                break;
            case "Exists":
                parsed = SelectorOperator.Exists;
                break;
            case "DoesNotExist":
                parsed = SelectorOperator.DoesNotExist;
                break;
            default:
                error = $"\"{op}\" is not a valid label selector operator (In, NotIn, Exists, DoesNotExist)";
                return null;
        }

        if (parsed is SelectorOperator.In or SelectorOperator.NotIn)
        {
            if (values.Count == 0)
            {
                error = $"matchExpressions on \"{key}\": values must be non-empty for operator {op}";
                return null;
            }

            foreach (var value in values)
            {
                if (LabelSyntax.ValueError(value) is { } valueError)
                {
                    error = $"matchExpressions value \"{value}\" of \"{key}\": {valueError}";
                    return null;
                }
            }
        }
        else if (values.Count > 0)
        {
            error = $"matchExpressions on \"{key}\": values must be empty for operator {op}";
            return null;
        }

        return new SelectorRequirement(key, parsed, values);
    }

    private static string BuildKey(IReadOnlyList<SelectorRequirement> requirements)
    {
        if (requirements.Count == 1 && requirements[0].Values.Count <= 1)
        {
            var only = requirements[0];
            return only.Key + Symbol(only.Operator) + (only.Values.Count == 1 ? only.Values[0] : string.Empty);
        }

        var parts = new List<string>(requirements.Count);
        foreach (var requirement in requirements)
        {
            var values = requirement.Values.ToArray();
            Array.Sort(values, StringComparer.Ordinal);
            parts.Add(requirement.Key + Symbol(requirement.Operator) + string.Join('|', values));
        }

        parts.Sort(StringComparer.Ordinal);
        var builder = new StringBuilder();
        for (var i = 0; i < parts.Count; i++)
        {
            if (i > 0 && parts[i] == parts[i - 1])
            {
                continue;
            }

            builder.Append(i > 0 ? "," : string.Empty).Append(parts[i]);
        }

        return builder.ToString();
    }

    private static string Symbol(SelectorOperator op) => op switch
    {
        SelectorOperator.In => "=",
        SelectorOperator.NotIn => "!=",
        SelectorOperator.Exists => "?",
        _ => "!?",
    };

    /// <summary>A readable form: <c>app=web,tier in (a,b),!legacy</c>; empty selects all.</summary>
    public override string ToString()
    {
        if (Requirements.Count == 0)
        {
            return "{}";
        }

        var builder = new StringBuilder();
        foreach (var r in Requirements)
        {
            if (builder.Length > 0)
            {
                builder.Append(',');
            }

            builder.Append(r.Operator switch
            {
                SelectorOperator.In when r.Values.Count == 1 => r.Key + "=" + r.Values[0],
                SelectorOperator.In => r.Key + " in (" + string.Join(",", r.Values) + ")",
                SelectorOperator.NotIn => r.Key + " notin (" + string.Join(",", r.Values) + ")",
                SelectorOperator.Exists => r.Key,
                _ => "!" + r.Key,
            });
        }

        return builder.ToString();
    }
}

/// <summary>Kubernetes label key and value syntax (apimachinery validation), checked without regexes.</summary>
public static class LabelSyntax
{
    public static string? KeyError(string key)
    {
        var slash = key.LastIndexOf('/');
        var name = key;
        if (slash >= 0)
        {
            var prefix = key[..slash];
            name = key[(slash + 1)..];
            if (prefix.Length == 0 || prefix.Length > 253 || !IsDnsSubdomain(prefix))
            {
                return "the prefix must be a DNS subdomain";
            }
        }

        if (name.Length == 0)
        {
            return "the name part must be non-empty";
        }

        return name.Length > 63 ? "the name part must be at most 63 characters" : IsQualifiedName(name) ? null : "the name part must be alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric";
    }

    public static string? ValueError(string value)
    {
        if (value.Length == 0)
        {
            return null;
        }

        return value.Length > 63 ? "must be at most 63 characters" : IsQualifiedName(value) ? null : "must be alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric";
    }

    private static bool IsQualifiedName(string text)
    {
        if (!char.IsAsciiLetterOrDigit(text[0]) || !char.IsAsciiLetterOrDigit(text[^1]))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_' and not '.')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDnsSubdomain(string text)
    {
        foreach (var label in text.Split('.'))
        {
            if (label.Length is 0 or > 63 || !char.IsAsciiLetterLower(label[0]) && !char.IsAsciiDigit(label[0])
                || !char.IsAsciiLetterLower(label[^1]) && !char.IsAsciiDigit(label[^1]))
            {
                return false;
            }

            if (label.Any(c => !char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '-'))
            {
                return false;
            }
        }

        return true;
    }
}

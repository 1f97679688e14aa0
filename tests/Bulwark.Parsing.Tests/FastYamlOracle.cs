using System.Globalization;
using System.Text;
using Bulwark.Parsing.Documents;

namespace Bulwark.Parsing.Tests;

/// <summary>What the differential oracle found for one text.</summary>
public enum FastYamlVerdict
{
    /// <summary>The fast reader read the text and built exactly YamlDotNet's trees.</summary>
    Same,

    /// <summary>The fast reader gave up on the text (YamlDotNet reads it instead).</summary>
    Bailed,

    /// <summary>The fast reader read the text and its result differs from YamlDotNet's: a bug.</summary>
    Different,
}

/// <summary>The oracle's finding: the verdict, and the bail reason or the first difference.</summary>
public readonly record struct FastYamlOutcome(FastYamlVerdict Verdict, string? Detail);

/// <summary>
/// Differential oracle: reads a text with <see cref="FastYamlReader"/> and with <see cref="YamlDocumentReader"/>
/// (YamlDotNet, made to read what go-yaml reads) and compares the results node by node: kind, value,
/// <see cref="DocScalar.IsPlain"/>, tag, line, column, expanded size, entry order, key text, and which nodes are
/// shared through aliases; and the problems both read past (duplicate keys), in order. A fast read of a text
/// YamlDotNet rejects is a difference; a bail is not, except an internal error (an exception in the fast reader).
/// </summary>
public static class FastYamlOracle
{
    public static FastYamlOutcome Check(string text, DocumentLimits? limits = null)
    {
        limits ??= DocumentLimits.Default;
        var expected = YamlDocumentReader.Read("f.yaml", text, limits);
        if (!FastYamlReader.TryRead("f.yaml", text, limits, out var actual, out var bailReason))
        {
            return bailReason!.StartsWith("internal error", StringComparison.Ordinal)
                ? new FastYamlOutcome(FastYamlVerdict.Different, bailReason)
                : new FastYamlOutcome(FastYamlVerdict.Bailed, bailReason);
        }

        var difference = Compare(expected, actual);
        return difference is null ? new FastYamlOutcome(FastYamlVerdict.Same, null) : new FastYamlOutcome(FastYamlVerdict.Different, difference);
    }

    /// <summary>The first difference between two read results, or null when they are the same.</summary>
    public static string? Compare(DocumentReadResult expected, DocumentReadResult actual)
    {
        if (expected.Error is { } error)
        {
            return Invariant($"YamlDotNet reports an error ({error.Line}:{error.Column} {error.Message}) but the fast reader read the text");
        }

        if (actual.Error is not null)
        {
            return "the fast reader reported an error instead of giving up";
        }

        if (expected.Documents.Count != actual.Documents.Count)
        {
            return Invariant($"{expected.Documents.Count} documents expected, {actual.Documents.Count} read");
        }

        var expectedProblems = string.Join("; ", expected.Problems.Select(p => Invariant($"{p.Line}:{p.Column} {p.Message}")));
        var actualProblems = string.Join("; ", actual.Problems.Select(p => Invariant($"{p.Line}:{p.Column} {p.Message}")));
        if (!string.Equals(expectedProblems, actualProblems, StringComparison.Ordinal))
        {
            return $"problems [{expectedProblems}] expected, [{actualProblems}] read";
        }

        // Nodes already compared, both ways: aliases must share the same nodes in both trees.
        var pairs = new Dictionary<DocNode, DocNode>(ReferenceEqualityComparer.Instance);
        var reverse = new Dictionary<DocNode, DocNode>(ReferenceEqualityComparer.Instance);
        for (var d = 0; d < expected.Documents.Count; d++)
        {
            var e = expected.Documents[d];
            var a = actual.Documents[d];
            if (e.Index != a.Index || !string.Equals(e.File, a.File, StringComparison.Ordinal))
            {
                return Invariant($"document {d}: index or file differs");
            }

            if ((e.Root is null) != (a.Root is null))
            {
                return Invariant($"document {d}: root is {(e.Root is null ? "null" : "not null")} in YamlDotNet's tree");
            }

            if (e.Root is not null && CompareTrees(e.Root, a.Root!, pairs, reverse) is { } difference)
            {
                return Invariant($"document {d}: {difference}");
            }
        }

        return null;
    }

    private static string? CompareTrees(DocNode expectedRoot, DocNode actualRoot, Dictionary<DocNode, DocNode> pairs, Dictionary<DocNode, DocNode> reverse)
    {
        var stack = new Stack<(DocNode Expected, DocNode Actual, string Path)>();
        stack.Push((expectedRoot, actualRoot, "$"));
        while (stack.Count > 0)
        {
            var (e, a, path) = stack.Pop();
            if (pairs.TryGetValue(e, out var seen) || reverse.TryGetValue(a, out _))
            {
                if (!ReferenceEquals(seen, a) || !ReferenceEquals(reverse.GetValueOrDefault(a), e))
                {
                    return path + ": shared nodes (aliases) differ";
                }

                continue;
            }

            pairs[e] = a;
            reverse[a] = e;
            if (e.Kind != a.Kind)
            {
                return Invariant($"{path}: {e.Kind} expected, {a.Kind} read");
            }

            if (e.Line != a.Line || e.Column != a.Column)
            {
                return Invariant($"{path}: at {e.Line}:{e.Column} expected, {a.Line}:{a.Column} read");
            }

            if (!string.Equals(e.Tag, a.Tag, StringComparison.Ordinal))
            {
                return Invariant($"{path}: tag {e.Tag ?? "(none)"} expected, {a.Tag ?? "(none)"} read");
            }

            if (e.ExpandedSize != a.ExpandedSize)
            {
                return Invariant($"{path}: expanded size {e.ExpandedSize} expected, {a.ExpandedSize} read");
            }

            switch (e)
            {
                case DocScalar es:
                    {
                        var s = (DocScalar)a;
                        if (!string.Equals(es.Value, s.Value, StringComparison.Ordinal))
                        {
                            return Invariant($"{path}: value {Show(es.Value)} expected, {Show(s.Value)} read");
                        }

                        if (es.IsPlain != s.IsPlain)
                        {
                            return Invariant($"{path}: IsPlain {es.IsPlain} expected, {s.IsPlain} read");
                        }

                        break;
                    }

                case DocSequence eq:
                    {
                        var q = (DocSequence)a;
                        if (eq.Items.Count != q.Items.Count)
                        {
                            return Invariant($"{path}: {eq.Items.Count} items expected, {q.Items.Count} read");
                        }

                        for (var i = eq.Items.Count - 1; i >= 0; i--)
                        {
                            stack.Push((eq.Items[i], q.Items[i], Invariant($"{path}[{i}]")));
                        }

                        break;
                    }

                case DocMapping em:
                    {
                        var m = (DocMapping)a;
                        if (em.Entries.Count != m.Entries.Count)
                        {
                            return Invariant($"{path}: {em.Entries.Count} entries expected, {m.Entries.Count} read");
                        }

                        for (var i = em.Entries.Count - 1; i >= 0; i--)
                        {
                            var ee = em.Entries[i];
                            var ae = m.Entries[i];
                            if (!string.Equals(ee.KeyText, ae.KeyText, StringComparison.Ordinal))
                            {
                                return Invariant($"{path}: entry {i}: key {Show(ee.KeyText)} expected, {Show(ae.KeyText)} read");
                            }

                            var name = Invariant($"{path}.{ee.KeyText ?? "(key " + i.ToString(CultureInfo.InvariantCulture) + ")"}");
                            stack.Push((ee.Value, ae.Value, name));
                            stack.Push((ee.Key, ae.Key, name + "(key)"));
                        }

                        break;
                    }
            }
        }

        return null;
    }

    private static string Show(string? value) =>
        value is null ? "(null)" : "\"" + value.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal) + "\"";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Tallies oracle outcomes over many texts, keeping a few examples of each bail reason and every difference.</summary>
public sealed class FastYamlTally
{
    private readonly Dictionary<string, int> _bailReasons = new(StringComparer.Ordinal);

    public int Same { get; private set; }

    public int Bailed { get; private set; }

    public List<string> Differences { get; } = [];

    public int Total => Same + Bailed + Differences.Count;

    public FastYamlOutcome Add(string name, string text, DocumentLimits? limits = null)
    {
        var outcome = FastYamlOracle.Check(text, limits);
        switch (outcome.Verdict)
        {
            case FastYamlVerdict.Same:
                Same++;
                break;
            case FastYamlVerdict.Bailed:
                Bailed++;
                var reason = outcome.Detail!;
                var cut = reason.IndexOf(" (line ", StringComparison.Ordinal);
                reason = cut >= 0 ? reason[..cut] : reason;
                _bailReasons[reason] = _bailReasons.GetValueOrDefault(reason) + 1;
                break;
            default:
                Differences.Add(name + ": " + outcome.Detail);
                break;
        }

        return outcome;
    }

    public string Summary()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Total} texts: {Same} read the same by both readers, {Bailed} left to YamlDotNet, {Differences.Count} different");
        foreach (var (reason, count) in _bailReasons.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  bail x{count}: {reason}");
        }

        foreach (var difference in Differences.Take(20))
        {
            text.Append("\n  DIFFERENT: ").Append(difference);
        }

        return text.ToString();
    }
}

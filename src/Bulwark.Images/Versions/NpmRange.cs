using System.Text.RegularExpressions;

namespace Bulwark.Images.Versions;

/// <summary>
/// node-semver ranges (npm's <c>package.json</c> syntax and the Node.js security WG's advisories): comparators,
/// <c>^</c>, <c>~</c>, x-ranges, hyphen ranges and <c>||</c>, with node-semver's default options. A prerelease version
/// satisfies a comparator set only when some comparator in it names a prerelease of the same major.minor.patch —
/// <c>^1.2.0</c> does not match <c>1.3.0-beta</c>, as npm users expect.
/// </summary>
public static class NpmRange
{
    private const string Part = @"[xX*]|0|[1-9][0-9]*";
    private const string Identifier = @"0|[1-9][0-9]*|[0-9]*[a-zA-Z-][a-zA-Z0-9-]*";

    // node-semver's XRANGEPLAIN: a version with parts that may be missing or wildcards, after any v/= prefix.
    private static readonly Regex XRange = new(
        $@"\A()[v=]*({Part})(?:\.({Part})(?:\.({Part})(?:-((?:{Identifier})(?:\.(?:{Identifier}))*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?)?\z",
        RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    private static readonly Regex Exact = new(
        @"\A(<|>|<=|>=|=)?(v?[0-9].*)\z", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking | RegexOptions.Singleline);

    private static readonly string[] LongestFirst = ["<=", ">=", "~>", "<", ">", "=", "~", "^"];

    private static readonly string[] Operators = ["<", ">", "<=", ">=", "=", "~", "~>", "^"];

    /// <summary>One comparator; a null <see cref="Bound"/> matches everything (node-semver's ANY).</summary>
    private sealed record Comparator(string Operator, SemVer.Version? Bound);

    /// <summary>
    /// Whether <paramref name="version"/> satisfies <paramref name="range"/>. False for an invalid version or range
    /// (node-semver's <c>satisfies</c> answers false where its parser throws); never throws.
    /// </summary>
    public static bool Satisfies(string version, string range)
    {
        if (!SemVer.TryParseStrict(version, out var v) || range is null || range.Length > SemVer.MaxLength * 4)
        {
            return false;
        }

        var sets = new List<List<Comparator>>();
        foreach (var part in range.Split("||"))
        {
            if (Parse(part) is not { } set)
            {
                return false;
            }

            sets.Add(set);
        }

        // node-semver collapses a range with an unconditional alternative to that alternative alone, which then
        // refuses prereleases the other alternatives would have let through (">1.0.0-2 || *" rejects 1.0.0-3).
        if (sets.Count > 1 && sets.FirstOrDefault(set => set.All(c => c.Bound is null)) is { } any)
        {
            return Test(any, v);
        }

        return sets.Any(set => Test(set, v));
    }

    private static List<Comparator>? Parse(string part)
    {
        var words = part.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 3 && words[1] == "-")
        {
            return Hyphen(words[0], words[2]);
        }

        // "> 1.2.3" and "^ 1.2" mean ">1.2.3" and "^1.2": a lone operator belongs to the word after it.
        var tokens = new List<string>();
        for (var i = 0; i < words.Length; i++)
        {
            tokens.Add(Operators.Contains(words[i]) && i + 1 < words.Length ? words[i] + words[++i] : words[i]);
        }

        var set = new List<Comparator>();
        if (tokens.Count == 0)
        {
            set.Add(new Comparator(string.Empty, null));
        }

        foreach (var token in tokens)
        {
            if (Desugar(token) is not { } comparators)
            {
                return null;
            }

            set.AddRange(comparators);
        }

        return set;
    }

    private static List<Comparator>? Hyphen(string from, string to)
    {
        if (Partial(from) is not { Op: "" } f || Partial(to) is not { Op: "" } t)
        {
            return null;
        }

        var set = new List<Comparator>();
        if (f.Major is { } fM)
        {
            set.Add(Gte0(new Comparator(">=", Make(fM, f.Minor ?? 0, f.Minor is null ? 0 : f.Patch ?? 0, f.Patch is null ? [] : f.Pre))));
        }

        if (t.Major is { } tM)
        {
            set.Add(t.Minor is not { } tm ? new Comparator("<", Make(tM + 1, 0, 0, ["0"]))
                : t.Patch is not { } tp ? new Comparator("<", Make(tM, tm + 1, 0, ["0"]))
                : new Comparator("<=", Make(tM, tm, tp, t.Pre)));
        }

        return set.Count == 0 ? [new Comparator(string.Empty, null)] : set;
    }

    private sealed record PartialVersion(string Op, long? Major, long? Minor, long? Patch, string[] Pre, bool WildcardBeforeNumber);

    private static PartialVersion? Partial(string token)
    {
        // The operator is taken longest first here: in one regex, "<" and a "=" prefix could also read "<=2".
        var op = LongestFirst.FirstOrDefault(o => token.StartsWith(o, StringComparison.Ordinal)) ?? string.Empty;
        var m = XRange.Match(token[op.Length..]);
        if (!m.Success)
        {
            return null;
        }

        // A wildcard makes every part after it a wildcard too ("1.x.3" is "1.x").
        long? major = Value(m.Groups[2]), minor = major is null ? null : Value(m.Groups[3]), patch = minor is null ? null : Value(m.Groups[4]);
        if ((m.Groups[2].Success && IsNumber(m.Groups[2]) && major is null) || (IsNumber(m.Groups[3]) && major is not null && minor is null)
            || (IsNumber(m.Groups[4]) && minor is not null && patch is null))
        {
            return null; // a number beyond Number.MAX_SAFE_INTEGER
        }

        var wildcardBeforeNumber = (IsWildcard(m.Groups[2]) && IsNumber(m.Groups[3])) || (IsWildcard(m.Groups[3]) && IsNumber(m.Groups[4]));
        return new PartialVersion(op, major, minor, patch, m.Groups[5].Success ? m.Groups[5].Value.Split('.') : [], wildcardBeforeNumber);
    }

    private static bool IsWildcard(Group g) => g.Success && !IsNumber(g);

    private static bool IsNumber(Group g) => g.Success && g.Value.Length > 0 && char.IsAsciiDigit(g.Value[0]);

    private static long? Value(Group g) =>
        g.Success && IsNumber(g) && SemVer.Number(g.Value, out var n) && n < SemVer.MaxSafeInteger ? n : null;

    private static List<Comparator>? Desugar(string token)
    {
        if (Partial(token) is not { } p)
        {
            // Not an x-range: a plain comparator whose version must be a full SemVer (node-semver's Comparator).
            var m = Exact.Match(token);
            return m.Success && SemVer.TryParseStrict(m.Groups[2].Value, out var exact)
                ? [Gte0(new Comparator(Op(m.Groups[1].Value), exact))]
                : null;
        }

        // node-semver 7.8 refuses a plain x-range with a number after a wildcard ("x.1", "1.x.3"); ^ and ~ forgive it.
        if (p.Op is not ("^" or "~" or "~>") && p.WildcardBeforeNumber)
        {
            return null;
        }

        if (p.Major is not { } M)
        {
            return p.Op is "<" or ">" ? [new Comparator("<", Make(0, 0, 0, ["0"]))] : [new Comparator(string.Empty, null)];
        }

        switch (p.Op)
        {
            case "^":
                if (p.Minor is not { } cm)
                {
                    return [Gte0(new(">=", Make(M, 0, 0, []))), new("<", Make(M + 1, 0, 0, ["0"]))];
                }

                if (p.Patch is not { } cp)
                {
                    return M == 0
                        ? [Gte0(new(">=", Make(0, cm, 0, []))), new("<", Make(0, cm + 1, 0, ["0"]))]
                        : [Gte0(new(">=", Make(M, cm, 0, []))), new("<", Make(M + 1, 0, 0, ["0"]))];
                }

                var low = Gte0(new(">=", Make(M, cm, cp, p.Pre)));
                return M != 0 ? [low, new("<", Make(M + 1, 0, 0, ["0"]))]
                    : cm != 0 ? [low, new("<", Make(0, cm + 1, 0, ["0"]))]
                    : [low, new("<", Make(0, 0, cp + 1, ["0"]))];
            case "~" or "~>":
                if (p.Minor is not { } tm)
                {
                    return [Gte0(new(">=", Make(M, 0, 0, []))), new("<", Make(M + 1, 0, 0, ["0"]))];
                }

                return [Gte0(new(">=", Make(M, tm, p.Patch ?? 0, p.Patch is null ? [] : p.Pre))), new("<", Make(M, tm + 1, 0, ["0"]))];
        }

        var op = Op(p.Op);
        if (p.Patch is { } patch)
        {
            return [Gte0(new(op, Make(M, p.Minor!.Value, patch, p.Pre)))];
        }

        long minor = p.Minor ?? 0;
        switch (op)
        {
            case ">":
                return [Gte0(p.Minor is null ? new(">=", Make(M + 1, 0, 0, [])) : new(">=", Make(M, minor + 1, 0, [])))];
            case "<=":
                return [p.Minor is null ? new("<", Make(M + 1, 0, 0, ["0"])) : new("<", Make(M, minor + 1, 0, ["0"]))];
            case "<":
                return [new("<", Make(M, minor, 0, ["0"]))];
            case ">=":
                return [Gte0(new(">=", Make(M, minor, 0, [])))];
            default:
                return p.Minor is null
                    ? [Gte0(new(">=", Make(M, 0, 0, []))), new("<", Make(M + 1, 0, 0, ["0"]))]
                    : [Gte0(new(">=", Make(M, minor, 0, []))), new("<", Make(M, minor + 1, 0, ["0"]))];
        }
    }

    private static string Op(string op) => op == "=" ? string.Empty : op;

    private static SemVer.Version Make(long major, long minor, long patch, string[] pre) => new(major, minor, patch, pre, string.Empty);

    // node-semver reads ">=0.0.0" as "*", which differs from it only in letting a prerelease of 0.0.0 through.
    private static Comparator Gte0(Comparator c) =>
        c is { Operator: ">=", Bound: { Major: 0, Minor: 0, Patch: 0, Prerelease.Count: 0 } } ? new Comparator(string.Empty, null) : c;

    private static bool Test(List<Comparator> set, SemVer.Version v)
    {
        if (!set.All(c => Holds(c, v)))
        {
            return false;
        }

        return v.Prerelease.Count == 0 || set.Any(c => c.Bound is { Prerelease.Count: > 0 } b
            && b.Major == v.Major && b.Minor == v.Minor && b.Patch == v.Patch);
    }

    private static bool Holds(Comparator c, SemVer.Version v)
    {
        if (c.Bound is not { } bound)
        {
            return true;
        }

        var order = SemVer.Compare(v, bound);
        return c.Operator switch
        {
            "<" => order < 0,
            "<=" => order <= 0,
            ">" => order > 0,
            ">=" => order >= 0,
            _ => order == 0,
        };
    }
}

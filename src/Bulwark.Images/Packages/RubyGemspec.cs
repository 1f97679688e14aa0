using System.Text.RegularExpressions;

namespace Bulwark.Images.Packages;

/// <summary>
/// Ruby gems as installed: the specification RubyGems writes for each installed gem,
/// <c>…/specifications/NAME-VERSION.gemspec</c> (default gems under <c>specifications/default/</c>). It is Ruby code, but
/// code RubyGems generated (<c>Gem::Specification#to_ruby</c>): one <c>s.attribute = value</c> per line, strings
/// as literals (<c>"rake".freeze</c>), the version sometimes as <c>Gem::Version.new("…")</c>. So its literals are read,
/// never run; a hand-written spec with computed values gives a problem, not a guess.
/// </summary>
public static partial class RubyGemspec
{
    public static bool IsInstalledSpec(string path) => InstalledSpec().IsMatch(path);

    public static InstalledPackage? Read(string path, string text, List<string> problems)
    {
        string? name = null, version = null;
        List<string>? licenses = null;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            var match = Assignment().Match(raw.ToString());
            if (!match.Success)
            {
                continue;
            }

            var literals = Literals(match.Groups["value"].Value);
            switch (match.Groups["attribute"].Value)
            {
                case "name" when name is null && literals.Count > 0: name = literals[0]; break;
                case "version" when version is null && literals.Count > 0: version = literals[0]; break;
                case "license" or "licenses" when licenses is null && literals.Count > 0: licenses = literals; break;
            }
        }

        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(version))
        {
            problems.Add($"{path}: a gemspec without a literal name and version; skipped");
            return null;
        }

        return new InstalledPackage
        {
            Type = "gem",
            Name = name,
            Version = version,

            // RubyGems' "licenses" lists the licences a gem may be used under (Ruby's own gems: Ruby or BSD-2-Clause).
            License = licenses is null ? null : string.Join(" OR ", licenses),
            RecordedIn = path,
        };
    }

    /// <summary>The string literals of a value, in order, up to a comment or a trailing <c>if</c>/<c>unless</c> modifier.</summary>
    private static List<string> Literals(string value)
    {
        var literals = new List<string>();
        foreach (Match literal in Literal().Matches(value))
        {
            if (literal.Groups["stop"].Success)
            {
                break;
            }

            literals.Add(Unescape(literal.Groups["dq"].Success ? literal.Groups["dq"].Value
                : literal.Groups["sq"].Success ? literal.Groups["sq"].Value
                : literal.Groups["pq"].Value));
        }

        return literals;
    }

    private static string Unescape(string literal) => EscapedCharacter().Replace(literal, m => m.Groups[1].Value);

    [GeneratedRegex(@"(^|/)specifications/([^/]+/)?[^/]+\.gemspec$", RegexOptions.CultureInvariant)]
    private static partial Regex InstalledSpec();

    [GeneratedRegex(@"^\s*[a-z_][a-z0-9_]*\.(?<attribute>name|version|licenses?)\s*=\s*(?<value>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Assignment();

    [GeneratedRegex(@"""(?<dq>(?:[^""\\]|\\.)*)""|'(?<sq>(?:[^'\\]|\\.)*)'|%q[<{(\[](?<pq>[^>})\]]*)[>})\]]|(?<stop>#|\b(?:if|unless)\b)", RegexOptions.CultureInvariant)]
    private static partial Regex Literal();

    [GeneratedRegex(@"\\(.)", RegexOptions.CultureInvariant)]
    private static partial Regex EscapedCharacter();
}

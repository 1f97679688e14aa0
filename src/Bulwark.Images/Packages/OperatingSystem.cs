namespace Bulwark.Images.Packages;

/// <summary>
/// The distribution an image is built on, which decides which advisory feed its OS packages are matched against
/// (Debian by release codename, Alpine by branch). From <c>etc/os-release</c> (or <c>usr/lib/os-release</c>, which
/// it usually links to), else from the distribution's own version file.
/// </summary>
public sealed record OperatingSystem(string Id, string? VersionId, string? Codename, string? PrettyName)
{
    /// <summary>The files to read, most authoritative first, with how each is read.</summary>
    public static IReadOnlyList<string> Files { get; } = ["etc/os-release", "usr/lib/os-release", "etc/alpine-release", "etc/debian_version"];

    /// <summary>The operating system a file of <see cref="Files"/> describes; null when it says nothing usable.</summary>
    public static OperatingSystem? FromFile(string path, string text) => path switch
    {
        "etc/os-release" or "usr/lib/os-release" => FromOsRelease(text),
        "etc/alpine-release" when FirstLine(text) is { Length: > 0 } version => new("alpine", version, null, "Alpine Linux " + version),
        "etc/debian_version" when FirstLine(text) is { Length: > 0 } version => new("debian", version, null, "Debian GNU/Linux " + version),
        _ => null,
    };

    /// <summary>
    /// os-release's shell-like <c>KEY=value</c> lines, values optionally in single or double quotes with backslash
    /// escapes in double quotes; comments and malformed lines are ignored, as systemd does.
    /// </summary>
    public static OperatingSystem? FromOsRelease(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            var line = raw.Trim();
            var equals = line.IndexOf('=');
            if (line.IsEmpty || line[0] == '#' || equals <= 0)
            {
                continue;
            }

            values[line[..equals].ToString()] = Unquote(line[(equals + 1)..].ToString());
        }

        if (!values.TryGetValue("ID", out var id) || id.Length == 0)
        {
            return null;
        }

        values.TryGetValue("VERSION_ID", out var version);
        values.TryGetValue("VERSION_CODENAME", out var codename);
        values.TryGetValue("PRETTY_NAME", out var pretty);
        return new OperatingSystem(id.ToLowerInvariant(), NullIfEmpty(version), NullIfEmpty(codename), NullIfEmpty(pretty));
    }

    private static string Unquote(string value)
    {
        if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
        {
            return value[1..^1];
        }

        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            var inner = value[1..^1];
            var result = new System.Text.StringBuilder(inner.Length);
            for (var i = 0; i < inner.Length; i++)
            {
                if (inner[i] == '\\' && i + 1 < inner.Length && inner[i + 1] is '"' or '\\' or '$' or '`')
                {
                    i++;
                }

                result.Append(inner[i]);
            }

            return result.ToString();
        }

        return value;
    }

    private static string FirstLine(string text) => text.AsSpan().EnumerateLines() is var lines && lines.MoveNext() ? lines.Current.Trim().ToString() : string.Empty;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

namespace Bulwark.Images.Packages;

/// <summary>
/// Python distributions as installed: <c>*.dist-info/METADATA</c> (wheels, pip), <c>*.egg-info/PKG-INFO</c> and a
/// bare <c>*.egg-info</c> file (setuptools). All three are email-style headers (core metadata) before a blank line.
/// </summary>
public static class PythonPackages
{
    public static bool IsMetadata(string path) =>
        path.EndsWith(".dist-info/METADATA", StringComparison.Ordinal)
        || path.EndsWith(".egg-info/PKG-INFO", StringComparison.Ordinal)
        || path.EndsWith(".egg-info", StringComparison.Ordinal);

    public static InstalledPackage? Read(string path, string text, List<string> problems)
    {
        string? name = null, version = null, license = null, expression = null;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            var line = raw.TrimEnd('\r');
            if (line.IsEmpty)
            {
                break; // the description body follows the headers
            }

            var colon = line.IndexOf(':');
            if (colon <= 0 || line[0] is ' ' or '\t')
            {
                continue;
            }

            var value = line[(colon + 1)..].Trim().ToString();
            switch (line[..colon].Trim().ToString().ToLowerInvariant())
            {
                case "name": name ??= value; break;
                case "version": version ??= value; break;
                case "license": license ??= value; break;
                case "license-expression": expression ??= value; break;
            }
        }

        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(version))
        {
            problems.Add($"{path}: Python package metadata without Name and Version; skipped");
            return null;
        }

        return new InstalledPackage
        {
            Type = "pypi",
            Name = name,
            Version = version,
            License = expression ?? (license is null or "UNKNOWN" ? null : license),
            RecordedIn = path,
        };
    }
}

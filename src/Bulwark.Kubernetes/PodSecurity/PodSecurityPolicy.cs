using System.Globalization;

namespace Bulwark.Kubernetes.PodSecurity;

public enum PodSecurityLevel
{
    Privileged,
    Baseline,
    Restricted,
}

/// <summary>
/// A Pod Security Standards level at a policy version, as in the namespace labels
/// <c>pod-security.kubernetes.io/enforce: restricted</c> and <c>enforce-version: v1.30</c>.
/// <see cref="Minor"/> is null for <c>latest</c>.
/// </summary>
public sealed record PodSecurityPolicy(PodSecurityLevel Level, int? Minor)
{
    /// <summary>The newest policy version this build knows; <c>latest</c> evaluates as this one.</summary>
    public const int LatestMinor = 37;

    public int EffectiveMinor => Minor ?? LatestMinor;

    public string LevelName => Level.ToString().ToLowerInvariant();

    public string VersionName => Minor is { } m ? $"v1.{m}" : "latest";

    public override string ToString() => $"{LevelName}:{VersionName}";

    /// <summary>Parses <c>LEVEL[:VERSION]</c>, e.g. <c>restricted</c>, <c>baseline:v1.30</c>, <c>restricted:latest</c>.</summary>
    public static bool TryParse(string text, out PodSecurityPolicy? policy, out string? error)
    {
        policy = null;
        var parts = text.Split(':', 2);
        if (!TryParseLevel(parts[0], out var level))
        {
            error = $"unknown Pod Security level \"{parts[0]}\" (expected privileged, baseline or restricted)";
            return false;
        }

        int? minor = null;
        if (parts.Length == 2 && !TryParseVersion(parts[1], out minor))
        {
            error = $"invalid Pod Security version \"{parts[1]}\" (expected latest or v1.N)";
            return false;
        }

        policy = new PodSecurityPolicy(level, minor);
        error = null;
        return true;
    }

    public static bool TryParseLevel(string text, out PodSecurityLevel level)
    {
        switch (text)
        {
            case "privileged": level = PodSecurityLevel.Privileged; return true;
            case "baseline": level = PodSecurityLevel.Baseline; return true;
            case "restricted": level = PodSecurityLevel.Restricted; return true;
            default: level = PodSecurityLevel.Privileged; return false;
        }
    }

    /// <summary>Parses <c>latest</c> (null) or <c>v1.N</c>, as the namespace <c>-version</c> labels do.</summary>
    public static bool TryParseVersion(string text, out int? minor)
    {
        minor = null;
        if (text == "latest")
        {
            return true;
        }

        if (text.StartsWith("v1.", StringComparison.Ordinal)
            && int.TryParse(text.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var m))
        {
            minor = m;
            return true;
        }

        return false;
    }
}

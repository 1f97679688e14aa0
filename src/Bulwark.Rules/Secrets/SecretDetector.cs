using System.Text.RegularExpressions;

namespace Bulwark.Rules.Secrets;

/// <summary>
/// Recognises credentials in name/value pairs: by a name that says "secret" (PASSWORD, TOKEN, API_KEY, …)
/// with a literal value, or by a value in a known credential format whatever the name. Shared by every
/// source that has environment variables or build arguments.
/// </summary>
public static partial class SecretDetector
{
    public sealed record Match(string Kind, bool ByValue);

    /// <summary>The credential this pair holds, or null.</summary>
    public static Match? Detect(string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (KnownFormat(value) is { } kind)
        {
            return new Match(kind, ByValue: true);
        }

        return NameLooksSecret(name) && ValueLooksLiteral(value) ? new Match("a secret-looking name", ByValue: false) : null;
    }

    /// <summary>The credential format <paramref name="value"/> matches, or null.</summary>
    public static string? KnownFormat(string value)
    {
        if (value.Length < 16)
        {
            return null;
        }

        foreach (var (kind, pattern) in Formats)
        {
            if (pattern.IsMatch(value))
            {
                return kind;
            }
        }

        return null;
    }

    public static bool NameLooksSecret(string name)
    {
        var upper = name.ToUpperInvariant().Replace('-', '_').Replace('.', '_');
        if (NonSecretSuffixes.Any(s => upper.EndsWith(s, StringComparison.Ordinal)))
        {
            return false;
        }

        return SecretWords().IsMatch(upper);
    }

    /// <summary>
    /// False for values that are clearly not the secret itself: references to other variables, booleans,
    /// numbers, paths to a secret file, and placeholders left to be filled in.
    /// </summary>
    public static bool ValueLooksLiteral(string value)
    {
        var v = value.Trim();
        if (v.Length < 3)
        {
            return false;
        }

        if (v.StartsWith("$(", StringComparison.Ordinal) || v.StartsWith("${", StringComparison.Ordinal) || v.StartsWith('$') && !v.Contains(' ', StringComparison.Ordinal) && v.Length > 1 && char.IsLetter(v[1]))
        {
            return false;
        }

        if (v.StartsWith('/') || v.StartsWith("file:", StringComparison.OrdinalIgnoreCase) || v.StartsWith("vault:", StringComparison.OrdinalIgnoreCase)
            || v.StartsWith("arn:aws:secretsmanager", StringComparison.Ordinal) || v.StartsWith("projects/", StringComparison.Ordinal))
        {
            return false;
        }

        return v.ToLowerInvariant() switch
        {
            "true" or "false" or "yes" or "no" or "on" or "off" or "null" or "none" or "enabled" or "disabled" or "required" or "optional" => false,
            _ when v.All(char.IsDigit) => false,
            _ when v.StartsWith('<') && v.EndsWith('>') => false,
            _ => true,
        };
    }

    private static readonly string[] NonSecretSuffixes =
    [
        "_FILE", "_PATH", "_DIR", "_NAME", "_REF", "_KEY_ID_FILE", "_ENABLED", "_ENABLE", "_LENGTH", "_TTL", "_TIMEOUT", "_EXPIRY",
        "_EXPIRATION", "_URL", "_URI", "_ENDPOINT", "_HOST", "_PORT", "_TYPE", "_MODE", "_VERSION", "_HEADER", "_ALGORITHM", "_REGION",
        "_SECRET_NAME", "_REQUIRED", "_POLICY", "_PROVIDER", "_MIN", "_MAX",
    ];

    private static readonly (string Kind, Regex Pattern)[] Formats =
    [
        ("an AWS access key ID", AwsAccessKey()),
        ("a private key", PrivateKey()),
        ("a GitHub token", GitHubToken()),
        ("a GitLab token", GitLabToken()),
        ("a Slack token", SlackToken()),
        ("a Slack webhook URL", SlackWebhook()),
        ("a Google API key", GoogleApiKey()),
        ("a Stripe secret key", StripeKey()),
        ("an npm token", NpmToken()),
        ("a JSON Web Token", Jwt()),
        ("a URL with an embedded password", UrlWithPassword()),
    ];

    [GeneratedRegex(@"(^|_)(PASSWORD|PASSWD|PASSPHRASE|PASS|PWD|SECRET|SECRETS|TOKEN|APIKEY|API_KEY|ACCESS_KEY|SECRET_KEY|PRIVATE_KEY|CREDENTIALS?|AUTH|CLIENT_SECRET|SIGNING_KEY|ENCRYPTION_KEY|MASTER_KEY|CONN_STR|CONNECTION_STRING|DSN|SAS|WEBHOOK)(_|$)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SecretWords();

    [GeneratedRegex(@"\b(AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AwsAccessKey();

    [GeneratedRegex(@"-----BEGIN[ A-Z0-9]*PRIVATE KEY( BLOCK)?-----", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"\b(gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"\bgl(pat|dt|rt|ptt|cbt|soat|ft|imt|agent)-[A-Za-z0-9_\-]{20,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex GitLabToken();

    [GeneratedRegex(@"\bxox[abposr]-[A-Za-z0-9\-]{10,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SlackToken();

    [GeneratedRegex(@"https://hooks\.slack\.com/(services|workflows)/[A-Za-z0-9/_\-]{20,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SlackWebhook();

    [GeneratedRegex(@"\bAIza[0-9A-Za-z_\-]{35}\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex GoogleApiKey();

    [GeneratedRegex(@"\b[sr]k_live_[0-9A-Za-z]{20,}\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex StripeKey();

    [GeneratedRegex(@"\bnpm_[A-Za-z0-9]{36}\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex NpmToken();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Jwt();

    [GeneratedRegex(@"\b[a-zA-Z][a-zA-Z0-9+.\-]{1,20}://[^\s:/@]{1,128}:[^\s/@]{3,128}@[^\s/]+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex UrlWithPassword();
}

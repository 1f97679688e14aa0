using System.Text;
using System.Text.RegularExpressions;

namespace Bulwark.Rules.Secrets;

/// <summary>
/// Credentials recognisable by their format whatever the variable is called: provider tokens with a fixed prefix
/// or structure (cloud, VCS, chat, payment, package registries), private keys, JWTs, and passwords embedded in
/// URLs and connection strings. Sample values from vendor documentation are recognised as placeholders.
/// </summary>
internal static partial class SecretFormats
{
    // Hint: text every match contains, looked for before the pattern runs (most values hold none of them).
    private sealed record Format(string Kind, SecretClass Class, string Hint, Func<Regex> Pattern);

    // Ordered: the first that matches names the value.
    private static readonly Format[] Formats =
    [
        new("a private key", SecretClass.Credential, "PRIVATE KEY", PrivateKey),
        new("a private key (PuTTY)", SecretClass.Credential, "PuTTY-User-Key-File-", PuttyKey),
        new("a Google service-account key", SecretClass.Credential, "service_account", GcpServiceAccount),
        new("an AWS access key ID", SecretClass.Credential, "A", AwsAccessKey),
        new("a GitHub token", SecretClass.Credential, "_", GitHubToken),
        new("a GitLab token", SecretClass.Credential, "gl", GitLabToken),
        new("a Slack token", SecretClass.Credential, "xox", SlackToken),
        new("a Slack webhook URL", SecretClass.Credential, "hooks.slack.com", SlackWebhook),
        new("a Discord webhook URL", SecretClass.Credential, "/webhooks/", DiscordWebhook),
        new("a Telegram bot token", SecretClass.Credential, ":A", TelegramBotToken),
        new("a Google API key", SecretClass.Credential, "AIza", GoogleApiKey),
        new("an Azure AD client secret", SecretClass.Credential, "Q~", AzureClientSecret),
        new("a Stripe live secret key", SecretClass.Credential, "k_live_", StripeLiveKey),
        new("a Stripe test-mode secret key", SecretClass.Secret, "k_test_", StripeTestKey),
        new("a Stripe webhook signing secret", SecretClass.Credential, "whsec_", StripeWebhookSecret),
        new("an npm token", SecretClass.Credential, "npm_", NpmToken),
        new("a PyPI token", SecretClass.Credential, "pypi-", PyPiToken),
        new("a Docker Hub access token", SecretClass.Credential, "dckr_pat_", DockerHubToken),
        new("a Hugging Face token", SecretClass.Credential, "hf_", HuggingFaceToken),
        new("an OpenAI API key", SecretClass.Credential, "T3BlbkFJ", OpenAiKey),
        new("an Anthropic API key", SecretClass.Credential, "sk-ant-", AnthropicKey),
        new("a SendGrid API key", SecretClass.Credential, "SG.", SendGridKey),
        new("a Twilio API key", SecretClass.Credential, "SK", TwilioKey),
        new("a DigitalOcean token", SecretClass.Credential, "_v1_", DigitalOceanToken),
        new("a HashiCorp Vault token", SecretClass.Credential, "hv", VaultToken),
        new("a Shopify access token", SecretClass.Credential, "shp", ShopifyToken),
        new("an age secret key", SecretClass.Credential, "AGE-SECRET-KEY-1", AgeSecretKey),
        new("a Grafana service-account token", SecretClass.Credential, "glsa_", GrafanaToken),
        new("a Mailgun API key", SecretClass.Credential, "key-", MailgunKey),
        new("an Alibaba Cloud access key ID", SecretClass.Credential, "LTAI", AlibabaAccessKey),
        new("a New Relic API key", SecretClass.Credential, "NRAK-", NewRelicKey),
        new("a JSON Web Token", SecretClass.Secret, "eyJ", Jwt),
    ];

    /// <summary>The provider format <paramref name="value"/> holds (as a placeholder when it is a documented sample), or null.</summary>
    public static SecretDetector.Match? Find(string value)
    {
        if (value.Length < 16)
        {
            return null;
        }

        foreach (var format in Formats)
        {
            if (!value.Contains(format.Hint, StringComparison.Ordinal))
            {
                continue;
            }

            var m = format.Pattern().Match(value);
            if (m.Success)
            {
                return IsSample(format, m.Value, value)
                    ? new SecretDetector.Match(format.Kind, SecretClass.Placeholder)
                    : new SecretDetector.Match(format.Kind, format.Class);
            }
        }

        return null;
    }

    // AKIAIOSFODNN7EXAMPLE, ghp_xxxx…, hooks.slack.com/services/T00000000/B00000000/XXXX…, jwt.io's "John Doe".
    private static bool IsSample(Format format, string token, string value)
    {
        if (token.Contains("EXAMPLE", StringComparison.OrdinalIgnoreCase) || SecretValue.IsPlaceholder(token))
        {
            return true;
        }

        if (format.Kind == "a private key")
        {
            // A key block needs a body: "-----BEGIN PRIVATE KEY-----\n...\n" is the shape of a key, not a key.
            var body = value[(value.IndexOf(token, StringComparison.Ordinal) + token.Length)..];
            return PemBody().Matches(body).Sum(x => x.Length) < 40;
        }

        if (format.Kind == "a JSON Web Token")
        {
            var payload = Base64UrlText(token.Split('.')[1]);
            return payload.Contains("John Doe", StringComparison.Ordinal) || payload.Contains("\"1234567890\"", StringComparison.Ordinal);
        }

        return false;
    }

    private static string Base64UrlText(string part) => Base64Text(part.Replace('-', '+').Replace('_', '/')) ?? string.Empty;

    private static string? Base64Text(string b64)
    {
        b64 = b64.TrimEnd('=');
        b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
        var buffer = new byte[b64.Length];
        return Convert.TryFromBase64String(b64, buffer, out var n) ? Encoding.UTF8.GetString(buffer, 0, n) : null;
    }

    /// <summary>
    /// A password or key inside a larger value: a URL's <c>user:password@</c>, a connection string's
    /// <c>Password=</c> or <c>AccountKey=</c>, a URL query's <c>token=</c>/<c>sig=</c>, a Docker auth config's
    /// <c>"auth"</c>. Null when there is none, or it is empty or a reference.
    /// </summary>
    public static SecretDetector.Match? Embedded(string value)
    {
        if (value.Contains('@', StringComparison.Ordinal) && value.Contains("://", StringComparison.Ordinal) && UrlWithPassword().Match(value) is { Success: true } url)
        {
            return SecretDetector.JudgePassword(url.Groups["password"].Value, "an embedded password in a URL", [url.Groups["user"].Value]);
        }

        if (value.Contains('=', StringComparison.Ordinal) && (ConnectionStringSecret(value) ?? QuerySecret(value)) is { } inside)
        {
            return inside;
        }

        // Docker's config.json "auth" is base64 of user:password.
        if (value.Contains("\"auth\"", StringComparison.Ordinal) && DockerAuth().Match(value) is { Success: true } auth && Base64Text(auth.Groups["value"].Value) is { } pair
            && pair.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 && colon < pair.Length - 1)
        {
            return SecretDetector.JudgePassword(pair[(colon + 1)..], "a registry password in an auth config", [pair[..colon]]);
        }

        return null;
    }

    private static SecretDetector.Match? ConnectionStringSecret(string value)
    {
        foreach (Match field in ConnectionStringField().Matches(value))
        {
            var key = field.Groups["key"].Value.ToLowerInvariant();
            var secret = SecretValue.Unwrap(field.Groups["value"].Value);
            if (key is "accountkey" or "sharedaccesskey")
            {
                // Azurite's and the storage emulator's well-known account is documentation, not a secret.
                if (value.Contains("devstoreaccount1", StringComparison.OrdinalIgnoreCase))
                {
                    return new SecretDetector.Match("an Azure storage account key", SecretClass.Placeholder);
                }

                if (SecretValue.LooksRandom(secret))
                {
                    return new SecretDetector.Match(key == "accountkey" ? "an Azure storage account key" : "an Azure shared access key", SecretClass.Credential);
                }

                continue;
            }

            if (SecretDetector.JudgePassword(secret, "a password in a connection string", []) is { } password)
            {
                return password;
            }
        }

        return null;
    }

    private static SecretDetector.Match? QuerySecret(string value)
    {
        foreach (Match parameter in SecretQueryParameter().Matches(value))
        {
            var key = parameter.Groups["key"].Value.ToLowerInvariant();
            var secret = Uri.UnescapeDataString(parameter.Groups["value"].Value);
            if (key is "password" or "secret" or "client_secret")
            {
                if (SecretDetector.JudgePassword(secret, "a password in a URL's query", []) is { } password)
                {
                    return password;
                }
            }
            else if (!SecretValue.IsReference(secret) && SecretValue.LooksRandom(secret))
            {
                return new SecretDetector.Match(key == "sig" ? "a signed URL (shared access signature)" : "a URL with a token in its query", SecretClass.Secret);
            }
        }

        return null;
    }

    [GeneratedRegex(@"-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"[A-Za-z0-9+/=]{16,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex PemBody();

    [GeneratedRegex(@"PuTTY-User-Key-File-\d+:", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex PuttyKey();

    [GeneratedRegex(@"""type""\s*:\s*""service_account""[\s\S]{0,4000}?""private_key""|""private_key""[\s\S]{0,4000}?""type""\s*:\s*""service_account""", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex GcpServiceAccount();

    [GeneratedRegex(@"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AwsAccessKey();

    [GeneratedRegex(@"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"\bgl(?:pat|dt|rt|ptt|cbt|oas|soat|ft|imt|agent|ffct)-[A-Za-z0-9_\-]{20,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex GitLabToken();

    [GeneratedRegex(@"\bxox[abposre]-[A-Za-z0-9\-]{10,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SlackToken();

    [GeneratedRegex(@"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_\-]{20,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SlackWebhook();

    [GeneratedRegex(@"https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api(?:/v\d+)?/webhooks/\d{5,}/[A-Za-z0-9_\-]{20,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex DiscordWebhook();

    [GeneratedRegex(@"(?<![\w:])\d{5,16}:A[A-Za-z0-9_\-]{34}(?![\w\-])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex TelegramBotToken();

    [GeneratedRegex(@"\bAIza[0-9A-Za-z_\-]{35}(?![\w\-])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex GoogleApiKey();

    [GeneratedRegex(@"(?<![\w~.])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.\-]{31,34}(?![\w~.\-])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AzureClientSecret();

    [GeneratedRegex(@"\b[sr]k_live_[0-9A-Za-z]{20,}\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex StripeLiveKey();

    [GeneratedRegex(@"\b[sr]k_test_[0-9A-Za-z]{20,}\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex StripeTestKey();

    [GeneratedRegex(@"\bwhsec_[A-Za-z0-9+/]{24,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex StripeWebhookSecret();

    [GeneratedRegex(@"\bnpm_[A-Za-z0-9]{36}\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex NpmToken();

    [GeneratedRegex(@"\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex PyPiToken();

    [GeneratedRegex(@"\bdckr_pat_[A-Za-z0-9_\-]{20,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex DockerHubToken();

    [GeneratedRegex(@"\bhf_[A-Za-z]{34}\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex HuggingFaceToken();

    [GeneratedRegex(@"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,}T3BlbkFJ[A-Za-z0-9_\-]{20,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex OpenAiKey();

    [GeneratedRegex(@"\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_\-]{80,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AnthropicKey();

    [GeneratedRegex(@"\bSG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}(?![\w\-])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SendGridKey();

    [GeneratedRegex(@"\bSK[0-9a-f]{32}\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex TwilioKey();

    [GeneratedRegex(@"\bdo[por]_v1_[a-f0-9]{64}\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex DigitalOceanToken();

    [GeneratedRegex(@"\bhv[sb]\.[A-Za-z0-9_\-]{90,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex VaultToken();

    [GeneratedRegex(@"\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ShopifyToken();

    [GeneratedRegex(@"\bAGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AgeSecretKey();

    [GeneratedRegex(@"\bglsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex GrafanaToken();

    [GeneratedRegex(@"\bkey-[0-9a-f]{32}\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex MailgunKey();

    [GeneratedRegex(@"\bLTAI[A-Za-z0-9]{20}\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AlibabaAccessKey();

    [GeneratedRegex(@"\bNRAK-[A-Z0-9]{27}\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex NewRelicKey();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Jwt();

    [GeneratedRegex(@"\b[a-zA-Z][a-zA-Z0-9+.\-]{1,20}://(?<user>[^\s:/@]{0,128}):(?<password>[^\s/@]{1,128})@[^\s/@]+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex UrlWithPassword();

    [GeneratedRegex(@"(?:^|;)\s*(?<key>password|pwd|accountkey|sharedaccesskey)\s*=\s*(?<value>""[^""]*""|'[^']*'|[^;]*)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ConnectionStringField();

    [GeneratedRegex(@"[?&](?<key>token|access_token|api_key|apikey|auth|sig|signature|password|secret|client_secret)=(?<value>[^&#\s]+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SecretQueryParameter();

    [GeneratedRegex(@"""auth""\s*:\s*""(?<value>[A-Za-z0-9+/=]{8,})""", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex DockerAuth();
}

using System.Text.RegularExpressions;

namespace Bulwark.Rules.Secrets;

/// <summary>
/// What a value plainly is: a reference to something else, a path, an address, a word from a small vocabulary,
/// a placeholder, a weak password, or random key material. All checks work on the value alone.
/// </summary>
internal static partial class SecretValue
{
    /// <summary>The value without surrounding whitespace, one pair of quotes, or a one-string JSON list (<c>["…"]</c>).</summary>
    public static string Unwrap(string value)
    {
        var v = value.Trim();
        if (v.Length >= 4 && v.StartsWith("[\"", StringComparison.Ordinal) && v.EndsWith("\"]", StringComparison.Ordinal) && v.IndexOf('"', 2) == v.Length - 2)
        {
            v = v[2..^2];
        }

        if (v.Length >= 2 && v[0] == v[^1] && v[0] is '"' or '\'')
        {
            v = v[1..^1];
        }

        return v.Trim();
    }

    /// <summary>
    /// A value filled in from elsewhere: <c>$VAR</c>, <c>${VAR}</c>, <c>$(VAR)</c> (Kubernetes), <c>{{ .Values.x }}</c>
    /// (templates), or a pointer into a secret store (<c>vault:</c>, <c>arn:aws:secretsmanager:</c>, <c>op://</c>).
    /// </summary>
    public static bool IsReference(string v)
    {
        if (v.Length > 1 && v[0] == '$' && (char.IsAsciiLetter(v[1]) || v[1] is '_' or '{' or '('))
        {
            return true;
        }

        if (v.Contains("${", StringComparison.Ordinal) || (v.Contains("{{", StringComparison.Ordinal) && v.Contains("}}", StringComparison.Ordinal))
            || (v.StartsWith("#{", StringComparison.Ordinal) && v.EndsWith('}')))
        {
            return true;
        }

        foreach (var prefix in StoreReferences)
        {
            if (v.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return v.StartsWith("projects/", StringComparison.Ordinal) && v.Contains("/secrets/", StringComparison.Ordinal);
    }

    private static readonly string[] StoreReferences =
    [
        "vault:", "file:", "env:", "arn:aws:secretsmanager:", "arn:aws:ssm:", "arn:aws:kms:", "op://", "sm://", "ref+", "akv://", "gcpsm://",
        "awssm://", "secret://", "secretref:", "keyvault:", "azurekeyvault:",
    ];

    /// <summary>
    /// A value that is obviously not a secret whatever its name says: a boolean or mode word, a path, a URL without
    /// credentials, a host or host list, an e-mail address, a duration, size or version.
    /// </summary>
    public static bool IsPlainlyNotSecret(string v)
    {
        if (Vocabulary.Contains(v))
        {
            return true;
        }

        if (IsPath(v) || IsEmail(v) || IsHostList(v) || Quantity().IsMatch(v))
        {
            return true;
        }

        // A URL with credentials was judged before this; what is left is an address.
        return UrlScheme().IsMatch(v) && !v.Contains(' ', StringComparison.Ordinal);
    }

    // Values that name a mechanism, a mode or a state, never a secret: REGISTRY_AUTH=htpasswd, *_AUTH=ldap,
    // TOKEN=none. Words that are also weak passwords (password, secret, redis) are not here: where a name says
    // its value is the password, they are the password.
    private static readonly HashSet<string> Vocabulary = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "yes", "no", "y", "n", "on", "off", "enabled", "disabled", "enable", "disable", "none", "null", "nil", "empty", "unset",
        "undefined", "required", "optional", "auto", "always", "never", "htpasswd", "htdigest", "plain", "plaintext", "md5", "sha1", "sha256",
        "sha512", "bcrypt", "scrypt", "argon2", "argon2i", "argon2id", "pbkdf2", "crypt", "blf-crypt", "ssha", "trust", "peer", "ident",
        "reject", "ldap", "ldaps", "oauth", "oauth2", "oidc", "saml", "basic", "bearer", "digest", "kerberos", "ntlm", "jwt", "file", "env",
        "vault", "kubernetes", "k8s", "linux", "windows", "darwin", "hmac", "rsa", "ecdsa", "ed25519", "aes", "aes128", "aes256", "aes-256-gcm",
        "hs256", "hs384", "hs512", "rs256", "rs384", "rs512", "es256", "es384", "es512", "eddsa", "scram-sha-1", "scram-sha-256",
        "scram-sha-512", "sasl", "tls", "ssl", "mtls", "x509", "anonymous", "kms", "awskms", "gcpkms", "azurekeyvault", "transit",
    };

    private static bool IsPath(string v)
    {
        if (v.Contains(' ', StringComparison.Ordinal) && !v.StartsWith('/'))
        {
            return false;
        }

        if (v.StartsWith("./", StringComparison.Ordinal) || v.StartsWith("../", StringComparison.Ordinal) || v.StartsWith("~/", StringComparison.Ordinal)
            || WindowsPath().IsMatch(v))
        {
            return true;
        }

        // Base64 key material may start with "/" too; a path has no "+" and does not end in "=".
        if (v.StartsWith('/'))
        {
            return !v.Contains('+', StringComparison.Ordinal) && !v.EndsWith('=') && !LooksRandom(v.TrimStart('/'));
        }

        return RelativeFile().IsMatch(v);
    }

    private static bool IsEmail(string v) => Email().IsMatch(v);

    private static bool IsHostList(string v)
    {
        var items = v.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return items.Length > 0 && items.All(IsHost);
    }

    private static bool IsHost(string item)
    {
        var m = Host().Match(item);
        if (!m.Success)
        {
            return false;
        }

        var host = m.Groups["host"].Value;
        if (m.Groups["port"].Success || host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.StartsWith('['))
        {
            return true;
        }

        if (Ipv4().IsMatch(host))
        {
            return true;
        }

        // A DNS name: dotted, ending in a lower-case top-level label (not "Server.Admin1").
        var dot = host.LastIndexOf('.');
        return dot > 0 && dot < host.Length - 2 && host[(dot + 1)..].All(char.IsAsciiLetterLower);
    }

    /// <summary>
    /// A stand-in for a secret rather than a secret: <c>changeme</c>, <c>xxxx</c>, <c>******</c>, <c>&lt;PRIVKEY&gt;</c>,
    /// <c>your-token-here</c>, <c>__PASSWORD__</c>, <c>some_password</c>, <c>secret-key</c>, vendor sample values.
    /// </summary>
    public static bool IsPlaceholder(string v)
    {
        if (v.Length >= 3 && ((v[0] == '<' && v[^1] == '>') || (v[0] == '[' && v[^1] == ']' && !v.Contains('"', StringComparison.Ordinal))
            || (v.StartsWith("__", StringComparison.Ordinal) && v.EndsWith("__", StringComparison.Ordinal))
            || (v[0] == '@' && v[^1] == '@') || (v[0] == '%' && v[^1] == '%')))
        {
            return true;
        }

        if (v.Length >= 3 && v.All(c => c == v[0]))
        {
            return true;
        }

        if (HasMaskOrRepeat(v))
        {
            return true;
        }

        // Pl3aseCh4ngeMe: the fragments are looked for with digits read back as the letters they stand for.
        var plain = string.Create(v.Length, v, static (span, value) =>
        {
            for (var i = 0; i < value.Length; i++)
            {
                span[i] = Unleet(char.ToLowerInvariant(value[i]));
            }
        });
        foreach (var fragment in PlaceholderFragments)
        {
            if (plain.Contains(fragment, StringComparison.Ordinal))
            {
                return true;
            }
        }

        var words = Words(v);
        if (words.Any(PlaceholderWords.Contains))
        {
            return true;
        }

        // "secret-key", "access_key", "my-api-token": words that only say what should go there.
        return words.Count >= 2 && words.All(StandInWords.Contains);
    }

    // xxxx, ****, ####: a mask; six of one character in a row does not happen in generated keys (T00000000/B00000000).
    private static bool HasMaskOrRepeat(string v)
    {
        int mask = 0, run = 0;
        for (var i = 0; i < v.Length; i++)
        {
            mask = v[i] is 'x' or 'X' or '*' or '#' or '•' ? mask + 1 : 0;
            run = i > 0 && v[i] == v[i - 1] ? run + 1 : 1;
            if (mask >= 4 || run >= 6)
            {
                return true;
            }
        }

        return false;
    }

    private static readonly string[] PlaceholderFragments =
    [
        "changeme", "change_me", "change-me", "changeit", "changethis", "replaceme", "replace_me", "replace-me", "example", "placeholder",
        "dummy", "redacted", "notreal", "not_real", "not-real", "yourpass", "yoursecret", "yourtoken", "yourkey", "yourapikey", "insert_",
        "insert-", "put_your", "put-your", "fill_in", "fill-in",
    ];

    private static readonly HashSet<string> PlaceholderWords = new(StringComparer.Ordinal)
    {
        "change", "replace", "your", "yours", "sample", "samples", "placeholder", "todo", "tbd", "fixme", "redacted", "insert", "here", "fake",
        "random", "generate", "generated", "invalid", "some", "xxx", "xx", "lorem", "ipsum",
    };

    private static readonly HashSet<string> StandInWords = new(StringComparer.Ordinal)
    {
        "secret", "secrets", "key", "keys", "password", "passwd", "pass", "pw", "pwd", "token", "access", "api", "value", "string", "auth",
        "credential", "credentials", "private", "client", "my", "the", "a", "an", "of", "for", "app", "this",
    };

    /// <summary>
    /// A password an attacker tries first: a dictionary word, a default (<c>admin</c>, <c>root</c>, <c>postgres</c>,
    /// <c>P@ssw0rd</c>), the user name or a word of the variable's name, digits only.
    /// </summary>
    public static bool IsWeak(string v, IEnumerable<string> relatedWords)
    {
        if (v.All(char.IsAsciiDigit))
        {
            return true;
        }

        // The user's or the service's name, with or without digits after it: postgres, minio123.
        var lower = v.ToLowerInvariant();
        var stem = lower.TrimEnd("0123456789".ToCharArray());
        if (relatedWords.Any(w => w.Length >= 3 && (string.Equals(w, lower, StringComparison.OrdinalIgnoreCase) || string.Equals(w, stem, StringComparison.OrdinalIgnoreCase))))
        {
            return true;
        }

        // Lower-case words (with - or _ between them) and nothing else: "temporal", "supersecret", "bad-password".
        if (v.Length <= 20 && LowerWords().IsMatch(v))
        {
            return true;
        }

        // P@ssw0rd1!, Admin123: a weak word with the substitutions and the suffix that password rules ask for.
        var trimmed = lower.TrimEnd('!', '.', '?', '#', '*').TrimEnd("0123456789".ToCharArray()).TrimEnd('!', '.', '?', '#', '*', '_', '-');
        return WeakWords.Contains(new string([.. trimmed.Select(Unleet)]));
    }

    private static char Unleet(char c) => c switch
    {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' or '@' => 'a',
        '5' or '$' => 's',
        '7' => 't',
        _ => c,
    };

    private static readonly HashSet<string> WeakWords = new(StringComparer.Ordinal)
    {
        "password", "passwort", "passwd", "pass", "admin", "administrator", "root", "toor", "secret", "default", "guest", "test", "testing",
        "qwerty", "letmein", "welcome", "demo", "user", "master", "abc", "abcd", "iloveyou", "monkey", "dragon", "sunshine", "trustno",
        "minioadmin", "postgres", "mysql", "mariadb", "oracle", "sa", "elastic", "changeit", "superuser", "manager", "system", "login",
        "adminadmin", "rootroot", "passpass",
    };

    /// <summary>
    /// Looks like generated key material: a long hexadecimal, base64 or alphanumeric run with a high entropy, a UUID,
    /// a Laravel-style <c>base64:</c> key, or a licence key in groups (<c>ABCD1-EFGH2-…</c>); not words joined by
    /// separators, not camel-case words.
    /// </summary>
    public static bool LooksRandom(string v)
    {
        if (v.Length < 16 || v.Any(char.IsWhiteSpace))
        {
            return false;
        }

        if (Uuid().IsMatch(v) || LaravelKey().IsMatch(v))
        {
            return true;
        }

        if (GroupedKey().IsMatch(v) && v.Any(char.IsAsciiDigit) && v.Any(char.IsAsciiLetter))
        {
            return true;
        }

        var run = LongestRun(v);
        if (run.Length < 16)
        {
            return false;
        }

        var hasDigit = run.Any(char.IsAsciiDigit);
        var hasLower = run.Any(char.IsAsciiLetterLower);
        var hasUpper = run.Any(char.IsAsciiLetterUpper);
        if (run.Length >= 32 && run.All(char.IsAsciiHexDigit) && hasDigit && (hasLower || hasUpper))
        {
            return true;
        }

        var entropy = Entropy(run);
        if (hasDigit && (hasLower || hasUpper))
        {
            return entropy >= 3.0;
        }

        return run.Length >= 24 && hasLower && hasUpper && entropy >= 3.5;
    }

    /// <summary>Letters only, as words (<c>mysastoken</c>, <c>ThisIsASuperLongToken</c>, <c>your_token</c>): never a token a provider issued.</summary>
    public static bool IsOnlyWords(string v) => v.Length > 0 && v.All(c => char.IsAsciiLetter(c) || c is '-' or '_' or '.' or ' ') && v.Any(char.IsAsciiLetter);

    /// <summary>The longest stretch of base64 characters (letters, digits, <c>+ / =</c>).</summary>
    private static string LongestRun(string v)
    {
        var best = (Start: 0, Length: 0);
        var start = 0;
        for (var i = 0; i <= v.Length; i++)
        {
            if (i == v.Length || !(char.IsAsciiLetterOrDigit(v[i]) || v[i] is '+' or '/' or '='))
            {
                if (i - start > best.Length)
                {
                    best = (start, i - start);
                }

                start = i + 1;
            }
        }

        return v.Substring(best.Start, best.Length);
    }

    /// <summary>Shannon entropy in bits per character.</summary>
    public static double Entropy(string s)
    {
        if (s.Length == 0)
        {
            return 0;
        }

        var counts = new Dictionary<char, int>();
        foreach (var c in s)
        {
            counts[c] = counts.GetValueOrDefault(c) + 1;
        }

        var entropy = 0.0;
        foreach (var n in counts.Values)
        {
            var p = (double)n / s.Length;
            entropy -= p * Math.Log2(p);
        }

        return entropy;
    }

    /// <summary>
    /// Key material recognisable by its shape whatever the name: a Fernet key (32 bytes of URL-safe base64, 44
    /// characters ending in <c>=</c>) or a Laravel <c>APP_KEY</c> (<c>base64:</c> and the key).
    /// </summary>
    public static string? KeyMaterial(string v)
    {
        if (Fernet().IsMatch(v) && v.Any(char.IsAsciiDigit) && v.Any(char.IsAsciiLetterUpper) && v.Any(char.IsAsciiLetterLower) && Entropy(v) >= 4.0)
        {
            return "a Fernet key";
        }

        return LaravelKey().IsMatch(v) && Entropy(v[7..]) >= 4.0 ? "a base64-encoded application key" : null;
    }

    /// <summary>The value's words, lower-cased: split at punctuation and at lower-to-upper case changes.</summary>
    public static List<string> Words(string v) => [.. SecretName.Words(v).Select(w => w.ToLowerInvariant())];

    [GeneratedRegex(@"^[A-Za-z]:[\\/]", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex WindowsPath();

    [GeneratedRegex(@"^[\w.\-]+(?:/[\w.\-]+)+\.[A-Za-z][A-Za-z0-9]{0,5}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex RelativeFile();

    [GeneratedRegex(@"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Email();

    [GeneratedRegex(@"^(?<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9\-_]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-_]*[A-Za-z0-9])?)*)(?::(?<port>\d{1,5}))?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Host();

    [GeneratedRegex(@"^\d{1,3}(?:\.\d{1,3}){3}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Ipv4();

    // Durations, sizes, percentages, decimals and versions: 30s, 512Mi, 0.5, v2.1.0, 1.2.3-rc1.
    [GeneratedRegex(@"^(?:[+-]?\d+(?:\.\d+)?\s*(?:ns|us|ms|s|m|h|d|w|y|k|kb|mb|gb|tb|ki|mi|gi|ti|kib|mib|gib|%)?|v?\d+(?:\.\d+){1,3}(?:[-+][\w.]+)?)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Quantity();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.\-]{1,20}://", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex UrlScheme();

    [GeneratedRegex(@"^[a-z]+(?:[-_][a-z]+)*$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex LowerWords();

    [GeneratedRegex(@"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Uuid();

    [GeneratedRegex(@"^base64:[A-Za-z0-9+/]{22,}={0,2}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex LaravelKey();

    [GeneratedRegex(@"^[A-Z0-9]{4,8}(?:-[A-Z0-9]{4,8}){3,}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex GroupedKey();

    [GeneratedRegex(@"^[A-Za-z0-9_\-]{43}=$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Fernet();
}

namespace Bulwark.Rules.Secrets;

/// <summary>How strongly a variable's name says that its value is a secret.</summary>
internal enum NameStrength
{
    /// <summary>The name does not say so (or says the value is something about a secret: its file, its length).</summary>
    None,

    /// <summary>
    /// The name ends in a word that often, not always, names a secret (<c>KEY</c>, <c>SALT</c>, <c>AUTH</c>,
    /// <c>COOKIE</c>, <c>LICENSE</c>): <c>ROUTING_KEY</c> and <c>REGISTRY_AUTH=htpasswd</c> are not secrets,
    /// <c>SIGNING_KEY=9f86d0…</c> is. Only a value that looks like key material makes it one.
    /// </summary>
    KeyLike,

    /// <summary>The name ends in password, secret, token, API key, credentials…: any literal value is the secret itself.</summary>
    Strong,
}

/// <summary>What a name says about its value: <see cref="Strength"/>, and the noun used in messages ("a password").</summary>
internal readonly record struct NameVerdict(NameStrength Strength, string Noun, bool Vetoed)
{
    public static NameVerdict Neutral { get; } = new(NameStrength.None, "a secret", false);
}

/// <summary>
/// Reads a variable name as words (<c>LDAP_ROOTPASS</c>, <c>dbPassword</c>, <c>spring.datasource.password</c>)
/// and decides whether it names a secret. The secret word must be the name's head: the words after it may only
/// qualify the secret (<c>SECRET_KEY_BASE</c>, <c>PASSWORD_2</c>), not turn the name into something else
/// (<c>SECRET_LOCAL_HOSTNAME</c>, <c>API_KEY_RATE_LIMIT</c>, <c>POSTGRES_HOST_AUTH_METHOD</c>, <c>DB_PASSWORD_FILE</c>).
/// </summary>
internal static class SecretName
{
    // Glued words end in these too: WEBPASSWORD, LDAP_ROOTPASS, DBPASS, ROOTPW, APITOKEN.
    private static readonly (string Suffix, string Noun)[] StrongSuffixes =
    [
        ("PASSWORD", "a password"), ("PASSWD", "a password"), ("PASSPHRASE", "a passphrase"), ("PASS", "a password"),
        ("PWD", "a password"), ("PW", "a password"), ("SECRETS", "a secret"), ("SECRET", "a secret"), ("TOKENS", "a token"),
        ("TOKEN", "a token"), ("APIKEY", "an API key"), ("CREDENTIALS", "credentials"), ("CREDENTIAL", "credentials"),
        ("CREDS", "credentials"), ("PSK", "a pre-shared key"),
    ];

    // Words that end in PASS without meaning a password.
    private static readonly HashSet<string> NotPasswords = new(StringComparer.Ordinal)
    {
        "BYPASS", "COMPASS", "SURPASS", "TRESPASS", "OVERPASS", "UNDERPASS", "ENCOMPASS", "HIGHPASS", "LOWPASS", "BANDPASS", "MULTIPASS",
    };

    private static readonly (string Suffix, string Noun)[] KeyLikeSuffixes =
    [
        ("KEYS", "a key"), ("KEY", "a key"), ("SALT", "a salt"), ("COOKIE", "a cookie secret"), ("AUTH", "credentials"),
        ("LICENSE", "a licence key"), ("LICENCE", "a licence key"),
    ];

    // Before KEY these make it a secret whatever the value looks like: SECRET_KEY, API_KEY, PRIVATE_KEY, APP_KEY.
    private static readonly HashSet<string> SecretKeyQualifiers = new(StringComparer.Ordinal)
    {
        "SECRET", "SECRETS", "API", "PRIVATE", "PRIV", "AUTH", "ENCRYPTION", "ENCRYPT", "CRYPT", "SIGNING", "SIGN", "MASTER", "CLIENT",
        "APP", "SESSION", "JWT", "HMAC", "LICENSE", "LICENCE",
    };

    // Words after the secret word that still name the secret itself.
    private static readonly HashSet<string> QualifyingTails = new(StringComparer.Ordinal)
    {
        "BASE", "VALUE", "VAL", "DATA", "STR", "STRING", "B64", "BASE64", "HEX", "RAW", "PLAIN", "PLAINTEXT", "ENCODED", "OLD", "NEW",
        "CURRENT", "PREV", "PREVIOUS", "PRIMARY", "SECONDARY", "ACCESS", "READ", "WRITE", "ONLY", "READONLY", "RO", "RW",
    };

    // A name with one of these is about a public value or a digest, never a secret: GPG_KEY (a fingerprint),
    // PUBLIC_KEY, STRIPE_PUBLISHABLE_KEY, ADMIN_PASSWORD_HASH (a verifier), NODE_SHA256.
    private static readonly HashSet<string> Vetoes = new(StringComparer.Ordinal)
    {
        "PUBLIC", "PUB", "PUBKEY", "PUBLISHABLE", "GPG", "PGP", "GNUPG", "FINGERPRINT", "THUMBPRINT", "CHECKSUM", "CHECKSUMS", "SHA",
        "SHA1", "SHA256", "SHA384", "SHA512", "SHASUM", "MD5", "HASH", "HASHED", "DIGEST", "INTEGRITY",
    };

    // Heads of names whose value is something other than a secret, even when it is kept in a Secret: DB_USER,
    // KATIB_MYSQL_DB_HOST, OAUTH2_PROXY_CLIENT_ID, ROOK_CLUSTER_FSID.
    private static readonly HashSet<string> OtherThings = new(StringComparer.Ordinal)
    {
        "USER", "USERNAME", "USERID", "UID", "LOGIN", "HOST", "HOSTNAME", "HOSTS", "PORT", "ID", "IDS", "FSID", "NAME", "DATABASE", "DB",
        "DBNAME", "SCHEMA", "REGION", "BUCKET", "NAMESPACE", "EMAIL", "MAIL", "ADDRESS", "ADDR", "ENDPOINT", "DOMAIN", "ZONE", "PROJECT",
        "TENANT", "ISSUER", "AUDIENCE", "REALM", "PATH", "FILE", "DIR", "VERSION", "MODE", "TYPE", "ENABLED", "LEVEL",
    };

    /// <summary>True when the name's head says the value is something else than a secret: a user, a host, an ID, a path.</summary>
    public static bool NamesSomethingElse(string name)
    {
        var words = Words(name);
        var head = words.Count - 1;
        while (head >= 0 && IsQualifyingTail(words[head]))
        {
            head--;
        }

        return head >= 0 && OtherThings.Contains(words[head]);
    }

    public static NameVerdict Judge(string name)
    {
        var words = Words(name);
        if (words.Count == 0)
        {
            return NameVerdict.Neutral;
        }

        if (words.Any(Vetoes.Contains))
        {
            return NameVerdict.Neutral with { Vetoed = true };
        }

        var head = words.Count - 1;
        while (head >= 0 && IsQualifyingTail(words[head]))
        {
            head--;
        }

        if (head < 0)
        {
            return NameVerdict.Neutral;
        }

        if (StrongNoun(words[head]) is { } strong)
        {
            return new NameVerdict(NameStrength.Strong, strong, false);
        }

        if (KeyLikeNoun(words[head]) is not { } noun)
        {
            return NameVerdict.Neutral;
        }

        // SECRET_KEY, API_KEY, AWS_SECRET_ACCESS_KEY, APIKEY glued: the words before the key make it a secret.
        var word = words[head];
        if (word.EndsWith("KEY", StringComparison.Ordinal) && word.Length > 3 && SecretKeyQualifiers.Contains(word[..^3]))
        {
            return new NameVerdict(NameStrength.Strong, Article(word[..^3]) + " key", false);
        }

        for (var i = head - 1; i >= 0; i--)
        {
            if (SecretKeyQualifiers.Contains(words[i]))
            {
                return new NameVerdict(NameStrength.Strong, noun == "a key" ? Article(words[i]) + " key" : noun, false);
            }

            if (!IsQualifyingTail(words[i]))
            {
                break;
            }
        }

        // GITLAB_SECRETS_DB_KEY_BASE: a name that says "secret" earlier is about one.
        return words.Take(head).Any(w => StrongNoun(w) is not null)
            ? new NameVerdict(NameStrength.Strong, noun, false)
            : new NameVerdict(NameStrength.KeyLike, noun, false);
    }

    /// <summary>The name's words, upper-cased: split at <c>_ - . :</c>, other punctuation, and lower-to-upper case changes.</summary>
    public static List<string> Words(string name)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= name.Length; i++)
        {
            var c = i < name.Length ? name[i] : '\0';
            var boundary = !char.IsAsciiLetterOrDigit(c) || (i > 0 && char.IsAsciiLetterLower(name[i - 1]) && char.IsAsciiLetterUpper(c));
            if (boundary && start >= 0)
            {
                words.Add(name[start..i].ToUpperInvariant());
                start = -1;
            }

            if (char.IsAsciiLetterOrDigit(c) && start < 0)
            {
                start = i;
            }
        }

        return words;
    }

    private static bool IsQualifyingTail(string word) =>
        QualifyingTails.Contains(word) || word.All(char.IsAsciiDigit) || (word.Length > 1 && word[0] == 'V' && word[1..].All(char.IsAsciiDigit));

    private static string? StrongNoun(string word)
    {
        if (NotPasswords.Contains(word))
        {
            return null;
        }

        foreach (var (suffix, noun) in StrongSuffixes)
        {
            if (word.EndsWith(suffix, StringComparison.Ordinal))
            {
                return noun;
            }
        }

        return null;
    }

    private static string? KeyLikeNoun(string word)
    {
        foreach (var (suffix, noun) in KeyLikeSuffixes)
        {
            if (word.EndsWith(suffix, StringComparison.Ordinal))
            {
                return noun;
            }
        }

        return null;
    }

    private static string Article(string qualifier) => qualifier switch
    {
        "API" => "an API",
        "APP" => "an application",
        "ENCRYPTION" or "ENCRYPT" or "CRYPT" => "an encryption",
        "PRIVATE" or "PRIV" => "a private",
        "SIGNING" or "SIGN" => "a signing",
        "LICENSE" or "LICENCE" => "a licence",
        _ => "a secret",
    };
}

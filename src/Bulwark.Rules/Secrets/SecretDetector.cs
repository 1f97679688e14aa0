using System.Text.RegularExpressions;

namespace Bulwark.Rules.Secrets;

/// <summary>What a detected value is, which decides how loudly it is reported.</summary>
public enum SecretClass
{
    /// <summary>A credential in a provider's own format (cloud, VCS, chat, payment tokens; private keys): usable as found.</summary>
    Credential,

    /// <summary>A literal password, key or token: named as one with a value that is not plainly something else, or shaped like key material.</summary>
    Secret,

    /// <summary>A literal password that is a default or a dictionary word: as exposed as any other, and guessed first.</summary>
    WeakSecret,

    /// <summary>A stand-in for a secret (<c>changeme</c>, <c>xxxx</c>, <c>&lt;token&gt;</c>, vendor sample keys): not a secret itself.</summary>
    Placeholder,
}

/// <summary>
/// Decides whether a name/value pair holds a credential, from the name and the value together: a value in a
/// provider's format is a credential whatever the name; a name that says password/secret/token makes any literal
/// value a secret unless the value is plainly something else (a path, an address, a reference, a mode word) or a
/// placeholder; a name that only may mean a secret (<c>*_KEY</c>, <c>*_AUTH</c>) needs a value that looks like key
/// material; and key material with a recognisable shape (Fernet, Laravel <c>base64:</c>) is found under any name.
/// The one detector for every source: environment variables, build arguments, files.
/// </summary>
public static partial class SecretDetector
{
    /// <summary>A detected value: what it is (<c>"a password"</c>, <c>"a GitHub token"</c>) and its <see cref="SecretClass"/>.</summary>
    public sealed record Match(string Kind, SecretClass Class)
    {
        /// <summary>The object of "holds …" in a message.</summary>
        public string Describe() => Class switch
        {
            SecretClass.WeakSecret => $"{WithAdjective(Kind, "weak or default")} in plain text",
            SecretClass.Placeholder => $"what looks like a placeholder for {Kind}, not a real one",
            _ => $"{Kind} in plain text",
        };

        private static string WithAdjective(string kind, string adjective) =>
            kind.StartsWith("an ", StringComparison.Ordinal) ? "a " + adjective + " " + kind[3..]
            : kind.StartsWith("a ", StringComparison.Ordinal) ? "a " + adjective + " " + kind[2..]
            : adjective + " " + kind;
    }

    /// <summary>The credential this pair holds, or null.</summary>
    public static Match? Detect(string name, string? value)
    {
        if (value is null)
        {
            return null;
        }

        var v = SecretValue.Unwrap(value);
        if (v.Length == 0)
        {
            return null;
        }

        if (SecretFormats.Find(v) is { } known)
        {
            return known;
        }

        if (SecretFormats.Embedded(v) is { } embedded)
        {
            return embedded;
        }

        var verdict = SecretName.Judge(name);
        if (!verdict.Vetoed && SecretValue.KeyMaterial(v) is { } material)
        {
            return new Match(material, SecretValue.IsPlaceholder(v) ? SecretClass.Placeholder : SecretClass.Secret);
        }

        return verdict.Strength switch
        {
            NameStrength.Strong => JudgeNamed(v, verdict, name),
            NameStrength.KeyLike => JudgeKeyLike(v, verdict),
            _ => null,
        };
    }

    /// <summary>
    /// True when a name alone says its value is a secret (for a build argument without a default, or an ENV that
    /// copies one): <c>NPM_TOKEN</c>, <c>DB_PASSWORD</c>, <c>SIGNING_KEY</c>; not <c>GPG_KEY</c>, <c>DB_PASSWORD_FILE</c>.
    /// </summary>
    public static bool NameLooksSecret(string name)
    {
        var verdict = SecretName.Judge(name);
        return verdict.Strength == NameStrength.Strong
            || (verdict.Strength == NameStrength.KeyLike && SecretName.Words(name).Count > 1 && verdict.Noun is "a key" or "a salt" or "a licence key");
    }

    /// <summary>
    /// True when the name says its value is not a secret even if it is kept in one (<c>DB_USER</c>, <c>DB_HOST</c>,
    /// <c>CLIENT_ID</c>): such a variable filled from a Secret exposes nothing.
    /// </summary>
    public static bool NameSaysNotSecret(string name) => SecretName.NamesSomethingElse(name);

    /// <summary>The provider format a value is in (<c>"a GitHub token"</c>), or null; samples from documentation included.</summary>
    public static string? KnownFormat(string value) => SecretFormats.Find(value)?.Kind;

    /// <summary>
    /// Judges a value that is a password by where it is (named so, or in a URL's user-info, or a connection
    /// string's <c>Password=</c>): null when empty, a reference or plainly not one; a placeholder; weak; or a secret.
    /// </summary>
    internal static Match? JudgePassword(string value, string kind, IEnumerable<string> relatedWords)
    {
        var v = SecretValue.Unwrap(value);
        if (v.Length < 3 || SecretValue.IsReference(v))
        {
            return null;
        }

        if (v.All(char.IsAsciiDigit))
        {
            return new Match(kind, SecretClass.WeakSecret);
        }

        if (SecretValue.IsPlaceholder(v))
        {
            return new Match(kind, SecretClass.Placeholder);
        }

        if (SecretValue.IsWeak(v, relatedWords))
        {
            return new Match(kind, SecretClass.WeakSecret);
        }

        return SecretValue.IsPlainlyNotSecret(v) ? null : new Match(kind, SecretClass.Secret);
    }

    private static Match? JudgeNamed(string v, NameVerdict verdict, string name)
    {
        if (v.Length < 3 || SecretValue.IsReference(v))
        {
            return null;
        }

        // An AWS secret access key has no prefix; 40 base64 characters under an AWS secret name are one.
        var words = SecretName.Words(name);
        if (words.Contains("AWS") && AwsSecretKey().IsMatch(v) && !SecretValue.IsPlaceholder(v))
        {
            return new Match("an AWS secret access key", SecretClass.Credential);
        }

        if (SecretValue.IsPlainlyNotSecret(v) && !v.All(char.IsAsciiDigit))
        {
            return null;
        }

        // A token or API key is issued by a provider, never a plain word: LOGGLY_TOKEN=ThisIsASuperLongToken stands in for one.
        if (verdict.Noun is "a token" or "an API key" && SecretValue.IsOnlyWords(v))
        {
            return new Match(verdict.Noun, SecretClass.Placeholder);
        }

        return JudgePassword(v, verdict.Noun, words.Select(w => w.ToLowerInvariant()));
    }

    private static Match? JudgeKeyLike(string v, NameVerdict verdict)
    {
        if (SecretValue.IsReference(v) || SecretValue.IsPlainlyNotSecret(v))
        {
            return null;
        }

        if (SecretValue.LooksRandom(v))
        {
            return new Match(verdict.Noun, SecretValue.IsPlaceholder(v) ? SecretClass.Placeholder : SecretClass.Secret);
        }

        // BASIC_AUTH=admin:s3cret: a user and a password.
        var colon = v.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && colon < v.Length - 1 && !v.Contains(' ', StringComparison.Ordinal) && !v.Contains("://", StringComparison.Ordinal))
        {
            return JudgePassword(v[(colon + 1)..], "a user name and password", [v[..colon]]);
        }

        // A key-like name with a stand-in value (SIGNING_KEY=your-signing-key-here) is a placeholder.
        return SecretValue.IsPlaceholder(v) && v.Length >= 6 ? new Match(verdict.Noun, SecretClass.Placeholder) : null;
    }

    /// <summary>A credential found in a file's text, and the 1-based line it starts on.</summary>
    public sealed record FileMatch(int Line, Match Match);

    /// <summary>
    /// The credentials in a file's text (a file copied into an image, an image layer's file): private keys and
    /// provider tokens anywhere, <c>NAME=value</c> / <c>name: value</c> lines judged as variables are, and the
    /// credential files whose lines have a format of their own (<c>.netrc</c>, <c>.pgpass</c>, PPP
    /// <c>chap-secrets</c>/<c>pap-secrets</c>, IPsec <c>ipsec.secrets</c>). Placeholders are returned as such.
    /// </summary>
    public static IReadOnlyList<FileMatch> InFile(string fileName, string text)
    {
        var found = new List<FileMatch>();
        var name = Path.GetFileName(fileName.Replace('\\', '/')).ToLowerInvariant();
        var lines = text.Split('\n');
        var offset = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var match = FileLine(name, line, text, offset);
            offset += lines[i].Length + 1;
            if (match is not null)
            {
                found.Add(new FileMatch(i + 1, match));
            }
        }

        return found;
    }

    private static Match? FileLine(string fileName, string line, string text, int offset)
    {
        var trimmed = line.Trim();
        if (trimmed.Length == 0 || trimmed[0] == '#' || trimmed[0] == ';')
        {
            return null;
        }

        // A PEM block spans lines: its header is judged with the text that follows (a key needs a body).
        if (trimmed.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            return SecretFormats.Find(text[offset..Math.Min(text.Length, offset + 8192)]) is { Kind: "a private key" } key ? key : null;
        }

        if (SecretFormats.Find(trimmed) is { } known)
        {
            return known;
        }

        switch (fileName)
        {
            case ".netrc" or "_netrc":
                return NetrcPassword().Match(trimmed) is { Success: true } netrc ? JudgePassword(netrc.Groups[1].Value, "a password", []) : null;
            case ".pgpass":
                var fields = trimmed.Split(':');
                return fields.Length == 5 ? JudgePassword(fields[4], "a password", [fields[3]]) : null;
            case "chap-secrets" or "pap-secrets":
                var words = trimmed.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                return words.Length >= 3 ? JudgePassword(words[2].Trim('"'), "a PPP secret", [words[0].Trim('"')]) : null;
            case "ipsec.secrets":
                return IpsecSecret().Match(trimmed) is { Success: true } psk ? JudgePassword(psk.Groups[1].Value, "an IPsec secret", []) : null;
        }

        if (SecretFormats.Embedded(trimmed) is { } embedded)
        {
            return embedded;
        }

        // "auth": "dXNlcjpwYXNz" in a JSON credentials file (.docker/config.json, a service's secrets.json).
        if (JsonPair().Match(trimmed) is { Success: true } json)
        {
            return Detect(json.Groups["name"].Value, json.Groups["value"].Value);
        }

        return KeyValueLine().Match(trimmed) is { Success: true } pair ? Detect(pair.Groups["name"].Value, pair.Groups["value"].Value) : null;
    }

    [GeneratedRegex(@"^""(?<name>[A-Za-z_][\w.\-]{0,99})""\s*:\s*""(?<value>[^""\\]*)""\s*,?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex JsonPair();

    [GeneratedRegex(@"\bpassword\s+(\S+)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex NetrcPassword();

    [GeneratedRegex(@":\s*(?:PSK|EAP|XAUTH|NTLM)\s+""([^""]*)""", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex IpsecSecret();

    // NAME=value, name: value, export NAME="value", //registry.npmjs.org/:_authToken=value.
    [GeneratedRegex(@"^(?:export\s+)?(?:[^\s=:]*:)?(?<name>[A-Za-z_][\w.\-]*)\s*[=:]\s*(?<value>.+)$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex KeyValueLine();

    [GeneratedRegex(@"^[A-Za-z0-9/+]{40}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AwsSecretKey();
}

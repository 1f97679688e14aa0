using System.Globalization;
using System.Text;

namespace Bulwark.Images.Sbom;

/// <summary>
/// A package URL (purl, ECMA-427): <c>pkg:type/namespace/name@version?qualifiers#subpath</c>. Components are held
/// decoded and already canonical for their type (<see cref="PackageUrlType"/>: case folding, PyPI's name rule), so
/// two purls naming the same package are equal and <see cref="ToString"/> is the canonical form: percent-encoded,
/// qualifiers sorted by key, empty qualifier values dropped.
/// </summary>
public sealed record PackageUrl
{
    private const string Scheme = "pkg";

    /// <summary>Builds a purl from decoded components; throws <see cref="ArgumentException"/> when they cannot form one.</summary>
    public PackageUrl(
        string type,
        string? @namespace,
        string name,
        string? version = null,
        IEnumerable<KeyValuePair<string, string?>>? qualifiers = null,
        string? subpath = null)
    {
        if (string.IsNullOrEmpty(type) || !IsValidType(type))
        {
            throw new ArgumentException($"purl type \"{type}\" is not letters, digits, '.', '+' and '-' starting with a letter", nameof(type));
        }

        Type = type.ToLowerInvariant();
        var rules = PackageUrlType.Of(Type);
        Namespace = rules.CanonicalNamespace(JoinSegments(@namespace, dropDots: false));
        if (Namespace is not null && rules.Namespace == NamespaceRequirement.Prohibited)
        {
            throw new ArgumentException($"a {Type} purl has no namespace (given \"{Namespace}\")", nameof(@namespace));
        }

        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("a purl needs a name", nameof(name));
        }

        Name = rules.CanonicalName(name);
        Version = rules.CanonicalVersion(string.IsNullOrEmpty(version) ? null : version);
        Qualifiers = CanonicalQualifiers(qualifiers);
        Subpath = JoinSegments(subpath, dropDots: true);
    }

    public string Type { get; }

    /// <summary>The namespace's segments joined with '/', or null.</summary>
    public string? Namespace { get; }

    public string Name { get; }

    public string? Version { get; }

    /// <summary>Qualifiers with lowercase keys, sorted by key, none with an empty value.</summary>
    public IReadOnlyDictionary<string, string> Qualifiers { get; }

    /// <summary>The subpath's segments joined with '/', without leading or trailing '/', or null.</summary>
    public string? Subpath { get; }

    public bool Equals(PackageUrl? other) => other is not null && string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    /// <summary>The canonical purl string.</summary>
    public override string ToString() => _canonical ??= Canonical();

    private string? _canonical;

    private string Canonical()
    {
        var text = new StringBuilder(Scheme).Append(':').Append(Type).Append('/');
        if (Namespace is not null)
        {
            AppendSegments(text, Namespace).Append('/');
        }

        AppendEncoded(text, Name);
        if (Version is not null)
        {
            AppendEncoded(text.Append('@'), Version);
        }

        var separator = '?';
        foreach (var (key, value) in Qualifiers)
        {
            AppendEncoded(text.Append(separator).Append(key).Append('='), value);
            separator = '&';
        }

        if (Subpath is not null)
        {
            AppendSegments(text.Append('#'), Subpath);
        }

        return text.ToString();
    }

    /// <summary>Parses a purl string (canonical or not); throws <see cref="FormatException"/> when it is not one.</summary>
    public static PackageUrl Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return ParseCore(text);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"\"{text}\" is not a valid purl: {ex.Message}", ex);
        }
    }

    public static bool TryParse(string text, out PackageUrl? purl)
    {
        try
        {
            purl = Parse(text);
            return true;
        }
        catch (FormatException)
        {
            purl = null;
            return false;
        }
    }

    // The spec's parsing order: subpath from the right, then qualifiers from the right, then the scheme and type from
    // the left, then version and name from the right; what is left is the namespace.
    private static PackageUrl ParseCore(string text)
    {
        var remainder = text;
        string? subpath = null;
        if (remainder.LastIndexOf('#') is var hash and >= 0)
        {
            subpath = string.Join('/', remainder[(hash + 1)..].Split('/').Select(Decode));
            remainder = remainder[..hash];
        }

        List<KeyValuePair<string, string?>>? qualifiers = null;
        if (remainder.LastIndexOf('?') is var question and >= 0)
        {
            qualifiers = ParseQualifiers(remainder[(question + 1)..]);
            remainder = remainder[..question];
        }

        var colon = remainder.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !string.Equals(remainder[..colon], Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("it does not start with \"pkg:\"");
        }

        // "pkg://type/..." and "pkg:/type/..." are read as "pkg:type/...", as the spec allows.
        remainder = remainder[(colon + 1)..].TrimStart('/');
        var slash = remainder.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            throw new ArgumentException("it has no type followed by '/'");
        }

        var type = remainder[..slash];
        remainder = remainder[(slash + 1)..].TrimEnd('/');

        // The version's '@' is in the last segment: a scope's '@' (npm's "@babel/core") is not a version.
        var lastSlash = remainder.LastIndexOf('/');
        string? version = null;
        if (remainder.LastIndexOf('@') is var at && at > lastSlash)
        {
            version = Decode(remainder[(at + 1)..]);
            remainder = remainder[..at];
        }

        var name = Decode(remainder[(lastSlash + 1)..]);
        var @namespace = lastSlash > 0 ? string.Join('/', remainder[..lastSlash].Split('/').Select(Decode)) : null;
        return new PackageUrl(type, @namespace, name, version, qualifiers, subpath);
    }

    private static List<KeyValuePair<string, string?>> ParseQualifiers(string text)
    {
        var qualifiers = new List<KeyValuePair<string, string?>>();
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"qualifier \"{pair}\" is not key=value");
            }

            qualifiers.Add(new(pair[..equals], Decode(pair[(equals + 1)..])));
        }

        return qualifiers;
    }

    private static SortedDictionary<string, string> CanonicalQualifiers(IEnumerable<KeyValuePair<string, string?>>? qualifiers)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (rawKey, value) in qualifiers ?? [])
        {
            if (string.IsNullOrEmpty(rawKey) || !IsValidQualifierKey(rawKey))
            {
                throw new ArgumentException($"qualifier key \"{rawKey}\" is not letters, digits, '.', '-' and '_' starting with a letter", nameof(qualifiers));
            }

            if (string.IsNullOrEmpty(value))
            {
                continue; // a qualifier without a value is the same as no qualifier
            }

            if (!result.TryAdd(rawKey.ToLowerInvariant(), value))
            {
                throw new ArgumentException($"qualifier \"{rawKey.ToLowerInvariant()}\" is given twice", nameof(qualifiers));
            }
        }

        return result;
    }

    /// <summary>Segments without empty ones (and without '.' and '..' in a subpath, which could climb out of the package).</summary>
    private static string? JoinSegments(string? value, bool dropDots)
    {
        if (value is null)
        {
            return null;
        }

        var segments = value.Split('/').Where(s => s.Length > 0 && !(dropDots && s is "." or "..")).ToList();
        return segments.Count == 0 ? null : string.Join('/', segments);
    }

    private static bool IsValidType(string type) =>
        char.IsAsciiLetter(type[0]) && type.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '+' or '-');

    private static bool IsValidQualifierKey(string key) =>
        char.IsAsciiLetter(key[0]) && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');

    private static StringBuilder AppendSegments(StringBuilder text, string segments)
    {
        var first = true;
        foreach (var segment in segments.Split('/'))
        {
            AppendEncoded(first ? text : text.Append('/'), segment);
            first = false;
        }

        return text;
    }

    /// <summary>
    /// Canonical percent-encoding: every UTF-8 byte except ASCII letters, digits, '.', '-', '_', '~' and ':' (which
    /// the spec keeps literal, so <c>sha256:…</c> and epochs read as written).
    /// </summary>
    private static void AppendEncoded(StringBuilder text, string value)
    {
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value is '.' or '-' or '_' or '~' or ':'))
            {
                text.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(bytes);
            foreach (var b in bytes[..length])
            {
                text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
    }

    private static string Decode(string value)
    {
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '%')
            {
                var end = value.IndexOf('%', i);
                bytes.AddRange(Encoding.UTF8.GetBytes(value[i..(end < 0 ? value.Length : end)]));
                i = (end < 0 ? value.Length : end) - 1;
                continue;
            }

            if (i + 2 >= value.Length || !byte.TryParse(value.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                throw new ArgumentException($"\"{value}\" has a '%' not followed by two hex digits");
            }

            bytes.Add(b);
            i += 2;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException ex)
        {
            throw new ArgumentException($"\"{value}\" decodes to bytes that are not UTF-8", ex);
        }
    }
}

using System.Buffers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Bulwark.Images.Vulnerabilities;

/// <summary>
/// The Debian security tracker's JSON (<c>security-tracker.debian.org/tracker/data/json</c>):
/// <c>{source-package: {CVE: {description, releases: {codename: {status, fixed_version, urgency}}}}}</c>. One advisory
/// per CVE (or TEMP-/DSA- id as keyed), with one affected package per release and source package: resolved with a
/// version is fixed there, resolved with <c>"0"</c> was never affected (no package), open and undetermined are
/// unfixed and carry the tracker's word in <see cref="AffectedPackage.Status"/>.
/// </summary>
/// <remarks>
/// The real file is 50–60 MB: it is read one source package at a time (a <see cref="JsonDocument"/> per package, never
/// the whole file), and only the advisories are kept, grouped by CVE because one CVE appears under every source
/// package it touches.
/// </remarks>
public sealed partial class DebianTrackerFormat : IAdvisoryFormat
{
    public const string SourceName = "debian-tracker";

    /// <summary>The largest single package object read (the kernel's, the largest, is a few MB in the real file).</summary>
    private const int MaxPackageBytes = 128 * 1024 * 1024;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 16 };

    public string Name => SourceName;

    [GeneratedRegex(@"\A(CVE-[0-9]{4}-[0-9]+|TEMP-[0-9A-Za-z-]+|DSA-[0-9]+(-[0-9]+)?|DLA-[0-9]+(-[0-9]+)?)\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex VulnerabilityId();

    /// <summary>
    /// Recognised by its first two keys: a package name whose value is an object whose first key is a CVE or TEMP id
    /// whose value is an object. OSV records, Alpine secdb and Node.js WG files start with scalar members instead.
    /// </summary>
    public bool Recognizes(string fileName, ReadOnlySpan<byte> head)
    {
        var keys = JsonHead.LeadingKeys(head, 2);
        return keys.Count == 2 && VulnerabilityId().IsMatch(keys[1]);
    }

    public IEnumerable<Advisory> Read(Stream content, string file, ICollection<ImportProblem> invalid)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(invalid);
        var advisories = new Dictionary<string, AdvisoryBuilder>(StringComparer.Ordinal);
        foreach (var (package, value, line) in Packages(content, file))
        {
            using (value)
            {
                try
                {
                    ReadPackage(package, value.RootElement, file, line, advisories, invalid);
                }
                catch (InvalidOperationException)
                {
                    // System.Text.Json checks a string's UTF-8 only when it is decoded.
                    invalid.Add(new ImportProblem(file, line, $"package {package}: text that is not valid UTF-8; the package's entries after it are left out"));
                }
            }
        }

        return advisories.Values.Select(builder => builder.Build()).ToList();
    }

    private static void ReadPackage(
        string package, JsonElement cves, string file, int line, Dictionary<string, AdvisoryBuilder> advisories, ICollection<ImportProblem> invalid)
    {
        if (cves.ValueKind != JsonValueKind.Object)
        {
            invalid.Add(new ImportProblem(file, line, $"package {package}: expected an object of CVEs, found {Kind(cves)}"));
            return;
        }

        if (package.Length == 0)
        {
            invalid.Add(new ImportProblem(file, line, "a package with an empty name"));
            return;
        }

        foreach (var cve in cves.EnumerateObject())
        {
            if (!VulnerabilityId().IsMatch(cve.Name))
            {
                invalid.Add(new ImportProblem(file, line, $"package {package}: \"{Shorten(cve.Name)}\" is not a CVE, TEMP, DSA or DLA id"));
                continue;
            }

            if (cve.Value.ValueKind != JsonValueKind.Object)
            {
                invalid.Add(new ImportProblem(file, line, $"{cve.Name} in {package}: expected an object, found {Kind(cve.Value)}"));
                continue;
            }

            if (!cve.Value.TryGetProperty("releases", out var releases) || releases.ValueKind != JsonValueKind.Object)
            {
                invalid.Add(new ImportProblem(file, line, $"{cve.Name} in {package}: \"releases\" is missing or not an object"));
                continue;
            }

            string? description = null;
            if (cve.Value.TryGetProperty("description", out var text))
            {
                if (text.ValueKind == JsonValueKind.String)
                {
                    description = text.GetString();
                }
                else if (text.ValueKind != JsonValueKind.Null)
                {
                    invalid.Add(new ImportProblem(file, line, $"{cve.Name} in {package}: \"description\" is {Kind(text)}, not a string; left out"));
                }
            }

            if (!advisories.TryGetValue(cve.Name, out var advisory))
            {
                advisory = new AdvisoryBuilder(cve.Name);
                advisories.Add(cve.Name, advisory);
            }

            advisory.Summary ??= string.IsNullOrWhiteSpace(description) ? null : description.Trim();
            foreach (var release in releases.EnumerateObject())
            {
                ReadRelease(package, cve.Name, release, file, line, advisory, invalid);
            }
        }
    }

    private static void ReadRelease(
        string package, string id, JsonProperty release, string file, int line, AdvisoryBuilder advisory, ICollection<ImportProblem> invalid)
    {
        var where = $"{id} in {package}, release {release.Name}";
        if (release.Name.Length == 0 || release.Value.ValueKind != JsonValueKind.Object)
        {
            invalid.Add(new ImportProblem(file, line, $"{where}: expected an object, found {Kind(release.Value)}"));
            return;
        }

        var statusError = OptionalString(release.Value, "status", out var status);
        var fixedError = OptionalString(release.Value, "fixed_version", out var fixedVersion);
        var urgencyError = OptionalString(release.Value, "urgency", out var urgency);
        var typeError = statusError ?? fixedError ?? urgencyError;
        if (typeError is not null)
        {
            invalid.Add(new ImportProblem(file, line, $"{where}: {typeError}"));
            return;
        }

        var severity = SeverityOf(urgency);
        advisory.Severity = (AdvisorySeverity)Math.Max((int)advisory.Severity, (int)severity);
        var ecosystem = Ecosystems.Debian(release.Name);
        var name = Ecosystems.NormalizeName(ecosystem, package);
        switch (status)
        {
            case "resolved" when fixedVersion == "0":
                // Never affected in this release: nothing to match.
                return;
            case "resolved" when !string.IsNullOrWhiteSpace(fixedVersion):
                advisory.Affected.Add(new AffectedPackage
                {
                    Ecosystem = ecosystem,
                    Name = name,
                    Ranges = [new AffectedRange(RangeKind.Ecosystem, [new(RangeEventKind.Introduced, "0"), new(RangeEventKind.Fixed, fixedVersion.Trim())])],
                    Severity = severity,
                });
                return;
            case "resolved":
                invalid.Add(new ImportProblem(file, line, $"{where}: resolved without a fixed_version"));
                return;
            case "open" or "undetermined":
                advisory.Affected.Add(new AffectedPackage
                {
                    Ecosystem = ecosystem,
                    Name = name,
                    Ranges = [new AffectedRange(RangeKind.Ecosystem, [new(RangeEventKind.Introduced, "0")])],
                    Severity = severity,

                    Status = UnfixedStatus(status, urgency, release.Value),
                });
                return;
            default:
                invalid.Add(new ImportProblem(file, line, status is null
                    ? $"{where}: no status"
                    : $"{where}: unknown status \"{Shorten(status)}\" (expected resolved, open or undetermined)"));
                return;
        }
    }

    /// <summary>
    /// Why an affected release has no fix, in the salsa lists' words where the tracker says more than "open": an issue in
    /// a release past its security support will never be fixed there (<c>end-of-life</c>); one the security team chose
    /// not to fix in a stable release carries the tracker's <c>nodsa_reason</c> (<c>postponed</c>, <c>ignored</c>) or,
    /// with only a <c>nodsa</c> note, <c>no-dsa</c>.
    /// </summary>
    private static string UnfixedStatus(string status, string? urgency, JsonElement release)
    {
        if (urgency is not null && Urgency(urgency) == "end-of-life")
        {
            return "end-of-life";
        }

        if (release.TryGetProperty("nodsa_reason", out var reason) && reason.ValueKind == JsonValueKind.String
            && reason.GetString()!.Trim() is { Length: > 0 } word)
        {
            return word.ToLowerInvariant();
        }

        return release.TryGetProperty("nodsa", out var note) && note.ValueKind == JsonValueKind.String ? "no-dsa" : status;
    }

    /// <summary>
    /// The tracker's urgency as a severity: low, medium and high as they say, unimportant as
    /// <see cref="AdvisorySeverity.Negligible"/>; "not yet assigned", "end-of-life" and anything else as
    /// <see cref="AdvisorySeverity.Unknown"/>. A trailing <c>*</c> (<c>**</c>) marks a guess, of the same level.
    /// </summary>
    public static AdvisorySeverity SeverityOf(string? urgency) => urgency is null ? AdvisorySeverity.Unknown : Urgency(urgency) switch
    {
        "unimportant" => AdvisorySeverity.Negligible,
        "low" => AdvisorySeverity.Low,
        "medium" => AdvisorySeverity.Medium,
        "high" => AdvisorySeverity.High,
        _ => AdvisorySeverity.Unknown,
    };

    private static string Urgency(string urgency) => urgency.Trim().TrimEnd('*').Trim().ToLowerInvariant();

    /// <summary>Null when <paramref name="key"/> is absent, null or a string; else why not.</summary>
    private static string? OptionalString(JsonElement element, string key, out string? value)
    {
        value = null;
        if (!element.TryGetProperty(key, out var property) || property.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (property.ValueKind != JsonValueKind.String)
        {
            return $"\"{key}\" is {Kind(property)}, not a string";
        }

        value = property.GetString();
        return null;
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";

    /// <summary>
    /// The top-level members, one at a time, each parsed on its own, with the line it starts on. The buffer holds the
    /// member being read and grows only for a member larger than itself.
    /// </summary>
    private static IEnumerable<(string Package, JsonDocument Value, int Line)> Packages(Stream content, string file)
    {
        using var state = new StreamState(content);
        state.Fill();
        state.SkipBom();
        if (!state.ReadStart())
        {
            throw new InvalidDataException($"{file}: not a Debian security tracker file: the top level is not a JSON object");
        }

        while (state.ReadMember(file) is { } next)
        {
            yield return next;
        }
    }

    /// <summary>
    /// A window over the stream: bytes from <c>_start</c> (the next unread member) to <c>_end</c>. A member
    /// cut off by the window's end is read again once more bytes are in; Utf8JsonReader cannot live across a yield.
    /// </summary>
    private sealed class StreamState(Stream stream) : IDisposable
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        private int _start;
        private int _end;
        private bool _final;
        private JsonReaderState _readerState = new(ReaderOptions);
        // The line _buffer[_start] is on.
        private int _line = 1;

        public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);

        public void Fill()
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                if (_buffer.Length >= MaxPackageBytes)
                {
                    throw new InvalidDataException($"one package's entry is over {MaxPackageBytes / (1024 * 1024)} MiB; not read");
                }

                var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
                Buffer.BlockCopy(_buffer, 0, larger, 0, _end);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            while (_end < _buffer.Length)
            {
                var read = stream.Read(_buffer, _end, _buffer.Length - _end);
                if (read == 0)
                {
                    _final = true;
                    break;
                }

                _end += read;
            }
        }

        public void SkipBom()
        {
            if (_buffer.AsSpan(_start, _end - _start).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                _start += 3;
            }
        }

        /// <summary>Reads the opening brace; false when the top level is something else.</summary>
        public bool ReadStart()
        {
            while (true)
            {
                var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _readerState);
                try
                {
                    if (reader.Read())
                    {
                        if (reader.TokenType != JsonTokenType.StartObject)
                        {
                            return false;
                        }

                        Advance(ref reader);
                        return true;
                    }
                }
                catch (JsonException)
                {
                    return false;
                }

                if (_final)
                {
                    return false;
                }

                Fill();
            }
        }

        /// <summary>The next member, or null after the closing brace.</summary>
        public (string, JsonDocument, int)? ReadMember(string file)
        {
            while (true)
            {
                var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _readerState);
                try
                {
                    if (reader.Read())
                    {
                        if (reader.TokenType == JsonTokenType.EndObject)
                        {
                            // Anything after the closing brace makes the reader throw: a second value, trailing junk.
                            while (reader.Read())
                            {
                            }

                            return null;
                        }

                        var name = reader.GetString()!;
                        var probe = reader;
                        if (probe.Read() && probe.TrySkip())
                        {
                            var memberLine = _line + _buffer.AsSpan(_start, (int)reader.TokenStartIndex).Count((byte)'\n');
                            var value = JsonDocument.ParseValue(ref reader);
                            Advance(ref reader);
                            return (name, value, memberLine);
                        }
                    }
                }
                catch (JsonException ex)
                {
                    var at = ex.LineNumber is { } relative ? $" (line {_line + relative})" : string.Empty;
                    throw new InvalidDataException($"{file}: not valid JSON{at}: {ex.Message}", ex);
                }
                catch (InvalidOperationException ex)
                {
                    throw new InvalidDataException($"{file}: a package name that is not valid UTF-8 (line {_line})", ex);
                }

                if (_final)
                {
                    throw new InvalidDataException($"{file}: the JSON is cut short");
                }

                Fill();
            }
        }

        private void Advance(ref Utf8JsonReader reader)
        {
            _line += _buffer.AsSpan(_start, (int)reader.BytesConsumed).Count((byte)'\n');
            _start += (int)reader.BytesConsumed;
            _readerState = reader.CurrentState;
        }
    }

    private sealed class AdvisoryBuilder(string id)
    {
        public string? Summary { get; set; }

        public AdvisorySeverity Severity { get; set; }

        public List<AffectedPackage> Affected { get; } = [];

        public Advisory Build() => new()
        {
            Id = id,
            Source = SourceName,
            Summary = Summary,
            Severity = Severity,
            Url = "https://security-tracker.debian.org/tracker/" + id,
            Affected = Affected,
        };
    }
}

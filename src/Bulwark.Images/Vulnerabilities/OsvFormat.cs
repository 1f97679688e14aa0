using System.Globalization;
using System.Text;
using Bulwark.Parsing.Documents;

namespace Bulwark.Images.Vulnerabilities;

/// <summary>
/// OSV records (ossf/osv-schema): JSON, as osv.dev's exports and the Go vulnerability database publish them, and YAML,
/// as PyPA's advisory database does. A file holds one record, or a list of them. Both read into the same document tree
/// (YAML scalars kept as text, so an unquoted <c>published: 2024-09-17 19:15:00+00:00</c> is a timestamp string like
/// JSON's), and one mapping turns it into an <see cref="Advisory"/>.
/// </summary>
/// <remarks>
/// Validation is what osv-linter checks offline: every range has an <c>introduced</c> event, no version is both where
/// a range starts and where it ends, event and range kinds are known, and a record has an id and affected packages.
/// Whether a package or version exists in its registry is not checked: that needs the network.
/// </remarks>
public sealed class OsvFormat : IAdvisoryFormat
{
    public const string SourceName = "osv";

    private readonly bool _yaml;

    private OsvFormat(bool yaml) => _yaml = yaml;

    /// <summary>OSV JSON: <c>.json</c> files whose first key-value pairs include a string <c>id</c>, <c>modified</c> or <c>schema_version</c>.</summary>
    public static OsvFormat Json { get; } = new(yaml: false);

    /// <summary>OSV YAML: <c>.yaml</c>/<c>.yml</c> files with a top-level <c>id:</c> and <c>modified:</c>, <c>published:</c>, <c>affected:</c> or <c>schema_version:</c>.</summary>
    public static OsvFormat Yaml { get; } = new(yaml: true);

    public string Name => SourceName;

    public bool Recognizes(string fileName, ReadOnlySpan<byte> head)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        if (_yaml)
        {
            return (fileName.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                && HasTopLevelKey(head, "id"u8)
                && (HasTopLevelKey(head, "modified"u8) || HasTopLevelKey(head, "published"u8) || HasTopLevelKey(head, "affected"u8) || HasTopLevelKey(head, "schema_version"u8));
        }

        if (!fileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // White space and a UTF-8 byte order mark (EF BB BF) before the first value.
        var start = head.TrimStart(" \t\r\n\uFEFF"u8);

        return start.Length > 0 && start[0] is (byte)'{' or (byte)'['
            && (HasStringMember(start, "\"id\""u8) || HasStringMember(start, "\"modified\""u8) || HasStringMember(start, "\"schema_version\""u8));
    }

    public IEnumerable<Advisory> Read(Stream content, string file, ICollection<ImportProblem> invalid)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(invalid);
        var bytes = ReadAll(content);
        var result = _yaml
            ? YamlDocumentReader.Read(file, Encoding.UTF8.GetString(bytes), DocumentLimits.Default)
            : JsonDocumentReader.Read(file, bytes, DocumentLimits.Default);
        if (result.Error is { } error)
        {
            throw new InvalidDataException($"line {error.Line}: {error.Message}");
        }

        var advisories = new List<Advisory>();
        foreach (var document in result.Documents)
        {
            if (document.Root is DocSequence list)
            {
                foreach (var item in list.Items)
                {
                    Add(item);
                }
            }
            else if (document.Root is not null)
            {
                Add(document.Root);
            }
        }

        return advisories;

        void Add(DocNode record)
        {
            try
            {
                advisories.Add(Map(record));
            }
            catch (InvalidRecordException e)
            {
                invalid.Add(new ImportProblem(file, e.Line, e.Message));
            }
        }
    }

    private static byte[] ReadAll(Stream content)
    {
        if (content is MemoryStream memory && memory.TryGetBuffer(out var buffer) && buffer.Offset == 0 && memory.Position == 0 && buffer.Count == buffer.Array!.Length)
        {
            return buffer.Array;
        }

        using var copy = new MemoryStream();
        content.CopyTo(copy);
        return copy.ToArray();
    }

    private static Advisory Map(DocNode node)
    {
        if (node is not DocMapping record)
        {
            throw new InvalidRecordException("an OSV record must be an object", node.Line);
        }

        var id = record.String("id");
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new InvalidRecordException("record has no id", record.Line);
        }

        if (record["withdrawn"] is DocScalar { IsNull: false } withdrawnNode)
        {
            // A withdrawn record is not validated further: it is only there to remove the one stored before.
            return new Advisory
            {
                Id = id,
                Source = SourceName,
                Withdrawn = Date(withdrawnNode) ?? throw new InvalidRecordException($"{id}: withdrawn is not a timestamp: {withdrawnNode.Value}", withdrawnNode.Line),
            };
        }

        if (record["affected"] is not DocSequence { Items.Count: > 0 } affectedList)
        {
            throw new InvalidRecordException($"{id}: no affected packages", record["affected"]?.Line ?? record.Line);
        }

        var affected = new List<AffectedPackage>();
        for (var i = 0; i < affectedList.Items.Count; i++)
        {
            if (Affected(id, i, affectedList.Items[i]) is { } package)
            {
                affected.Add(package);
            }
        }

        var (vector, textSeverity) = SeverityOf(record);
        var score = vector is null ? null : Cvss.BaseScore(vector);
        return new Advisory
        {
            Id = id,
            Source = SourceName,
            Aliases = Aliases(record, id),
            Summary = Summary(record),
            // The feed's own word first (GHSA's rating of the advisory), then the CVSS score's band.
            Severity = Severities.Parse(record.Mapping("database_specific").String("severity")) ?? textSeverity
                ?? (score is { } s ? Cvss.SeverityOf(s) : AdvisorySeverity.Unknown),
            CvssVector = vector,
            CvssScore = score,
            Url = UrlOf(record),
            Published = Date(record.Scalar("published")),
            Modified = Date(record.Scalar("modified")),
            Affected = affected,
        };
    }

    /// <summary>One <c>affected[]</c> entry; null when it holds only GIT ranges (nothing an image's package can match).</summary>
    private static AffectedPackage? Affected(string id, int index, DocNode node)
    {
        var where = $"{id}: affected[{index}]";
        if (node is not DocMapping entry)
        {
            throw new InvalidRecordException($"{where} is not an object", node.Line);
        }

        var ranges = new List<AffectedRange>();
        var gitOnly = true;
        var rangeIndex = 0;
        foreach (var rangeNode in entry.ItemsOf("ranges"))
        {
            if (Range($"{where}.ranges[{rangeIndex++}]", rangeNode) is { } range)
            {
                ranges.Add(range);
                gitOnly = false;
            }
        }

        var package = entry.Mapping("package");
        if (package is null)
        {
            if (rangeIndex > 0 && gitOnly)
            {
                return null;
            }

            throw new InvalidRecordException($"{where} has no package", entry.Line);
        }

        var ecosystem = package.String("ecosystem");
        var name = package.String("name");
        if (string.IsNullOrWhiteSpace(ecosystem) || string.IsNullOrWhiteSpace(name))
        {
            throw new InvalidRecordException($"{where}: package needs an ecosystem and a name", package.Line);
        }

        var versions = new List<string>();
        foreach (var version in entry.ItemsOf("versions"))
        {
            if (version is DocScalar { IsNull: false } scalar)
            {
                versions.Add(scalar.Value);
            }
            else
            {
                throw new InvalidRecordException($"{where}: versions must be strings", version.Line);
            }
        }

        var normalized = Ecosystems.Normalize(ecosystem.Trim());
        return new AffectedPackage
        {
            Ecosystem = normalized,
            Name = Ecosystems.NormalizeName(normalized, name.Trim()),
            Ranges = ranges,
            Versions = versions,
        };
    }

    /// <summary>A range, validated whatever its type; null for a GIT range (validated, then dropped).</summary>
    private static AffectedRange? Range(string where, DocNode node)
    {
        if (node is not DocMapping range)
        {
            throw new InvalidRecordException($"{where} is not an object", node.Line);
        }

        var type = range.String("type");
        RangeKind? kind = type switch
        {
            "ECOSYSTEM" => RangeKind.Ecosystem,
            "SEMVER" => RangeKind.Semver,
            "GIT" => null,
            _ => throw new InvalidRecordException($"{where}: unknown range type \"{type}\"", range.Line),
        };

        if (range["events"] is not DocSequence { Items.Count: > 0 } eventList)
        {
            throw new InvalidRecordException($"{where} has no events", range.Line);
        }

        var events = new List<RangeEvent>(eventList.Items.Count);
        foreach (var eventNode in eventList.Items)
        {
            if (eventNode is not DocMapping { Entries.Count: 1 } single)
            {
                throw new InvalidRecordException($"{where}: an event must have exactly one of introduced, fixed, last_affected, limit", eventNode.Line);
            }

            var entry = single.Entries[0];
            RangeEventKind eventKind = entry.KeyText switch
            {
                "introduced" => RangeEventKind.Introduced,
                "fixed" => RangeEventKind.Fixed,
                "last_affected" => RangeEventKind.LastAffected,
                "limit" => RangeEventKind.Limit,
                _ => throw new InvalidRecordException($"{where}: unknown event \"{entry.KeyText}\"", eventNode.Line),
            };
            if (entry.Value is not DocScalar { IsNull: false } version || version.Value.Length == 0)
            {
                throw new InvalidRecordException($"{where}: event {entry.KeyText} has no version", eventNode.Line);
            }

            events.Add(new RangeEvent(eventKind, version.Value));
        }

        if (!events.Exists(e => e.Kind == RangeEventKind.Introduced))
        {
            throw new InvalidRecordException($"{where} has no introduced event", range.Line);
        }

        // osv-linter's "range is distinct": an interval that ends where it starts is empty, a mistake. Only adjacent
        // events are compared: a version may end one interval and start the next ([1.0, 1.3) then [1.3, 1.5)), and
        // the order of the rest is the ecosystem's, which a format does not know.
        for (var i = 1; i < events.Count; i++)
        {
            if (events[i - 1].Kind == RangeEventKind.Introduced && events[i].Kind is RangeEventKind.Fixed or RangeEventKind.LastAffected
                && events[i].Version == events[i - 1].Version)
            {
                throw new InvalidRecordException($"{where}: an interval is introduced and {(events[i].Kind == RangeEventKind.Fixed ? "fixed" : "last affected")} at the same version {events[i].Version}", range.Line);
            }
        }

        return kind is { } k ? new AffectedRange(k, events) : null;
    }

    private static List<string> Aliases(DocMapping record, string id)
    {
        // upstream ids (a distribution advisory's CVE) name the same vulnerability as far as an ignore or a VEX
        // statement is concerned, so they are aliases here.
        var aliases = new List<string>();
        foreach (var key in (ReadOnlySpan<string>)["aliases", "upstream"])
        {
            foreach (var item in record.ItemsOf(key))
            {
                if (item is DocScalar { IsNull: false } alias && alias.Value != id && !aliases.Contains(alias.Value))
                {
                    aliases.Add(alias.Value);
                }
            }
        }

        return aliases;
    }

    private static string? Summary(DocMapping record)
    {
        if (record.String("summary") is { } summary && !string.IsNullOrWhiteSpace(summary))
        {
            return OneLine(summary);
        }

        if (record.String("details") is not { } details || string.IsNullOrWhiteSpace(details))
        {
            return null;
        }

        var text = OneLine(details.Trim().Split("\n\n", 2)[0]);
        var end = text.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? text[..(end + 1)] : text;
    }

    private static string OneLine(string text) => string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>The CVSS vector (v3 preferred: the base score Bulwark computes is v3's, then v4, then v2) and a text severity (Ubuntu's).</summary>
    private static (string? Vector, AdvisorySeverity? Severity) SeverityOf(DocMapping record)
    {
        string? v3 = null, v4 = null, v2 = null;
        AdvisorySeverity? text = null;
        foreach (var item in record.MappingsOf("severity"))
        {
            var score = item.String("score");
            switch (item.String("type"))
            {
                case "CVSS_V3":
                    v3 ??= score;
                    break;
                case "CVSS_V4":
                    v4 ??= score;
                    break;
                case "CVSS_V2":
                    v2 ??= score;
                    break;
                case "Ubuntu":
                    text ??= Severities.Parse(score);
                    break;
                default:
                    break;
            }
        }

        return (v3 ?? v4 ?? v2, text);
    }

    /// <summary>The ADVISORY reference, else the database's own page (Go's <c>database_specific.url</c>), else WEB, else the first.</summary>
    private static string? UrlOf(DocMapping record)
    {
        var references = record.MappingsOf("references").ToList();
        return references.FirstOrDefault(r => r.String("type") == "ADVISORY")?.String("url")
            ?? (record.Mapping("database_specific").String("url") is { } own && own.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? own : null)
            ?? references.FirstOrDefault(r => r.String("type") == "WEB")?.String("url")
            ?? references.FirstOrDefault()?.String("url");
    }

    private static DateTimeOffset? Date(DocScalar? node) =>
        node is not null && DateTimeOffset.TryParse(node.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date
            : null;

    /// <summary>Whether a block-style YAML head has <paramref name="key"/> at the start of a line, followed by a colon.</summary>
    private static bool HasTopLevelKey(ReadOnlySpan<byte> head, ReadOnlySpan<byte> key)
    {
        for (var at = 0; at < head.Length;)
        {
            var line = head[at..];
            var newline = line.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = line[..newline];
            }

            if (line.StartsWith(key) && line.Length > key.Length && line[key.Length] == (byte)':')
            {
                return true;
            }

            if (newline < 0)
            {
                break;
            }

            at += newline + 1;
        }

        return false;
    }

    /// <summary>Whether <paramref name="quotedKey"/> appears as a JSON member whose value is a string.</summary>
    private static bool HasStringMember(ReadOnlySpan<byte> head, ReadOnlySpan<byte> quotedKey)
    {
        var rest = head;
        while (rest.IndexOf(quotedKey) is var at and >= 0)
        {
            rest = rest[(at + quotedKey.Length)..];
            var after = rest.TrimStart(" \t\r\n"u8);
            if (after.Length > 0 && after[0] == (byte)':' && after[1..].TrimStart(" \t\r\n"u8) is { Length: > 0 } value && value[0] == (byte)'"')
            {
                return true;
            }
        }

        return false;
    }

    private sealed class InvalidRecordException(string message, int line) : Exception(message)
    {
        public int Line { get; } = line;
    }
}

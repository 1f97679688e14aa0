using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Bulwark.Images.Vulnerabilities;

/// <summary>
/// The JSON the database keeps in its <c>data</c> columns: an advisory without its packages, and one affected package
/// without its ecosystem and name (those are columns). Short keys and omitted empties keep the file small; written and
/// read by hand so that neither reflection nor a generated serializer is needed (trimmed and AOT builds).
/// </summary>
internal static class StoredJson
{
    // Stored, never put in a page: '+' and '~' in versions stay as they are instead of \u002B.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Advisory(Advisory advisory)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            Strings(json, "aliases", advisory.Aliases);
            Text(json, "summary", advisory.Summary);
            if (advisory.Severity != AdvisorySeverity.Unknown)
            {
                json.WriteNumber("severity", (int)advisory.Severity);
            }

            Text(json, "cvss", advisory.CvssVector);
            if (advisory.CvssScore is { } score)
            {
                json.WriteNumber("score", score);
            }

            Text(json, "url", advisory.Url);
            Date(json, "published", advisory.Published);
            Date(json, "modified", advisory.Modified);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string Package(AffectedPackage package)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            if (package.Ranges.Count > 0)
            {
                json.WriteStartArray("ranges");
                foreach (var range in package.Ranges)
                {
                    json.WriteStartObject();
                    json.WriteString("type", range.Kind switch
                    {
                        RangeKind.Ecosystem => "ECOSYSTEM",
                        RangeKind.Semver => "SEMVER",
                        _ => "NPM",
                    });
                    Text(json, "expression", range.Expression);
                    if (range.Events.Count > 0)
                    {
                        // OSV's own event shape: [{"introduced":"0"},{"fixed":"1.2"}].
                        json.WriteStartArray("events");
                        foreach (var e in range.Events)
                        {
                            json.WriteStartObject();
                            json.WriteString(EventName(e.Kind), e.Version);
                            json.WriteEndObject();
                        }

                        json.WriteEndArray();
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            Strings(json, "versions", package.Versions);
            if (package.Severity is { } severity)
            {
                json.WriteNumber("severity", (int)severity);
            }

            Text(json, "status", package.Status);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static Advisory ReadAdvisory(string source, string id, ReadOnlySpan<byte> data)
    {
        var json = new Utf8JsonReader(data);
        List<string>? aliases = null;
        string? summary = null, cvss = null, url = null;
        var severity = AdvisorySeverity.Unknown;
        double? score = null;
        DateTimeOffset? published = null, modified = null;
        Expect(ref json, JsonTokenType.StartObject);
        while (Next(ref json) == JsonTokenType.PropertyName)
        {
            if (json.ValueTextEquals("aliases"u8))
            {
                Expect(ref json, JsonTokenType.StartArray);
                aliases = [];
                while (Next(ref json) == JsonTokenType.String)
                {
                    aliases.Add(json.GetString()!);
                }

                continue;
            }

            var property = json.ValueTextEquals("summary"u8) ? 1 : json.ValueTextEquals("severity"u8) ? 2 : json.ValueTextEquals("cvss"u8) ? 3
                : json.ValueTextEquals("score"u8) ? 4 : json.ValueTextEquals("url"u8) ? 5 : json.ValueTextEquals("published"u8) ? 6
                : json.ValueTextEquals("modified"u8) ? 7 : 0;
            Next(ref json);
            switch (property)
            {
                case 1:
                    summary = json.GetString();
                    break;
                case 2:
                    severity = (AdvisorySeverity)json.GetInt32();
                    break;
                case 3:
                    cvss = json.GetString();
                    break;
                case 4:
                    score = json.GetDouble();
                    break;
                case 5:
                    url = json.GetString();
                    break;
                case 6:
                    published = json.GetDateTimeOffset();
                    break;
                case 7:
                    modified = json.GetDateTimeOffset();
                    break;
                default:
                    json.Skip();
                    break;
            }
        }

        return new Advisory
        {
            Id = id,
            Source = source,
            Aliases = aliases ?? [],
            Summary = summary,
            Severity = severity,
            CvssVector = cvss,
            CvssScore = score,
            Url = url,
            Published = published,
            Modified = modified,
        };
    }

    /// <summary>
    /// An affected package from its stored JSON, as UTF-8. Read with <see cref="Utf8JsonReader"/>, not a document: a
    /// lookup reads one row per advisory of a package, and PyPI's rows list every affected version (Django's, hundreds).
    /// </summary>
    public static AffectedPackage ReadPackage(string ecosystem, string name, ReadOnlySpan<byte> data)
    {
        var json = new Utf8JsonReader(data);
        List<AffectedRange>? ranges = null;
        List<string>? versions = null;
        AdvisorySeverity? severity = null;
        string? status = null;
        Expect(ref json, JsonTokenType.StartObject);
        while (Next(ref json) == JsonTokenType.PropertyName)
        {
            if (json.ValueTextEquals("ranges"u8))
            {
                Expect(ref json, JsonTokenType.StartArray);
                ranges = [];
                while (Next(ref json) == JsonTokenType.StartObject)
                {
                    ranges.Add(ReadRange(ref json));
                }
            }
            else if (json.ValueTextEquals("versions"u8))
            {
                Expect(ref json, JsonTokenType.StartArray);
                versions = [];
                while (Next(ref json) == JsonTokenType.String)
                {
                    versions.Add(json.GetString()!);
                }
            }
            else if (json.ValueTextEquals("severity"u8))
            {
                Next(ref json);
                severity = (AdvisorySeverity)json.GetInt32();
            }
            else if (json.ValueTextEquals("status"u8))
            {
                Next(ref json);
                status = json.GetString();
            }
            else
            {
                Next(ref json);
                json.Skip();
            }
        }

        return new AffectedPackage
        {
            Ecosystem = ecosystem,
            Name = name,
            Ranges = ranges ?? [],
            Versions = versions ?? [],
            Severity = severity,
            Status = status,
        };
    }

    private static AffectedRange ReadRange(ref Utf8JsonReader json)
    {
        var kind = RangeKind.NpmExpression;
        string? expression = null;
        var events = new List<RangeEvent>();
        while (Next(ref json) == JsonTokenType.PropertyName)
        {
            if (json.ValueTextEquals("type"u8))
            {
                Next(ref json);
                kind = json.ValueTextEquals("ECOSYSTEM"u8) ? RangeKind.Ecosystem : json.ValueTextEquals("SEMVER"u8) ? RangeKind.Semver : RangeKind.NpmExpression;
            }
            else if (json.ValueTextEquals("expression"u8))
            {
                Next(ref json);
                expression = json.GetString();
            }
            else if (json.ValueTextEquals("events"u8))
            {
                Expect(ref json, JsonTokenType.StartArray);
                while (Next(ref json) == JsonTokenType.StartObject)
                {
                    while (Next(ref json) == JsonTokenType.PropertyName)
                    {
                        var eventKind = EventKind(json.GetString()!);
                        Next(ref json);
                        events.Add(new RangeEvent(eventKind, json.GetString() ?? ""));
                    }
                }
            }
            else
            {
                Next(ref json);
                json.Skip();
            }
        }

        return new AffectedRange(kind, events, expression);
    }

    private static JsonTokenType Next(ref Utf8JsonReader json) =>
        json.Read() ? json.TokenType : throw new InvalidDataException("a stored package's JSON is cut short");

    private static void Expect(ref Utf8JsonReader json, JsonTokenType type)
    {
        if (Next(ref json) != type)
        {
            throw new InvalidDataException($"a stored package's JSON has {json.TokenType} where {type} belongs");
        }
    }

    private static string EventName(RangeEventKind kind) => kind switch
    {
        RangeEventKind.Introduced => "introduced",
        RangeEventKind.Fixed => "fixed",
        RangeEventKind.LastAffected => "last_affected",
        _ => "limit",
    };

    private static RangeEventKind EventKind(string name) => name switch
    {
        "introduced" => RangeEventKind.Introduced,
        "fixed" => RangeEventKind.Fixed,
        "last_affected" => RangeEventKind.LastAffected,
        "limit" => RangeEventKind.Limit,
        _ => throw new InvalidDataException($"unknown range event \"{name}\" in the database"),
    };

    private static void Text(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static void Date(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } date)
        {
            json.WriteString(name, date.ToString("O", CultureInfo.InvariantCulture));
        }
    }

    private static void Strings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}

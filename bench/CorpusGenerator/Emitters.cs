using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Bulwark.Bench.CorpusGenerator;

/// <summary>Writes <see cref="Map"/> trees as block YAML, flow YAML or JSON, the way people and tools write manifests.</summary>
public static class Emitters
{
    public static void BlockYaml(StringBuilder sb, Map root) => BlockMap(sb, root, 0, inlineFirst: false);

    public static void FlowYaml(StringBuilder sb, Map root)
    {
        Flow(sb, root);
        sb.Append('\n');
    }

    public static string Json(IEnumerable<Map> objects, bool asList)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            if (asList)
            {
                json.WriteStartObject();
                json.WriteString("apiVersion", "v1");
                json.WriteString("kind", "List");
                json.WriteStartArray("items");
                foreach (var obj in objects)
                {
                    JsonNode(json, obj);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }
            else
            {
                // Several top-level values, as concatenated "kubectl get -o json" output.
                var first = true;
                foreach (var obj in objects)
                {
                    if (!first)
                    {
                        json.Flush();
                        stream.WriteByte((byte)'\n');
                    }

                    first = false;
                    json.Reset();
                    JsonNode(json, obj);
                }
            }
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void BlockMap(StringBuilder sb, Map map, int indent, bool inlineFirst)
    {
        var first = true;
        foreach (var (key, value) in map)
        {
            if (!(first && inlineFirst))
            {
                sb.Append(' ', indent);
            }

            first = false;
            sb.Append(Scalar(key)).Append(':');
            switch (value)
            {
                case Map { Count: 0 }:
                    sb.Append(" {}\n");
                    break;
                case Map child:
                    sb.Append('\n');
                    BlockMap(sb, child, indent + 2, inlineFirst: false);
                    break;
                case Seq { Count: 0 }:
                    sb.Append(" []\n");
                    break;
                case Seq seq:
                    sb.Append('\n');
                    BlockSeq(sb, seq, indent + 2);
                    break;
                case string text when text.Contains('\n', StringComparison.Ordinal):
                    sb.Append(" |\n");
                    foreach (var line in text.TrimEnd('\n').Split('\n'))
                    {
                        sb.Append(' ', indent + 2).Append(line).Append('\n');
                    }

                    break;
                default:
                    sb.Append(' ').Append(Scalar(value)).Append('\n');
                    break;
            }
        }
    }

    private static void BlockSeq(StringBuilder sb, Seq seq, int indent)
    {
        foreach (var item in seq)
        {
            sb.Append(' ', indent).Append("- ");
            switch (item)
            {
                case Map { Count: > 0 } map:
                    BlockMap(sb, map, indent + 2, inlineFirst: true);
                    break;
                case Map or Seq:
                    Flow(sb, item);
                    sb.Append('\n');
                    break;
                default:
                    sb.Append(Scalar(item)).Append('\n');
                    break;
            }
        }
    }

    private static void Flow(StringBuilder sb, object node)
    {
        switch (node)
        {
            case Map map:
                sb.Append('{');
                for (var i = 0; i < map.Count; i++)
                {
                    sb.Append(i == 0 ? string.Empty : ", ").Append(Scalar(map[i].Key)).Append(": ");
                    Flow(sb, map[i].Value);
                }

                sb.Append('}');
                break;
            case Seq seq:
                sb.Append('[');
                for (var i = 0; i < seq.Count; i++)
                {
                    sb.Append(i == 0 ? string.Empty : ", ");
                    Flow(sb, seq[i]);
                }

                sb.Append(']');
                break;
            case string text:
                sb.Append(Quoted(text));
                break;
            default:
                sb.Append(Scalar(node));
                break;
        }
    }

    private static string Scalar(object value) => value switch
    {
        bool b => b ? "true" : "false",
        long n => n.ToString(CultureInfo.InvariantCulture),
        int n => n.ToString(CultureInfo.InvariantCulture),
        string s when NeedsQuotes(s) => Quoted(s),
        string s => s,
        _ => throw new ArgumentException("not a scalar: " + value.GetType().Name, nameof(value)),
    };

    private static bool NeedsQuotes(string s)
    {
        if (s.Length == 0 || s is "true" or "false" or "yes" or "no" or "on" or "off" or "y" or "n" or "null" or "~" or "Yes" or "No" or "On" or "Off" or "True" or "False")
        {
            return true;
        }

        if (s[0] is '-' or '?' or ':' or ',' or '[' or ']' or '{' or '}' or '#' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`' or ' ')
        {
            return true;
        }

        if (s.Contains(": ", StringComparison.Ordinal) || s.Contains(" #", StringComparison.Ordinal) || s.EndsWith(':') || s.EndsWith(' ') || s.Contains(',', StringComparison.Ordinal))
        {
            return true;
        }

        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
    }

    private static string Quoted(string s) =>
        "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

    private static void JsonNode(Utf8JsonWriter json, object node)
    {
        switch (node)
        {
            case Map map:
                json.WriteStartObject();
                foreach (var (key, value) in map)
                {
                    json.WritePropertyName(key);
                    JsonNode(json, value);
                }

                json.WriteEndObject();
                break;
            case Seq seq:
                json.WriteStartArray();
                foreach (var item in seq)
                {
                    JsonNode(json, item);
                }

                json.WriteEndArray();
                break;
            case string s:
                json.WriteStringValue(s);
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case long n:
                json.WriteNumberValue(n);
                break;
            case int n:
                json.WriteNumberValue(n);
                break;
            default:
                throw new ArgumentException("not a node: " + node.GetType().Name, nameof(node));
        }
    }
}

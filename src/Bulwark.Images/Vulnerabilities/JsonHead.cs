using System.Text.Json;

namespace Bulwark.Images.Vulnerabilities;

/// <summary>
/// What the first bytes of a JSON file say about its shape, for <see cref="IAdvisoryFormat.Recognizes"/>: the head is
/// cut anywhere, so reading stops quietly where the bytes run out or stop being JSON.
/// </summary>
internal static class JsonHead
{
    /// <summary>A top-level member seen in the head: its name and the kind of its value.</summary>
    public readonly record struct Member(string Name, JsonTokenType ValueType);

    /// <summary>
    /// The top-level members of an object, in order, as far as the head holds them (a member whose value is cut short
    /// is listed, its value's first token known). Empty when the head does not start with a JSON object.
    /// </summary>
    public static List<Member> TopLevelMembers(ReadOnlySpan<byte> head)
    {
        var members = new List<Member>();
        var reader = new Utf8JsonReader(WithoutBom(head), isFinalBlock: false, default);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return members;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                if (!reader.Read())
                {
                    break;
                }

                members.Add(new Member(name, reader.TokenType));
                if (!reader.TrySkip())
                {
                    break;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON from here on: what was read so far still describes the head.
        }
        catch (InvalidOperationException)
        {
            // GetString on an invalid escape or UTF-8 sequence: not a feed this reads.
        }

        return members;
    }

    /// <summary>
    /// The leading chain of object keys: for <c>{"a": {"b": {...</c>, <c>["a", "b"]</c>; at most
    /// <paramref name="depth"/> keys, each of whose value is an object.
    /// </summary>
    public static List<string> LeadingKeys(ReadOnlySpan<byte> head, int depth)
    {
        var keys = new List<string>();
        var reader = new Utf8JsonReader(WithoutBom(head), isFinalBlock: false, default);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return keys;
            }

            while (keys.Count < depth && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    break;
                }

                keys.Add(key);
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // As above: the head stops being JSON here.
        }

        return keys;
    }

    public static ReadOnlySpan<byte> WithoutBom(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? bytes[3..] : bytes;
}

using System.Text.Json;

namespace Bulwark.Parsing.Documents;

/// <summary>
/// Builds <see cref="DocNode"/> trees from JSON (one or several top-level values, as in JSON Lines or
/// concatenated <c>kubectl get -o json</c> output), with 1-based line and column for every node.
/// </summary>
public static class JsonDocumentReader
{
    public static DocumentReadResult Read(string file, ReadOnlySpan<byte> utf8, DocumentLimits limits)
    {
        var lines = new LineIndex(utf8);
        var documents = new List<SourceDocument>();
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            MaxDepth = limits.MaxDepth,
            CommentHandling = JsonCommentHandling.Skip,
            AllowMultipleValues = true,
        });

        var stack = new Stack<(DocNode Node, DocScalar? Key)>();

        // Duplicate keys of the value being read, and of the values read in full.
        List<DocumentException>? pending = null;
        List<DocumentException>? problems = null;
        try
        {
            while (reader.Read())
            {
                var (line, column) = lines.Position(utf8, (int)reader.TokenStartIndex);
                DocNode? complete = null;
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        stack.Push((new DocMapping(line, column), null));
                        continue;
                    case JsonTokenType.StartArray:
                        stack.Push((new DocSequence(line, column), null));
                        continue;
                    case JsonTokenType.PropertyName:
                        {
                            var (node, _) = stack.Pop();
                            stack.Push((node, new DocScalar(reader.GetString()!, false, line, column)));
                            continue;
                        }

                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        complete = stack.Pop().Node;
                        (complete as DocMapping)?.RemoveDuplicateKeys(ref pending);
                        break;
                    case JsonTokenType.String:
                        complete = new DocScalar(reader.GetString()!, false, line, column);
                        break;
                    case JsonTokenType.Number:
                        complete = new DocScalar(System.Text.Encoding.UTF8.GetString(reader.ValueSpan), true, line, column);
                        break;
                    case JsonTokenType.True:
                        complete = new DocScalar("true", true, line, column);
                        break;
                    case JsonTokenType.False:
                        complete = new DocScalar("false", true, line, column);
                        break;
                    case JsonTokenType.Null:
                        complete = new DocScalar("null", true, line, column);
                        break;
                    default:
                        continue;
                }

                if (stack.Count == 0)
                {
                    documents.Add(new SourceDocument(file, documents.Count, complete));
                    if (pending is not null)
                    {
                        (problems ??= []).AddRange(pending);
                        pending = null;
                    }

                    continue;
                }

                var (parent, key) = stack.Pop();
                if (parent is DocMapping map)
                {
                    map.Entries.Add(new DocEntry(key!, key!.Value, complete));
                    stack.Push((map, null));
                }
                else
                {
                    ((DocSequence)parent).Items.Add(complete);
                    stack.Push((parent, null));
                }
            }
        }
        catch (JsonException ex)
        {
            // System.Text.Json reports where it noticed the error, as a byte count, which for "tru" or an unclosed
            // string is past the bad token; point at the token's start instead, and count characters.
            var detected = (int)Math.Min((long)lines.LineStart((int)(ex.LineNumber ?? 0)) + (ex.BytePositionInLine ?? 0), utf8.Length);
            var offset = Math.Min(detected, NextTokenStart(utf8, (int)reader.BytesConsumed));
            var (line, column) = lines.Position(utf8, offset);
            return new DocumentReadResult(documents, new DocumentException("JSON syntax error: " + StripPosition(ex.Message), line, column))
            {
                Problems = (IReadOnlyList<DocumentException>?)problems ?? [],
            };
        }

        return new DocumentReadResult(documents, null) { Problems = (IReadOnlyList<DocumentException>?)problems ?? [] };
    }

    /// <summary>The first byte from <paramref name="offset"/> that is not white space, a separator or a comment.</summary>
    private static int NextTokenStart(ReadOnlySpan<byte> utf8, int offset)
    {
        while (offset < utf8.Length)
        {
            var rest = utf8[offset..];
            if (rest[0] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)',' or (byte)':')
            {
                offset++;
            }
            else if (rest.StartsWith("//"u8))
            {
                var end = rest.IndexOf((byte)'\n');
                offset = end < 0 ? utf8.Length : offset + end + 1;
            }
            else if (rest.StartsWith("/*"u8))
            {
                var end = rest[2..].IndexOf("*/"u8);
                offset = end < 0 ? utf8.Length : offset + 2 + end + 2;
            }
            else
            {
                break;
            }
        }

        return offset;
    }

    private static string StripPosition(string message)
    {
        // System.Text.Json appends " LineNumber: 3 | BytePositionInLine: 7."; positions are reported separately.
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}

using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Bulwark.Parsing.Documents;

/// <summary>
/// Builds <see cref="DocNode"/> trees from YAML parser events. No recursion (an explicit stack), bounded
/// depth and alias expansion, merge keys (<c>&lt;&lt;</c>) resolved. A syntax error ends the file's reading;
/// documents before it are kept.
/// </summary>
public static class YamlDocumentReader
{
    private const string MergeKey = "<<";

    public static DocumentReadResult Read(string file, string text, DocumentLimits limits)
    {
        var documents = new List<SourceDocument>();
        var scanner = new Scanner(new StringReader(text), skipComments: true);
        var parser = new Parser(scanner);
        var index = 0;

        // Nodes that aliases stood for, over the whole file: per-document bounds alone would let a file of many
        // documents, each just under the bound, expand (and, through merge keys, copy) without limit.
        var aliasExpanded = 0L;
        try
        {
            parser.Consume<StreamStart>();
            while (!parser.TryConsume<StreamEnd>(out _))
            {
                parser.Consume<DocumentStart>();
                var root = ReadNode(parser, limits, ref aliasExpanded);
                parser.Consume<DocumentEnd>();
                documents.Add(new SourceDocument(file, index++, root is DocScalar { IsNull: true, Tag: null } ? null : root));
            }
        }
        catch (YamlException ex)
        {
            return new DocumentReadResult(documents, new DocumentException(CleanMessage(ex), (int)ex.Start.Line, (int)ex.Start.Column));
        }
        catch (DocumentException ex)
        {
            return new DocumentReadResult(documents, ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException or FormatException or OverflowException)
        {
            // YamlDotNet's scanner throws these, without a position, on some malformed input (an unclosed flow
            // sequence followed by a block mapping, a stray line separator after "..."): found by fuzzing. The
            // input is bad, not Bulwark: report it like any other syntax error, where the scanner stopped.
            var at = scanner.CurrentPosition;
            return new DocumentReadResult(documents, new DocumentException("YAML syntax error: the YAML reader cannot make sense of the text here", (int)at.Line, (int)at.Column));
        }

        return new DocumentReadResult(documents, null);
    }

    private static string CleanMessage(YamlException ex)
    {
        // YamlDotNet prefixes messages with "(Line: 3, Col: 1, Idx: 20) - (Line: ...): "; positions are reported separately.
        var message = ex.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && cut >= 0)
        {
            message = message[(cut + 3)..];
        }

        return "YAML syntax error: " + message;
    }

    private sealed class Frame(DocNode node, string? anchor)
    {
        public DocNode Node { get; } = node;

        public string? Anchor { get; } = anchor;

        public DocNode? PendingKey { get; set; }

        public List<DocNode>? Merges { get; set; }
    }

    private static DocNode? ReadNode(Parser parser, DocumentLimits limits, ref long aliasExpanded)
    {
        Dictionary<string, DocNode>? anchors = null;
        var stack = new Stack<Frame>();
        DocNode? root = null;

        // Nodes the document stands for so far, aliases expanded: checked as it grows, so that an alias bomb
        // or a merge-key blow-up stops within the bound instead of when its outermost collection closes.
        var expanded = 0L;

        while (true)
        {
            var ev = parser.Current ?? throw new DocumentException("unexpected end of YAML stream", 0, 0);
            DocNode? complete = null;
            string? completeAnchor = null;

            switch (ev)
            {
                case Scalar scalar:
                    {
                        var isPlain = scalar.Style == ScalarStyle.Plain && (scalar.Tag.IsEmpty || scalar.Tag.IsNonSpecific);
                        var node = new DocScalar(scalar.Value, isPlain, (int)scalar.Start.Line, (int)scalar.Start.Column);
                        if (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific)
                        {
                            node.Tag = scalar.Tag.Value;
                        }

                        complete = node;
                        completeAnchor = scalar.Anchor.IsEmpty ? null : scalar.Anchor.Value;
                        Count(ref expanded, 1, limits, ev);
                        break;
                    }

                case SequenceStart start:
                    Count(ref expanded, 1, limits, ev);
                    Push(stack, new DocSequence((int)start.Start.Line, (int)start.Start.Column), start.Tag, start.Anchor, limits);
                    break;

                case MappingStart start:
                    Count(ref expanded, 1, limits, ev);
                    Push(stack, new DocMapping((int)start.Start.Line, (int)start.Start.Column), start.Tag, start.Anchor, limits);
                    break;

                case SequenceEnd or MappingEnd:
                    {
                        var frame = stack.Pop();
                        Complete(frame);
                        complete = frame.Node;
                        completeAnchor = frame.Anchor;
                        break;
                    }

                case AnchorAlias alias:
                    if (anchors is null || !anchors.TryGetValue(alias.Value.Value, out complete))
                    {
                        throw new DocumentException($"YAML alias *{alias.Value.Value} refers to no anchor defined before it", (int)alias.Start.Line, (int)alias.Start.Column);
                    }

                    Count(ref expanded, complete.ExpandedSize, limits, ev);
                    Count(ref aliasExpanded, complete.ExpandedSize, limits, ev);
                    break;

                default:
                    throw new DocumentException($"unexpected YAML event {ev.GetType().Name}", (int)ev.Start.Line, (int)ev.Start.Column);
            }

            parser.MoveNext();

            if (complete is null)
            {
                continue;
            }

            if (completeAnchor is not null)
            {
                anchors ??= new Dictionary<string, DocNode>(StringComparer.Ordinal);
                anchors[completeAnchor] = complete;
            }

            if (stack.Count == 0)
            {
                root = complete;
                return root;
            }

            AddChild(stack.Peek(), complete);
        }
    }

    private static void Count(ref long expanded, long nodes, DocumentLimits limits, ParsingEvent at)
    {
        expanded += nodes;
        if (expanded > limits.MaxExpandedNodes)
        {
            var message = at is AnchorAlias
                ? $"YAML aliases expand the document to more than {limits.MaxExpandedNodes:N0} nodes (an alias bomb?); refusing to read it"
                : $"the document has more than {limits.MaxExpandedNodes:N0} nodes (aliases expanded); refusing to read it";
            throw new DocumentException(message, (int)at.Start.Line, (int)at.Start.Column);
        }
    }

    private static void Push(Stack<Frame> stack, DocNode node, TagName tag, AnchorName anchor, DocumentLimits limits)
    {
        if (stack.Count >= limits.MaxDepth)
        {
            throw new DocumentException($"nesting deeper than {limits.MaxDepth} levels; refusing to read further", node.Line, node.Column);
        }

        if (!tag.IsEmpty && !tag.IsNonSpecific)
        {
            node.Tag = tag.Value;
        }

        stack.Push(new Frame(node, anchor.IsEmpty ? null : anchor.Value));
    }

    private static void AddChild(Frame frame, DocNode child)
    {
        switch (frame.Node)
        {
            case DocSequence seq:
                seq.Items.Add(child);
                seq.ExpandedSize += child.ExpandedSize;
                break;
            case DocMapping map when frame.PendingKey is null:
                frame.PendingKey = child;
                break;
            case DocMapping map:
                {
                    var key = frame.PendingKey;
                    frame.PendingKey = null;
                    var keyText = (key as DocScalar)?.Value;
                    if (keyText == MergeKey && key is DocScalar { IsPlain: true })
                    {
                        frame.Merges ??= [];
                        if (child is DocSequence sources)
                        {
                            frame.Merges.AddRange(sources.Items);
                        }
                        else
                        {
                            frame.Merges.Add(child);
                        }
                    }
                    else
                    {
                        map.Entries.Add(new DocEntry(key, key is DocScalar ? keyText : null, child));
                    }

                    map.ExpandedSize += key.ExpandedSize + child.ExpandedSize;
                    break;
                }
        }
    }

    private static void Complete(Frame frame)
    {
        if (frame.Node is not DocMapping map || frame.Merges is not { } merges)
        {
            return;
        }

        foreach (var source in merges)
        {
            if (source is not DocMapping)
            {
                throw new DocumentException("a YAML merge key (<<) must refer to a mapping or a list of mappings", source.Line, source.Column);
            }
        }

        map.MergeFrom(merges.Cast<DocMapping>());
    }
}

public sealed record DocumentReadResult(List<SourceDocument> Documents, DocumentException? Error);

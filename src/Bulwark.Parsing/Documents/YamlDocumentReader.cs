using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Bulwark.Parsing.Documents;

/// <summary>
/// Builds <see cref="DocNode"/> trees from YAML parser events. No recursion (an explicit stack), bounded
/// depth and alias expansion, merge keys (<c>&lt;&lt;</c>) resolved, duplicate keys reported (the last value is
/// kept). A syntax error ends the file's reading; documents before it are kept. Where YamlDotNet rejects what
/// go-yaml (Kubernetes, kubectl, docker compose) accepts, the text is rewritten and read again (see
/// <see cref="GoYamlLeniency"/>).
/// </summary>
public static class YamlDocumentReader
{
    private const string MergeKey = "<<";

    public static DocumentReadResult Read(string file, string text, DocumentLimits limits)
    {
        var leniency = new GoYamlLeniency(text);
        while (true)
        {
            var (result, syntaxError) = ReadOnce(file, leniency, limits);
            if (syntaxError is null || !leniency.TryRewrite(syntaxError))
            {
                return result;
            }
        }
    }

    private static (DocumentReadResult Result, YamlException? SyntaxError) ReadOnce(string file, GoYamlLeniency leniency, DocumentLimits limits)
    {
        var documents = new List<SourceDocument>();
        List<DocumentException>? problems = null;
        var scanner = new Scanner(new StringReader(leniency.Text), skipComments: true);
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
                List<DocumentException>? pending = null;
                var root = ReadNode(parser, limits, leniency, ref aliasExpanded, ref pending);
                parser.Consume<DocumentEnd>();
                documents.Add(new SourceDocument(file, index++, root is DocScalar { IsNull: true, Tag: null } ? null : root));
                if (pending is not null)
                {
                    // Kept only for documents read in full: a document cut short by an error is not analysed.
                    (problems ??= []).AddRange(pending);
                }
            }
        }
        catch (YamlException ex)
        {
            var (line, column) = leniency.Original(TabInIndentation(leniency.Text, ex) ?? ex.Start);
            return (Result(documents, new DocumentException(CleanMessage(ex), line, column), problems), ex);
        }
        catch (DocumentException ex)
        {
            return (Result(documents, ex, problems), null);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException or FormatException or OverflowException)
        {
            // YamlDotNet's scanner throws these, without a position, on some malformed input (an unclosed flow
            // sequence followed by a block mapping, a stray line separator after "..."): found by fuzzing. The
            // input is bad, not Bulwark: report it like any other syntax error, where the scanner stopped.
            var (line, column) = leniency.Original(scanner.CurrentPosition);
            return (Result(documents, new DocumentException("YAML syntax error: the YAML reader cannot make sense of the text here", line, column), problems), null);
        }

        return (Result(documents, null, problems), null);
    }

    private static DocumentReadResult Result(List<SourceDocument> documents, DocumentException? error, List<DocumentException>? problems) =>
        new(documents, error) { Problems = (IReadOnlyList<DocumentException>?)problems ?? [] };

    /// <summary>
    /// YamlDotNet reports a tab in indentation at the start of the scalar or block it was reading, often lines
    /// above; the user needs the tab itself. The first tab in the leading whitespace of a line from there on.
    /// </summary>
    private static Mark? TabInIndentation(string text, YamlException ex)
    {
        if (!ex.Message.Contains("tab character", StringComparison.Ordinal))
        {
            return null;
        }

        var line = 1L;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            if (line >= ex.Start.Line)
            {
                var indent = raw.Length - raw.TrimStart(" \t").Length;
                var tab = raw[..indent].IndexOf('\t');
                if (tab >= 0)
                {
                    return new Mark(0, line, tab + 1);
                }
            }

            line++;
        }

        return null;
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

    private static DocNode? ReadNode(Parser parser, DocumentLimits limits, GoYamlLeniency leniency, ref long aliasExpanded, ref List<DocumentException>? problems)
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
                        var (line, column) = leniency.Original(scalar.Start);
                        var node = new DocScalar(scalar.Value, isPlain, line, column);
                        if (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific)
                        {
                            node.Tag = scalar.Tag.Value;
                        }

                        complete = node;
                        completeAnchor = scalar.Anchor.IsEmpty ? null : scalar.Anchor.Value;
                        Count(ref expanded, 1, limits, ev, leniency);
                        break;
                    }

                case SequenceStart start:
                    {
                        Count(ref expanded, 1, limits, ev, leniency);
                        var (line, column) = leniency.Original(start.Start);
                        Push(stack, new DocSequence(line, column), start.Tag, start.Anchor, limits);
                        break;
                    }

                case MappingStart start:
                    {
                        Count(ref expanded, 1, limits, ev, leniency);
                        var (line, column) = leniency.Original(start.Start);
                        Push(stack, new DocMapping(line, column), start.Tag, start.Anchor, limits);
                        break;
                    }

                case SequenceEnd or MappingEnd:
                    {
                        var frame = stack.Pop();
                        Complete(frame, ref problems);
                        complete = frame.Node;
                        completeAnchor = frame.Anchor;
                        break;
                    }

                case AnchorAlias alias:
                    if (anchors is null || !anchors.TryGetValue(alias.Value.Value, out complete))
                    {
                        var (line, column) = leniency.Original(alias.Start);
                        throw new DocumentException($"YAML alias *{alias.Value.Value} refers to no anchor defined before it", line, column);
                    }

                    Count(ref expanded, complete.ExpandedSize, limits, ev, leniency);
                    Count(ref aliasExpanded, complete.ExpandedSize, limits, ev, leniency);
                    break;

                default:
                    {
                        var (line, column) = leniency.Original(ev.Start);
                        throw new DocumentException($"unexpected YAML event {ev.GetType().Name}", line, column);
                    }
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

    private static void Count(ref long expanded, long nodes, DocumentLimits limits, ParsingEvent at, GoYamlLeniency leniency)
    {
        expanded += nodes;
        if (expanded > limits.MaxExpandedNodes)
        {
            var message = at is AnchorAlias
                ? $"YAML aliases expand the document to more than {limits.MaxExpandedNodes:N0} nodes (an alias bomb?); refusing to read it"
                : $"the document has more than {limits.MaxExpandedNodes:N0} nodes (aliases expanded); refusing to read it";
            var (line, column) = leniency.Original(at.Start);
            throw new DocumentException(message, line, column);
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

    private static void Complete(Frame frame, ref List<DocumentException>? problems)
    {
        if (frame.Node is not DocMapping map)
        {
            return;
        }

        map.RemoveDuplicateKeys(ref problems);
        if (frame.Merges is not { } merges)
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

/// <summary>
/// What a reader made of a file: the documents it read, the error that stopped it (if one did; documents before it
/// are kept), and <see cref="Problems"/>: errors it recovered from, such as duplicate keys, in documents it read in
/// full.
/// </summary>
public sealed record DocumentReadResult(List<SourceDocument> Documents, DocumentException? Error)
{
    public IReadOnlyList<DocumentException> Problems { get; init; } = [];
}

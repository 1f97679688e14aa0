using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Bulwark.Parsing.Tests")]

namespace Bulwark.Parsing.Documents;

/// <summary>
/// A hand-written reader for the YAML that Kubernetes manifests, Helm and kustomize output use. It builds the same
/// <see cref="DocNode"/> trees as <see cref="YamlDocumentReader"/> (values, styles, tags, 1-based positions,
/// documents, merge keys, aliases, limits), working directly on the decoded text instead of YamlDotNet's token and
/// event objects.
/// </summary>
/// <remarks>
/// It is a fast path, never the only path: whenever it meets anything it does not handle with certainty (directives,
/// explicit keys, tabs where YAML is picky about them, unusual line breaks, …) or anything that is an error, it gives
/// up on the whole file and <see cref="TryRead"/> returns false; the caller then reads the file with
/// <see cref="YamlDocumentReader"/>, so errors keep YamlDotNet's messages and positions and correctness never
/// depends on this reader. Positions follow YamlDotNet's conventions: a node starts at its first property (anchor
/// or tag) if it has one, a block mapping at its first key, an empty value right after its ':' or '-'.
/// </remarks>
public sealed partial class FastYamlReader
{
    private const string MergeKey = "<<";

    /// <summary>Nesting this reader handles itself; deeper documents (never real manifests) go to YamlDotNet.</summary>
    private const int RecursionCap = 200;

    /// <summary>YamlDotNet drops a simple key whose ':' is further than 1,024 characters from its start.</summary>
    private const int MaxKeyLength = 1000;

    /// <summary>Characters that make the reader give up at once: NUL ends YamlDotNet's input, and NEL, LS and PS are line breaks to it; a BOM mid-text is left to it too.</summary>
    private static readonly SearchValues<char> Unsupported = SearchValues.Create("\0\u0085\u2028\u2029\uFEFF");

    private readonly string _file;
    private readonly string _text;
    private readonly int _end;
    private readonly DocumentLimits _limits;

    /// <summary>Current offset into <see cref="_text"/>.</summary>
    private int _pos;

    /// <summary>1-based number of the line <see cref="_pos"/> is on.</summary>
    private int _line = 1;

    /// <summary>Offset of the first character of the line <see cref="_pos"/> is on.</summary>
    private int _lineStart;

    /// <summary>Collections open around the current position.</summary>
    private int _depth;

    /// <summary>Nodes the current document stands for, aliases expanded (as <see cref="YamlDocumentReader"/> counts).</summary>
    private long _expanded;

    /// <summary>Nodes that aliases stood for, over the whole file.</summary>
    private long _aliasExpanded;

    private Dictionary<string, DocNode>? _anchors;

    /// <summary>Errors read past (duplicate keys); the whole file is read or none of it, so they are the file's.</summary>
    private List<DocumentException>? _problems;

    // YamlDotNet's scanner flags that decide whether a ':' starting a plain scalar is skipped (see
    // ColonWouldBeSkipped). They live for the whole file, across documents, as its scanner does.
    private bool _flowScalarFetched;

    private bool _flowCollectionFetched;

    private bool _startFlowCollectionFetched;

    private char[] _buffer = new char[256];

    private int _bufferLength;

    private FastYamlReader(string file, string text, DocumentLimits limits)
    {
        _file = file;
        _text = text;
        _end = text.Length;
        _limits = limits;
    }

    /// <summary>Where a block node starts: first on its line, right after a mapping's ':', or right after a sequence's '-'.</summary>
    private enum Context
    {
        LineStart,
        AfterColon,
        AfterDash,
    }

    /// <summary>Char at the current position, or NUL at the end of the text.</summary>
    private char Cur => _pos < _end ? _text[_pos] : '\0';

    /// <summary>0-based column of the current position.</summary>
    private int Offset => _pos - _lineStart;

    /// <summary>
    /// Reads <paramref name="text"/> as a YAML stream. Returns false, with <paramref name="bailReason"/> saying why
    /// (and where), when the fast reader gives up on the file; the caller must then use
    /// <see cref="YamlDocumentReader"/>.
    /// </summary>
    public static bool TryRead(string file, string text, DocumentLimits limits, [NotNullWhen(true)] out DocumentReadResult? result, out string? bailReason)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(limits);
        var reader = new FastYamlReader(file, text, limits);
        try
        {
            result = new DocumentReadResult(reader.ReadStream(), null) { Problems = (IReadOnlyList<DocumentException>?)reader._problems ?? [] };
            bailReason = null;
            return true;
        }
        catch (FastYamlBailException ex)
        {
            result = null;
            bailReason = ex.Message;
            return false;
        }
        catch (Exception ex) when (ex is IndexOutOfRangeException or ArgumentException or InvalidOperationException or OverflowException)
        {
            // A bug here must never cost a correct read: YamlDotNet reads the file instead. Tests fail on these.
            result = null;
            bailReason = "internal error: " + ex.GetType().Name + ": " + ex.Message;
            return false;
        }
    }

    /// <summary>Reads <paramref name="text"/> with the fast reader if it can, else with <see cref="YamlDocumentReader"/>.</summary>
    public static DocumentReadResult Read(string file, string text, DocumentLimits limits) =>
        TryRead(file, text, limits, out var result, out _) ? result : YamlDocumentReader.Read(file, text, limits);

    private List<SourceDocument> ReadStream()
    {
        CheckCharacters();
        var documents = new List<SourceDocument>();
        var index = 0;

        // An implicit document (no "---") may only start the stream; after "..." YamlDotNet wants "---" for most content.
        var implicitAllowed = true;
        SkipToContent();
        while (_pos < _end)
        {
            if (Offset == 0 && Cur == '%')
            {
                Bail("directive");
            }

            if (IsDocumentMarker('.'))
            {
                _pos += 3;
                ExpectEmptyRestOfLine();
                SkipToContent();
                if (implicitAllowed && _pos < _end)
                {
                    // "..." before any document ends YamlDotNet's stream; whatever follows is an error to it.
                    Bail("content after a leading '...'");
                }

                continue;
            }

            DocNode? root = null;
            _expanded = 0;
            _anchors = null;
            if (IsDocumentMarker('-'))
            {
                _pos += 3;
                ExpectEmptyRestOfLine();
                SkipToContent();
                if (_pos < _end && !IsDocumentMarker('-') && !IsDocumentMarker('.'))
                {
                    root = ParseRoot();
                }
            }
            else if (implicitAllowed)
            {
                root = ParseRoot();
            }
            else
            {
                Bail("content after '...' without '---'");
            }

            implicitAllowed = false;
            documents.Add(new SourceDocument(_file, index++, root is DocScalar { IsNull: true, Tag: null } ? null : root));
            if (_pos < _end && !IsDocumentMarker('-') && !IsDocumentMarker('.'))
            {
                Bail("content after the end of the document's root node");
            }
        }

        return documents;
    }

    private DocNode ParseRoot()
    {
        var root = ParseNodeOnLine(-1, Context.LineStart, default);
        FinishLine();
        SkipToContent();
        return root;
    }

    // ---- block structure -------------------------------------------------------------------------------------

    /// <summary>
    /// Parses the node after a mapping's ':' or a sequence's '-' (the current position is right after it).
    /// <paramref name="indent"/> is the column of the innermost block collection (YamlDotNet's scanner indent).
    /// </summary>
    private DocNode ParseValueAfterIndicator(int indent, bool afterColon, int emptyLine, int emptyColumn)
    {
        // After ':' YamlDotNet takes tabs as separation; after '-' a tab takes another path through its scanner.
        SkipBlanks(allowTabs: afterColon);
        Props props = default;
        if (Cur is '&' or '!')
        {
            ParseProperties(ref props, flow: false);
        }

        if (!AtLineEndOrComment())
        {
            return ParseNodeOnLine(indent, afterColon ? Context.AfterColon : Context.AfterDash, props);
        }

        // The node, if any, is on the following lines.
        SkipToContent();
        if (_pos < _end && !IsAnyDocumentMarker())
        {
            var column = Offset;
            if (column > indent)
            {
                return ParseNodeOnLine(indent, Context.LineStart, props);
            }

            if (column == indent && afterColon && IsBlockEntry(_pos))
            {
                // A sequence at the same indentation as its key.
                return ParseBlockSequence(column, props, indentless: true);
            }
        }

        return EmptyScalar(props, emptyLine, emptyColumn);
    }

    /// <summary>
    /// Parses a block node whose content (or properties) start at the current position, on the current line.
    /// <paramref name="props"/> are properties read before (on an earlier line or before it on this one).
    /// </summary>
    private DocNode ParseNodeOnLine(int indent, Context context, Props props)
    {
        var propsOnThisLine = context != Context.LineStart && props.Line != 0;
        if (Cur is '&' or '!')
        {
            if (props.Line != 0)
            {
                Bail("node properties on two lines");
            }

            ParseProperties(ref props, flow: false);
            if (AtLineEndOrComment())
            {
                Bail("node properties alone on a line");
            }

            propsOnThisLine = true;
        }

        var c = Cur;
        switch (c)
        {
            case '-' when IsBlankOrEnd(_pos + 1):
                if (propsOnThisLine || context == Context.AfterColon)
                {
                    Bail("block sequence entry after properties or ':' on the same line");
                }

                return ParseBlockSequence(Offset, props, indentless: false);
            case '|' or '>':
                return ParseBlockScalar(indent, props);
            case '"' or '\'':
                return ParseQuotedInBlock(indent, context, props, propsOnThisLine);
            case '[' or '{':
                return ParseFlowCollection(indent, props);
            case '*':
                if (props.Line != 0)
                {
                    Bail("alias with properties");
                }

                return ParseAlias(flow: false);
            default:
                if (!IsPlainStart(c, Peek(_pos + 1), flow: false))
                {
                    Bail("character that cannot start a node here");
                }

                return ParsePlainInBlock(indent, context, props, propsOnThisLine);
        }
    }

    private DocNode ParseQuotedInBlock(int indent, Context context, Props props, bool propsOnThisLine)
    {
        var line = _line;
        var column = Offset + 1;
        var start = _pos;
        var single = Cur == '\'';
        var value = ScanQuoted(single);
        _flowScalarFetched = false;
        if (_line == line)
        {
            // On one line it may be a key: `"key": value`.
            var afterQuote = _pos;
            SkipBlanks(allowTabs: true);
            if (Cur == ':' && IsBlankOrEnd(_pos + 1))
            {
                if (context == Context.AfterColon || propsOnThisLine)
                {
                    Bail("mapping key after ':' or after properties on the same line");
                }

                if (_pos - start > MaxKeyLength)
                {
                    Bail("key too long for YamlDotNet's simple keys");
                }

                var key = NewScalar(value, isPlain: false, line, column, default);
                return ParseBlockMapping(column - 1, props, key);
            }

            _pos = afterQuote;
        }

        return NewScalar(value, isPlain: false, props.Line != 0 ? props.Line : line, props.Line != 0 ? props.Column : column, props);
    }

    private DocNode ParsePlainInBlock(int indent, Context context, Props props, bool propsOnThisLine)
    {
        StartPlainInBlock();
        var line = _line;
        var column = Offset + 1;
        var start = _pos;
        var stop = ScanPlainLine(start, out var contentEnd, out var kind);
        if (kind == PlainStop.Colon)
        {
            if (context == Context.AfterColon || propsOnThisLine)
            {
                Bail("mapping key after ':' or after properties on the same line");
            }

            if (stop - start > MaxKeyLength)
            {
                Bail("key too long for YamlDotNet's simple keys");
            }

            var key = NewScalar(_text.Substring(start, contentEnd - start), isPlain: true, line, column, default);
            _pos = stop;
            return ParseBlockMapping(column - 1, props, key);
        }

        var value = ScanPlainRest(indent, start, stop, contentEnd, kind);
        return NewScalar(value, IsPlainTag(props.Tag), props.Line != 0 ? props.Line : line, props.Line != 0 ? props.Column : column, props);
    }

    /// <summary>
    /// Parses a block mapping at column <paramref name="column"/> (0-based) whose first key has been read; the
    /// current position is at that key's ':'.
    /// </summary>
    private DocMapping ParseBlockMapping(int column, Props props, DocScalar firstKey)
    {
        EnterCollection();
        var map = new DocMapping(props.Line != 0 ? props.Line : firstKey.Line, props.Line != 0 ? props.Column : firstKey.Column);
        SetTag(map, props.Tag);
        List<DocNode>? merges = null;
        var key = firstKey;
        while (true)
        {
            // At the ':' after the key.
            var valueLine = _line;
            var valueColumn = Offset + 2;
            _pos++;
            var value = ParseValueAfterIndicator(column, afterColon: true, valueLine, valueColumn);
            AddEntry(map, ref merges, key, value);
            FinishLine();
            SkipToContent();
            if (_pos >= _end || IsAnyDocumentMarker() || Offset < column)
            {
                break;
            }

            if (Offset > column)
            {
                Bail("more indented content after a mapping entry");
            }

            key = ParseBlockKey();
        }

        CompleteMapping(map, merges);
        _depth--;
        Register(props.Anchor, map);
        return map;
    }

    /// <summary>
    /// A plain scalar starts (block context): YamlDotNet's scanner skips a leading ':' when an earlier quoted scalar in
    /// a flow collection, or a flow collection's end, left its flags set (its quirk, kept here by giving up), and
    /// clears the flags.
    /// </summary>
    private void StartPlainInBlock()
    {
        if (Cur == ':' && (_flowScalarFetched || (_flowCollectionFetched && !_startFlowCollectionFetched)))
        {
            Bail("plain scalar starting with ':' that YamlDotNet would skip");
        }

        _flowScalarFetched = _flowCollectionFetched = _startFlowCollectionFetched = false;
    }

    /// <summary>Reads the next key of a block mapping (at the mapping's column) up to its ':'.</summary>
    private DocScalar ParseBlockKey()
    {
        var line = _line;
        var column = Offset + 1;
        var start = _pos;
        var c = Cur;
        string value;
        bool isPlain;
        if (c is '"' or '\'')
        {
            value = ScanQuoted(c == '\'');
            _flowScalarFetched = false;
            if (_line != line)
            {
                Bail("multi-line key");
            }

            SkipBlanks(allowTabs: true);
            if (Cur != ':' || !IsBlankOrEnd(_pos + 1))
            {
                Bail("expected ':' after a quoted key");
            }

            isPlain = false;
        }
        else
        {
            if (!IsPlainStart(c, Peek(_pos + 1), flow: false) || (c == '-' && IsBlankOrEnd(_pos + 1)))
            {
                Bail("expected a mapping key");
            }

            StartPlainInBlock();
            var stop = ScanPlainLine(start, out var contentEnd, out var kind);
            if (kind != PlainStop.Colon)
            {
                Bail("expected a mapping key");
            }

            value = _text.Substring(start, contentEnd - start);
            _pos = stop;
            isPlain = true;
        }

        if (_pos - start > MaxKeyLength)
        {
            Bail("key too long for YamlDotNet's simple keys");
        }

        return NewScalar(value, isPlain, line, column, default);
    }

    /// <summary>Parses a block sequence whose first '-' is at the current position, at 0-based column <paramref name="column"/>.</summary>
    private DocSequence ParseBlockSequence(int column, Props props, bool indentless)
    {
        EnterCollection();
        var seq = new DocSequence(props.Line != 0 ? props.Line : _line, props.Line != 0 ? props.Column : Offset + 1);
        SetTag(seq, props.Tag);
        while (true)
        {
            // At the '-'.
            var entryLine = _line;
            var entryColumn = Offset + 2;
            _pos++;
            if (Cur == '\t')
            {
                Bail("tab after '-'");
            }

            var item = ParseValueAfterIndicator(column, afterColon: false, entryLine, entryColumn);
            seq.Items.Add(item);
            seq.ExpandedSize += item.ExpandedSize;
            FinishLine();
            SkipToContent();
            if (_pos >= _end || IsAnyDocumentMarker() || Offset < column)
            {
                break;
            }

            if (Offset > column)
            {
                Bail("more indented content after a sequence entry");
            }

            if (!IsBlockEntry(_pos))
            {
                if (indentless)
                {
                    // The mapping the sequence is a value of goes on with its next key.
                    break;
                }

                Bail("expected '-' in a block sequence");
            }
        }

        _depth--;
        Register(props.Anchor, seq);
        return seq;
    }

    // ---- nodes, anchors, merge keys, limits ------------------------------------------------------------------

    private struct Props
    {
        /// <summary>1-based line of the first property; 0 when there are none.</summary>
        public int Line;

        public int Column;

        public string? Anchor;

        /// <summary>The resolved tag, as YamlDotNet's parser resolves it (<c>!!str</c> → <c>tag:yaml.org,2002:str</c>).</summary>
        public string? Tag;
    }

    /// <summary>Untagged and non-specifically tagged (<c>!</c>) plain scalars are plain to Bulwark.</summary>
    private static bool IsPlainTag(string? tag) => tag is null or "!" or "?";

    private static void SetTag(DocNode node, string? tag)
    {
        if (!IsPlainTag(tag))
        {
            node.Tag = tag;
        }
    }

    private DocScalar NewScalar(string value, bool isPlain, int line, int column, Props props)
    {
        var node = new DocScalar(value, isPlain, line, column);
        SetTag(node, props.Tag);
        Count(1);
        Register(props.Anchor, node);
        return node;
    }

    /// <summary>An empty node: YamlDotNet places it at its properties, or else right after the ':' or '-' before it.</summary>
    private DocScalar EmptyScalar(Props props, int line, int column) =>
        props.Line != 0
            ? NewScalar(string.Empty, IsPlainTag(props.Tag), props.Line, props.Column, props)
            : NewScalar(string.Empty, isPlain: true, line, column, props);

    private void Register(string? anchor, DocNode node)
    {
        if (anchor is not null)
        {
            _anchors ??= new Dictionary<string, DocNode>(StringComparer.Ordinal);
            _anchors[anchor] = node;
        }
    }

    private DocNode ParseAlias(bool flow)
    {
        var name = ScanAnchorName();
        if (!(_pos >= _end || IsBlankOrBreak(Cur) || (flow && Cur is ',' or ']' or '}')))
        {
            Bail("unexpected character after an alias");
        }

        DocNode? target = null;
        if (_anchors?.TryGetValue(name, out target) != true || target is null)
        {
            Bail("alias to an unknown anchor");
        }

        Count(target.ExpandedSize);
        _aliasExpanded += target.ExpandedSize;
        if (_aliasExpanded > _limits.MaxExpandedNodes)
        {
            Bail("alias expansion over the file's bound");
        }

        return target;
    }

    private void EnterCollection()
    {
        if (_depth >= _limits.MaxDepth || _depth >= RecursionCap || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            Bail("nesting too deep");
        }

        _depth++;
        Count(1);
    }

    private void Count(long nodes)
    {
        _expanded += nodes;
        if (_expanded > _limits.MaxExpandedNodes)
        {
            Bail("document over the expanded-node bound");
        }
    }

    /// <summary>As <see cref="YamlDocumentReader"/> adds a mapping entry: merge keys (<c>&lt;&lt;</c>) are collected, not added.</summary>
    private static void AddEntry(DocMapping map, ref List<DocNode>? merges, DocScalar key, DocNode value)
    {
        if (key.IsPlain && string.Equals(key.Value, MergeKey, StringComparison.Ordinal))
        {
            merges ??= [];
            if (value is DocSequence sources)
            {
                merges.AddRange(sources.Items);
            }
            else
            {
                merges.Add(value);
            }
        }
        else
        {
            map.Entries.Add(new DocEntry(key, key.Value, value));
        }

        map.ExpandedSize += 1 + value.ExpandedSize;
    }

    /// <summary>
    /// As <see cref="YamlDocumentReader"/> completes a mapping: duplicate keys are reported and the last value kept,
    /// then explicit keys win over merged ones, and the first merged mapping listed over later ones.
    /// </summary>
    private void CompleteMapping(DocMapping map, List<DocNode>? merges)
    {
        map.RemoveDuplicateKeys(ref _problems);
        if (merges is null)
        {
            return;
        }

        foreach (var source in merges)
        {
            if (source is not DocMapping)
            {
                Bail("merge key whose value is not a mapping");
            }
        }

        map.MergeFrom(merges.Cast<DocMapping>());
    }

    // ---- properties ------------------------------------------------------------------------------------------

    /// <summary>Reads an anchor and/or a tag (in either order) and the blanks after them.</summary>
    private void ParseProperties(ref Props props, bool flow)
    {
        while (Cur is '&' or '!')
        {
            if (props.Line == 0)
            {
                props.Line = _line;
                props.Column = Offset + 1;
            }

            if (Cur == '&')
            {
                if (props.Anchor is not null)
                {
                    Bail("two anchors");
                }

                props.Anchor = ScanAnchorName();
            }
            else
            {
                if (props.Tag is not null)
                {
                    Bail("two tags");
                }

                props.Tag = ScanTag();
            }

            if (!(_pos >= _end || IsBlankOrBreak(Cur)))
            {
                Bail("unexpected character after a node property");
            }

            if (flow)
            {
                SkipFlowSpace();
            }
            else
            {
                SkipBlanks(allowTabs: true);
            }
        }
    }

    /// <summary>Reads the name of an anchor or alias; the current position is at its '&amp;' or '*'.</summary>
    private string ScanAnchorName()
    {
        var start = _pos + 1;
        var i = start;
        while (i < _end && _text[i] is not (' ' or '\t' or '\n' or '\r' or '[' or ']' or '{' or '}' or ','))
        {
            if (_text[i] == ':')
            {
                // YamlDotNet reads ':' into alias names except where the alias is a required key; not worth following.
                Bail("':' in an anchor or alias name");
            }

            i++;
        }

        if (i == start)
        {
            Bail("empty anchor or alias name");
        }

        _pos = i;
        return _text.Substring(start, i - start);
    }

    /// <summary>Reads a tag and resolves it as YamlDotNet's parser does; the current position is at its '!'.</summary>
    private string ScanTag()
    {
        var start = _pos;
        var i = _pos + 1;
        string tag;
        if (Peek(i) == '<')
        {
            var suffixStart = i + 1;
            i = SkipTagUri(suffixStart);
            if (Peek(i) != '>' || i == suffixStart)
            {
                Bail("verbatim tag");
            }

            tag = _text.Substring(suffixStart, i - suffixStart);
            i++;
            if (tag is "!" or "?")
            {
                Bail("non-specific verbatim tag");
            }
        }
        else
        {
            while (i < _end && IsAlphaNumericDashOrUnderscore(_text[i]))
            {
                i++;
            }

            if (Peek(i) == '!')
            {
                // A named handle: only "!!" is known without %TAG directives.
                if (i != start + 1)
                {
                    Bail("tag handle without a %TAG directive");
                }

                var suffixStart = i + 1;
                i = SkipTagUri(suffixStart);
                tag = string.Concat("tag:yaml.org,2002:", _text.AsSpan(suffixStart, i - suffixStart));
            }
            else
            {
                i = SkipTagUri(i);

                // "!" alone is the non-specific tag; "!foo" is the local tag "!foo".
                tag = _text.Substring(start, i - start);
            }
        }

        if (tag.EndsWith(','))
        {
            Bail("tag ending with ','");
        }

        if (tag[0] != '!' && !Uri.IsWellFormedUriString(tag, UriKind.RelativeOrAbsolute))
        {
            // YamlDotNet's TagName rejects global tags that are not URIs.
            Bail("global tag that is not a URI");
        }

        _pos = i;
        return tag;
    }

    /// <summary>Skips tag URI characters; those YamlDotNet treats specially ('%' escapes, '+' as space, ',', brackets) make the reader give up.</summary>
    private int SkipTagUri(int i)
    {
        while (i < _end)
        {
            var c = _text[i];
            if (IsAlphaNumericDashOrUnderscore(c) || c is ';' or '/' or '?' or ':' or '@' or '&' or '=' or '$' or '.' or '!' or '~' or '*' or '\'' or '(' or ')')
            {
                i++;
            }
            else if (c == ',' && !(i + 1 >= _end || _text[i + 1] is '\n' or '\r'))
            {
                // YamlDotNet reads ',' into a tag unless a line break follows; a tag ending with it is an error.
                i++;
            }
            else if (c is '%' or '+' or ',' or '[' or ']')
            {
                Bail("tag character YamlDotNet treats specially");
            }
            else
            {
                break;
            }
        }

        return i;
    }

    // ---- lines, blanks, comments -----------------------------------------------------------------------------

    /// <summary>Gives up on characters and line breaks this reader does not handle.</summary>
    private void CheckCharacters()
    {
        var span = _text.AsSpan();
        if (span.IndexOfAny(Unsupported) >= 0)
        {
            Bail("NUL, NEL, LS, PS or BOM character");
        }

        var cr = span.IndexOf('\r');
        while (cr >= 0)
        {
            if (cr + 1 >= span.Length || span[cr + 1] != '\n')
            {
                Bail("carriage return without line feed");
            }

            var next = span[(cr + 2)..].IndexOf('\r');
            cr = next < 0 ? -1 : cr + 2 + next;
        }
    }

    private char Peek(int i) => i < _end ? _text[i] : '\0';

    private static bool IsBlankOrBreak(char c) => c is ' ' or '\t' or '\n' or '\r';

    private bool IsBlankOrEnd(int i) => i >= _end || IsBlankOrBreak(_text[i]);

    private static bool IsAlphaNumericDashOrUnderscore(char c) =>
        c is (>= '0' and <= '9') or (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or '_' or '-';

    private bool IsBlockEntry(int i) => Peek(i) == '-' && IsBlankOrEnd(i + 1);

    /// <summary>"---" or "..." at the start of the current line, followed by a blank, a line break or the end.</summary>
    private bool IsDocumentMarker(char c) =>
        _pos == _lineStart && _pos + 2 < _end && _text[_pos] == c && _text[_pos + 1] == c && _text[_pos + 2] == c && IsBlankOrEnd(_pos + 3);

    private bool IsAnyDocumentMarker() => IsDocumentMarker('-') || IsDocumentMarker('.');

    /// <summary>Consumes the line break at the current position ("\n" or "\r\n").</summary>
    private void ConsumeBreak()
    {
        _pos += _text[_pos] == '\r' ? 2 : 1;
        _line++;
        _lineStart = _pos;
    }

    /// <summary>Skips spaces (and tabs, where YamlDotNet takes them as separation; elsewhere a tab makes the reader give up).</summary>
    private void SkipBlanks(bool allowTabs)
    {
        while (_pos < _end)
        {
            var c = _text[_pos];
            if (c == ' ')
            {
                _pos++;
            }
            else if (c == '\t')
            {
                if (!allowTabs)
                {
                    Bail("tab");
                }

                _pos++;
            }
            else
            {
                break;
            }
        }
    }

    /// <summary>At a line break, the end, or a comment ('#' after a blank).</summary>
    private bool AtLineEndOrComment()
    {
        if (_pos >= _end)
        {
            return true;
        }

        var c = _text[_pos];
        return c is '\n' or '\r' || (c == '#' && _pos > _lineStart && _text[_pos - 1] is ' ' or '\t');
    }

    /// <summary>Block context: skips blank lines, comment lines and indentation up to the next content (or the end).</summary>
    private void SkipToContent()
    {
        while (_pos < _end)
        {
            var c = _text[_pos];
            if (c == ' ')
            {
                var rest = _text.AsSpan(_pos);
                var n = rest.IndexOfAnyExcept(' ');
                _pos = n < 0 ? _end : _pos + n;
            }
            else if (c is '\n' or '\r')
            {
                ConsumeBreak();
            }
            else if (c == '#')
            {
                SkipComment();
            }
            else if (c == '\t')
            {
                Bail("tab in indentation");
            }
            else
            {
                return;
            }
        }
    }

    private void SkipComment()
    {
        var n = _text.AsSpan(_pos).IndexOfAny('\n', '\r');
        _pos = n < 0 ? _end : _pos + n;
    }

    /// <summary>
    /// After a node: the rest of its last line must be blank or a comment. A node that ended at the start of a later
    /// line (block collections and scalars, multi-line plain scalars) is left there.
    /// </summary>
    private void FinishLine()
    {
        var i = _pos;
        while (i < _end && _text[i] is ' ' or '\t')
        {
            i++;
        }

        if (i >= _end || _text[i] is '\n' or '\r')
        {
            _pos = i;
            return;
        }

        if (_text[i] == '#' && i > _lineStart && _text[i - 1] is ' ' or '\t')
        {
            _pos = i;
            return;
        }

        if (_text.AsSpan(_lineStart, _pos - _lineStart).IndexOfAnyExcept(' ') < 0)
        {
            // The node ended by moving to the first content of a later line.
            return;
        }

        Bail("unexpected content after a node");
    }

    /// <summary>After "---" or "...": only blanks and a comment may follow on the line.</summary>
    private void ExpectEmptyRestOfLine()
    {
        var i = _pos;
        while (i < _end && _text[i] == ' ')
        {
            i++;
        }

        if (i < _end && _text[i] is not ('\n' or '\r') && !(_text[i] == '#' && i > _pos))
        {
            Bail("content after a document marker on the same line");
        }

        _pos = i;
    }

    [DoesNotReturn]
    private void Bail(string reason) =>
        throw new FastYamlBailException(reason + " (line " + _line.ToString(System.Globalization.CultureInfo.InvariantCulture) + ", column " + (Offset + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + ")");

    private sealed class FastYamlBailException(string message) : Exception(message);
}

using System.Buffers;

namespace Bulwark.Parsing.Documents;

/// <summary>Flow collections (<c>[a, b]</c>, <c>{a: 1}</c>), nested and over several lines.</summary>
public sealed partial class FastYamlReader
{
    private static readonly SearchValues<char> PlainFlowStops = SearchValues.Create(":,[]{}#\n\r \t");

    /// <summary>
    /// Whether <paramref name="c"/> (followed by <paramref name="next"/>) starts a plain scalar, as YamlDotNet's
    /// scanner decides; indicators that mean something else here are not plain starts.
    /// </summary>
    private static bool IsPlainStart(char c, char next, bool flow)
    {
        switch (c)
        {
            case '\0' or ' ' or '\t' or '\n' or '\r':
                return false;
            case '-':
                return !(next is '\0' or ' ' or '\t' or '\n' or '\r') && !(flow && next is ',' or '[' or ']' or '{' or '}');
            case '?':
                return !(next is '\0' or ' ' or '\t' or '\n' or '\r');
            case ':':
                // In block context see ColonWouldBeSkipped; in flow context YamlDotNet may take it as a value
                // indicator instead, depending on the same flags: not worth following.
                return !flow && !(next is '\0' or ' ' or '\t' or '\n' or '\r');
            case ',' or '[' or ']' or '{' or '}' or '#' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`':
                return false;
            default:
                return true;
        }
    }

    /// <summary>Parses a flow collection at the current position ('[' or '{'), whose properties have been read.</summary>
    private DocNode ParseFlowCollection(int indent, Props props) =>
        Cur == '[' ? ParseFlowSequence(indent, props) : ParseFlowMapping(indent, props);

    private DocSequence ParseFlowSequence(int indent, Props props)
    {
        EnterCollection();
        var seq = new DocSequence(props.Line != 0 ? props.Line : _line, props.Line != 0 ? props.Column : Offset + 1);
        SetTag(seq, props.Tag);
        _pos++;
        _startFlowCollectionFetched = true;
        SkipFlowSpace();
        while (Cur != ']')
        {
            if (Cur == '?' && IsBlankOrEnd(_pos + 1))
            {
                Bail("explicit key in a flow sequence");
            }

            var item = ParseFlowNode(indent);
            seq.Items.Add(item);
            seq.ExpandedSize += item.ExpandedSize;
            SkipFlowSpace();
            if (Cur == ',')
            {
                _pos++;
                if (Cur == '#')
                {
                    Bail("comment right after ','");
                }

                SkipFlowSpace();
            }
            else if (Cur != ']')
            {
                // Includes "[a: b]", a single-pair mapping YamlDotNet gives no position.
                Bail("expected ',' or ']'");
            }
        }

        _pos++;
        _flowCollectionFetched = true;
        if (Cur == '#')
        {
            Bail("comment right after ']'");
        }

        _depth--;
        Register(props.Anchor, seq);
        return seq;
    }

    private DocMapping ParseFlowMapping(int indent, Props props)
    {
        EnterCollection();
        var map = new DocMapping(props.Line != 0 ? props.Line : _line, props.Line != 0 ? props.Column : Offset + 1);
        SetTag(map, props.Tag);
        List<DocNode>? merges = null;
        _pos++;
        _startFlowCollectionFetched = true;
        SkipFlowSpace();
        while (Cur != '}')
        {
            var key = ParseFlowKey(indent, out var quoted);
            var keyLine = _line;
            SkipFlowSpace();
            if (_line != keyLine)
            {
                Bail("line break between a flow key and its ':'");
            }

            // After a plain key the ':' is one only when a blank or ',' follows (else the scalar would have gone
            // on); after a quoted key YamlDotNet takes any ':' (JSON style) except "::".
            if (Cur != ':' || (quoted ? Peek(_pos + 1) == ':' : !(IsBlankOrEnd(_pos + 1) || Peek(_pos + 1) == ',')))
            {
                Bail("flow mapping entry without ':'");
            }

            _pos++;
            SkipFlowSpace();
            DocNode value;
            if (Cur is ',' or '}')
            {
                value = NewScalar(string.Empty, isPlain: true, _line, Offset + 1, default);
            }
            else
            {
                if (Cur == '&' || (Cur == '!' && HasAnchorAfterTag()))
                {
                    var anchored = ParseFlowNode(indent);
                    if (anchored is DocScalar)
                    {
                        // YamlDotNet rejects an anchored scalar value in a flow mapping when an entry follows it.
                        Bail("anchored scalar value in a flow mapping");
                    }

                    value = anchored;
                }
                else
                {
                    value = ParseFlowNode(indent);
                }

                SkipFlowSpace();
            }

            AddEntry(map, ref merges, key, value);
            if (Cur == ',')
            {
                _pos++;
                if (Cur == '#')
                {
                    Bail("comment right after ','");
                }

                SkipFlowSpace();
            }
            else if (Cur != '}')
            {
                Bail("expected ',' or '}'");
            }
        }

        _pos++;
        _flowCollectionFetched = true;
        CompleteMapping(map, merges);
        _depth--;
        Register(props.Anchor, map);
        return map;
    }

    /// <summary>A flow mapping key: a plain or quoted scalar on one line, without properties.</summary>
    private DocScalar ParseFlowKey(int indent, out bool quoted)
    {
        var line = _line;
        var column = Offset + 1;
        var c = Cur;
        if (c is '"' or '\'')
        {
            var value = ScanQuoted(c == '\'');
            _flowScalarFetched = true;
            if (_line != line)
            {
                Bail("multi-line flow key");
            }

            quoted = true;
            return NewScalar(value, isPlain: false, line, column, default);
        }

        if (c == '?' && IsBlankOrEnd(_pos + 1))
        {
            Bail("explicit key in a flow mapping");
        }

        if (!IsPlainStart(c, Peek(_pos + 1), flow: true))
        {
            Bail("flow key that is not a scalar");
        }

        quoted = false;
        return NewScalar(ScanPlainFlow(indent), isPlain: true, line, column, default);
    }

    /// <summary>Whether the tag at the current position is followed by an anchor (<c>!t &amp;a</c>).</summary>
    private bool HasAnchorAfterTag()
    {
        var i = _pos;
        while (i < _end && !IsBlankOrBreak(_text[i]))
        {
            i++;
        }

        while (i < _end && _text[i] is ' ' or '\t')
        {
            i++;
        }

        return Peek(i) == '&';
    }

    /// <summary>A node inside a flow collection.</summary>
    private DocNode ParseFlowNode(int indent)
    {
        Props props = default;
        if (Cur is '&' or '!')
        {
            ParseProperties(ref props, flow: true);
        }

        var line = _line;
        var column = Offset + 1;
        var c = Cur;
        switch (c)
        {
            case '[' or '{':
                return ParseFlowCollection(indent, props);
            case '"' or '\'':
                {
                    var value = ScanQuoted(c == '\'');
                    _flowScalarFetched = true;
                    if (c == '"' && Cur == '#')
                    {
                        Bail("comment right after a double-quoted scalar");
                    }

                    return NewScalar(value, isPlain: false, props.Line != 0 ? props.Line : line, props.Line != 0 ? props.Column : column, props);
                }

            case '*':
                if (props.Line != 0)
                {
                    Bail("alias with properties");
                }

                return ParseAlias(flow: true);
            default:
                if (!IsPlainStart(c, Peek(_pos + 1), flow: true))
                {
                    Bail("character that cannot start a flow node");
                }

                return NewScalar(ScanPlainFlow(indent), IsPlainTag(props.Tag), props.Line != 0 ? props.Line : line, props.Line != 0 ? props.Column : column, props);
        }
    }

    /// <summary>
    /// A plain scalar in flow context, on one line: it ends at a flow indicator, at ": " or ":,", at a comment or at
    /// the line's end. One that would go on over a line break is left to YamlDotNet.
    /// </summary>
    private string ScanPlainFlow(int indent)
    {
        if (Offset <= indent)
        {
            // YamlDotNet's scanner throws on a plain scalar left of the block indentation inside a flow collection.
            Bail("plain scalar in a flow collection left of the indentation");
        }

        _flowScalarFetched = _flowCollectionFetched = _startFlowCollectionFetched = false;
        var start = _pos;
        var i = start;
        int end;
        while (true)
        {
            var n = _text.AsSpan(i).IndexOfAny(PlainFlowStops);
            if (n < 0)
            {
                end = _end;
                break;
            }

            var j = i + n;
            var c = _text[j];
            if (c == ':')
            {
                var next = Peek(j + 1);
                if (next is '\0' or ' ' or '\t' or '\n' or '\r' or ',')
                {
                    CheckNoAliasLikeWord(start, j);
                    end = j;
                    break;
                }

                if (next is '[' or ']' or '{' or '}')
                {
                    Bail("':' before a flow indicator in a plain scalar");
                }

                i = j + 1;
            }
            else if (c == '#')
            {
                // Not after a blank (blanks stop the search below): part of the scalar.
                i = j + 1;
            }
            else if (c is ' ' or '\t')
            {
                var k = j;
                while (k < _end && _text[k] is ' ' or '\t')
                {
                    k++;
                }

                var after = Peek(k);
                if (after is '\0' or '\n' or '\r' or '#' or ',' or '[' or ']' or '{' or '}'
                    || (after == ':' && Peek(k + 1) is '\0' or ' ' or '\t' or '\n' or '\r' or ','))
                {
                    end = j;
                    break;
                }

                if (after == '*')
                {
                    // A word starting with '*' changes how YamlDotNet treats ':' after it.
                    Bail("word starting with '*' in a plain scalar");
                }

                // Blanks inside the scalar; a ':' after them is looked at on the next round.
                i = k;
            }
            else
            {
                end = j;
                break;
            }
        }

        _pos = end;
        var value = _text.Substring(start, end - start);

        // A line break after it: YamlDotNet would fold the next line into the scalar unless a flow indicator or a
        // comment comes first.
        var p = end;
        while (p < _end && _text[p] is ' ' or '\t')
        {
            p++;
        }

        if (p < _end && _text[p] is '\n' or '\r')
        {
            while (p < _end && _text[p] is ' ' or '\t' or '\n' or '\r')
            {
                p++;
            }

            if (!(p >= _end || _text[p] is ',' or ']' or '}' or '#'))
            {
                Bail("plain scalar over a line break in a flow collection");
            }
        }

        return value;
    }

    /// <summary>Flow context: skips blanks (tabs included), line breaks and comments.</summary>
    private void SkipFlowSpace()
    {
        while (_pos < _end)
        {
            var c = _text[_pos];
            if (c is ' ' or '\t')
            {
                _pos++;
            }
            else if (c is '\n' or '\r')
            {
                ConsumeBreak();
                if (IsAnyDocumentMarker())
                {
                    Bail("document marker inside a flow collection");
                }
            }
            else if (c == '#')
            {
                if (_pos > _lineStart && _text[_pos - 1] is not (' ' or '\t'))
                {
                    Bail("comment not after a blank");
                }

                SkipComment();
            }
            else
            {
                return;
            }
        }
    }
}

using System.Buffers;

namespace Bulwark.Parsing.Documents;

/// <summary>Scalars: plain, single- and double-quoted, literal and folded, each folded the way YamlDotNet's scanner folds it.</summary>
public sealed partial class FastYamlReader
{
    private static readonly SearchValues<char> PlainBlockStops = SearchValues.Create(":#\n\r");

    private static readonly SearchValues<char> DoubleQuotedStops = SearchValues.Create("\"\\\n\r");

    private static readonly SearchValues<char> SingleQuotedStops = SearchValues.Create("'\n\r");

    /// <summary>Why a line of a plain scalar ended.</summary>
    private enum PlainStop
    {
        /// <summary>A line break or the end of the text.</summary>
        LineEnd,

        /// <summary>A ':' followed by a blank, a line break or the end: the scalar is a key.</summary>
        Colon,

        /// <summary>A '#' after a blank.</summary>
        Comment,
    }

    /// <summary>
    /// Block context: finds where a plain scalar's run on the current line stops, from <paramref name="start"/>.
    /// Returns the offset of the stop (the ':', the '#' or the line break), and in <paramref name="contentEnd"/>
    /// the end of the content without trailing blanks.
    /// </summary>
    private int ScanPlainLine(int start, out int contentEnd, out PlainStop kind)
    {
        var i = start;
        int stop;
        while (true)
        {
            var n = _text.AsSpan(i).IndexOfAny(PlainBlockStops);
            if (n < 0)
            {
                stop = _end;
                kind = PlainStop.LineEnd;
                break;
            }

            var j = i + n;
            var c = _text[j];
            if (c == ':')
            {
                if (IsBlankOrEnd(j + 1))
                {
                    CheckNoAliasLikeWord(start, j);
                    stop = j;
                    kind = PlainStop.Colon;
                    break;
                }
            }
            else if (c == '#')
            {
                if (_text[j - 1] is ' ' or '\t')
                {
                    stop = j;
                    kind = PlainStop.Comment;
                    break;
                }
            }
            else
            {
                stop = j;
                kind = PlainStop.LineEnd;
                break;
            }

            i = j + 1;
        }

        contentEnd = stop;
        while (contentEnd > start && _text[contentEnd - 1] is ' ' or '\t')
        {
            contentEnd--;
        }

        return stop;
    }

    /// <summary>
    /// YamlDotNet's scanner does not end a plain scalar at a ':' in a word that starts with '*' (it takes the word for
    /// an alias): give up when the word before a ':' that would end the scalar starts with one.
    /// </summary>
    private void CheckNoAliasLikeWord(int start, int colon)
    {
        var i = colon;
        while (i > start && _text[i - 1] is not (' ' or '\t'))
        {
            i--;
        }

        if (_text[i] == '*')
        {
            Bail("':' after a word starting with '*' in a plain scalar");
        }
    }

    /// <summary>
    /// Block context: reads the rest of a plain scalar whose first line (from <paramref name="start"/>) has been
    /// scanned, folding continuation lines (more indented than <paramref name="indent"/>) as YamlDotNet does, and
    /// leaves the position where YamlDotNet's scanner stops: at the comment, or at the first content of the line
    /// that is not part of the scalar.
    /// </summary>
    private string ScanPlainRest(int indent, int start, int stop, int contentEnd, PlainStop kind)
    {
        if (kind == PlainStop.Colon)
        {
            Bail("': ' in a plain scalar");
        }

        if (kind == PlainStop.Comment || stop >= _end)
        {
            _pos = stop;
            return _text.Substring(start, contentEnd - start);
        }

        // At a line break: see whether the next content line continues the scalar.
        _pos = stop;
        var breaks = NextContinuation(indent);
        if (breaks == 0)
        {
            return _text.Substring(start, contentEnd - start);
        }

        _bufferLength = 0;
        Append(_text.AsSpan(start, contentEnd - start));
        while (breaks > 0)
        {
            if (breaks == 1)
            {
                Append(' ');
            }
            else
            {
                AppendRepeated('\n', breaks - 1);
            }

            var segment = _pos;
            stop = ScanPlainLine(segment, out contentEnd, out kind);
            if (kind == PlainStop.Colon)
            {
                Bail("': ' in a multi-line plain scalar");
            }

            Append(_text.AsSpan(segment, contentEnd - segment));
            _pos = stop;
            if (kind == PlainStop.Comment || stop >= _end)
            {
                break;
            }

            breaks = NextContinuation(indent);
        }

        return new string(_buffer, 0, _bufferLength);
    }

    /// <summary>
    /// At a line break after a plain scalar's run: consumes the breaks and indentation up to the next content. If
    /// that content continues the scalar, returns how many line breaks were crossed; otherwise returns 0 and the
    /// position is at that content (or the end).
    /// </summary>
    private int NextContinuation(int indent)
    {
        var breaks = 0;
        while (_pos < _end)
        {
            var c = _text[_pos];
            if (c is '\n' or '\r')
            {
                ConsumeBreak();
                breaks++;
            }
            else if (c == ' ')
            {
                _pos++;
            }
            else if (c == '\t')
            {
                Bail("tab in the indentation of a plain scalar's continuation");
            }
            else
            {
                if (Offset <= indent || c == '#' || IsAnyDocumentMarker())
                {
                    return 0;
                }

                return breaks;
            }
        }

        return 0;
    }

    /// <summary>
    /// Reads a quoted scalar (the current position is at its opening quote) and leaves the position after the
    /// closing quote. Its continuation lines may sit at any indentation, as go-yaml reads them (YamlDotNet wants a
    /// double-quoted scalar's indented past the enclosing block; <see cref="GoYamlLeniency"/> makes it agree).
    /// </summary>
    private string ScanQuoted(bool single)
    {
        var start = _pos + 1;

        // One line and nothing to unescape: the common case.
        var rest = _text.AsSpan(start);
        var n = rest.IndexOfAny(single ? SingleQuotedStops : DoubleQuotedStops);
        if (n >= 0 && rest[n] == (single ? '\'' : '"') && !(single && n + 1 < rest.Length && rest[n + 1] == '\''))
        {
            _pos = start + n + 1;
            return _text.Substring(start, n);
        }

        return ScanQuotedSlow(single);
    }

    /// <summary>A port of go-yaml's (and YamlDotNet's) quoted-scalar scanner: escapes, and line folding.</summary>
    private string ScanQuotedSlow(bool single)
    {
        var quote = single ? '\'' : '"';
        _pos++;
        _bufferLength = 0;
        var hasLeadingBlanks = false;
        while (true)
        {
            if (IsAnyDocumentMarker())
            {
                Bail("document marker in a quoted scalar");
            }

            if (_pos >= _end)
            {
                Bail("unterminated quoted scalar");
            }

            hasLeadingBlanks = false;

            // Non-blank characters.
            while (_pos < _end && !IsBlankOrBreak(_text[_pos]))
            {
                var c = _text[_pos];
                if (single && c == '\'' && Peek(_pos + 1) == '\'')
                {
                    Append('\'');
                    _pos += 2;
                }
                else if (c == quote)
                {
                    break;
                }
                else if (!single && c == '\\' && Peek(_pos + 1) is '\n' or '\r')
                {
                    // An escaped line break: the lines join without a space.
                    _pos++;
                    ConsumeBreak();
                    hasLeadingBlanks = true;
                    break;
                }
                else if (!single && c == '\\')
                {
                    ScanEscape();
                }
                else
                {
                    Append(c);
                    _pos++;
                }
            }

            if (Cur == quote)
            {
                break;
            }

            // Blanks and line breaks.
            var whitespaceStart = _pos;
            var whitespaceEnd = _pos;
            var leadingBreak = false;
            var trailingBreaks = 0;
            while (_pos < _end && IsBlankOrBreak(_text[_pos]))
            {
                if (_text[_pos] is ' ' or '\t')
                {
                    _pos++;
                    if (!hasLeadingBlanks)
                    {
                        whitespaceEnd = _pos;
                    }
                }
                else
                {
                    if (!hasLeadingBlanks)
                    {
                        whitespaceEnd = whitespaceStart;
                        leadingBreak = true;
                        hasLeadingBlanks = true;
                    }
                    else
                    {
                        trailingBreaks++;
                    }

                    ConsumeBreak();
                }
            }

            if (hasLeadingBlanks)
            {
                if (leadingBreak && trailingBreaks == 0)
                {
                    Append(' ');
                }
                else
                {
                    AppendRepeated('\n', trailingBreaks);
                }
            }
            else
            {
                Append(_text.AsSpan(whitespaceStart, whitespaceEnd - whitespaceStart));
            }
        }

        _pos++;
        return new string(_buffer, 0, _bufferLength);
    }

    /// <summary>An escape sequence of a double-quoted scalar; the current position is at its backslash.</summary>
    private void ScanEscape()
    {
        var e = Peek(_pos + 1);
        var length = 0;
        switch (e)
        {
            case 'x':
                length = 2;
                break;
            case 'u':
                length = 4;
                break;
            case 'U':
                length = 8;
                break;
            default:
                Append(e switch
                {
                    '0' => '\0',
                    'a' => '\a',
                    'b' => '\b',
                    't' or '\t' => '\t',
                    'n' => '\n',
                    'v' => '\v',
                    'f' => '\f',
                    'r' => '\r',
                    'e' => '\x1B',
                    ' ' => ' ',
                    '"' => '"',

                    // go-yaml's, not YAML 1.2's: GoYamlLeniency makes YamlDotNet read it too.
                    '\'' => '\'',
                    '\\' => '\\',
                    '/' => '/',
                    'N' => '\u0085',
                    '_' => '\u00A0',
                    'L' => '\u2028',
                    'P' => '\u2029',
                    _ => Bail<char>("unknown escape"),
                });
                break;
        }

        _pos += 2;
        if (length == 0)
        {
            return;
        }

        var code = 0;
        for (var k = 0; k < length; k++)
        {
            var h = Peek(_pos + k);
            int digit = h switch
            {
                >= '0' and <= '9' => h - '0',
                >= 'A' and <= 'F' => h - 'A' + 10,
                >= 'a' and <= 'f' => h - 'a' + 10,
                _ => Bail<int>("bad hexadecimal escape"),
            };
            code = (code << 4) + digit;
        }

        if (code is >= 0xD800 and <= 0xDFFF || code > 0x10FFFF || code < 0)
        {
            // YamlDotNet's surrogate-pair handling has its own quirks; leave those to it.
            Bail("surrogate or out-of-range escape");
        }

        _pos += length;
        if (code < 0x10000)
        {
            Append((char)code);
        }
        else
        {
            code -= 0x10000;
            Append((char)(0xD800 + (code >> 10)));
            Append((char)(0xDC00 + (code & 0x3FF)));
        }
    }

    /// <summary>
    /// A port of go-yaml's block-scalar scanner (literal '|' and folded '>', chomping and indentation indicators),
    /// which YamlDotNet's follows but for a few checks (docs/adr/0006, amendment); the current position is at the
    /// indicator. <paramref name="indent"/> is the scanner indent.
    /// </summary>
    private DocScalar ParseBlockScalar(int indent, Props props)
    {
        var line = _line;
        var column = Offset + 1;
        var literal = Cur == '|';
        _pos++;
        var chomping = 0;
        var increment = 0;
        if (Cur is '+' or '-')
        {
            chomping = Cur == '+' ? 1 : -1;
            _pos++;
            if (Cur is >= '0' and <= '9')
            {
                if (Cur == '0')
                {
                    Bail("indentation indicator 0");
                }

                increment = Cur - '0';
                _pos++;
            }
        }
        else if (Cur is >= '0' and <= '9')
        {
            if (Cur == '0')
            {
                Bail("indentation indicator 0");
            }

            increment = Cur - '0';
            _pos++;
            if (Cur is '+' or '-')
            {
                chomping = Cur == '+' ? 1 : -1;
                _pos++;
            }
        }

        // go-yaml takes a comment right after the indicators ("|#c") too.
        while (Cur is ' ' or '\t')
        {
            _pos++;
        }

        if (Cur == '#')
        {
            SkipComment();
        }

        if (_pos < _end && Cur is not ('\n' or '\r'))
        {
            Bail("content after a block scalar header");
        }

        bool? isFirstLine = null;
        if (_pos < _end)
        {
            ConsumeBreak();
            isFirstLine = true;
        }

        var currentIndent = 0;
        if (increment != 0)
        {
            currentIndent = indent >= 0 ? indent + increment : increment;
        }

        _bufferLength = 0;
        var trailingBreaks = 0;
        var leadingBreak = false;
        var leadingBlank = false;
        currentIndent = ScanBlockScalarBreaks(indent, currentIndent, ref trailingBreaks, literal, ref isFirstLine);
        isFirstLine = false;
        while (Offset == currentIndent && _pos < _end && !IsDocumentMarker('.'))
        {
            var trailingBlank = Cur is ' ' or '\t';
            if (!literal && leadingBreak && !leadingBlank && !trailingBlank)
            {
                if (trailingBreaks == 0)
                {
                    Append(' ');
                }

                leadingBreak = false;
            }
            else
            {
                if (leadingBreak)
                {
                    Append('\n');
                }

                leadingBreak = false;
            }

            AppendRepeated('\n', trailingBreaks);
            trailingBreaks = 0;
            leadingBlank = Cur is ' ' or '\t';

            var n = _text.AsSpan(_pos).IndexOfAny('\n', '\r');
            var lineEnd = n < 0 ? _end : _pos + n;
            Append(_text.AsSpan(_pos, lineEnd - _pos));
            _pos = lineEnd;
            if (_pos < _end)
            {
                ConsumeBreak();
                leadingBreak = true;
            }

            currentIndent = ScanBlockScalarBreaks(indent, currentIndent, ref trailingBreaks, literal, ref isFirstLine);
        }

        if (chomping != -1 && leadingBreak)
        {
            Append('\n');
        }

        if (chomping == 1)
        {
            AppendRepeated('\n', trailingBreaks);
        }

        var value = new string(_buffer, 0, _bufferLength);
        return NewScalar(value, isPlain: false, props.Line != 0 ? props.Line : line, props.Line != 0 ? props.Column : column, props);
    }

    /// <summary>
    /// A port of go-yaml's yaml_parser_scan_block_scalar_breaks (YamlDotNet's ScanBlockScalarBreaks, less two checks
    /// go-yaml does not make): indentation and empty lines, and the content indentation if not yet known.
    /// </summary>
    private int ScanBlockScalarBreaks(int indent, int currentIndent, ref int breaks, bool literal, ref bool? isFirstLine)
    {
        var leadingLines = isFirstLine == true;
        var autoIndent = currentIndent == 0;
        var blankLines = 0;
        var maxIndent = 0;
        var indentOfFirstLine = -1;
        while (true)
        {
            while ((currentIndent == 0 || Offset < currentIndent) && Cur == ' ')
            {
                _pos++;
            }

            if (Offset > maxIndent)
            {
                maxIndent = Offset;
            }

            if (Cur is not ('\n' or '\r'))
            {
                if (literal && isFirstLine == true)
                {
                    var localIndent = Offset;
                    var i = _pos;
                    while (Peek(i) == ' ')
                    {
                        i++;
                        localIndent++;
                    }

                    if (Peek(i) is '\n' or '\r' && localIndent > Offset)
                    {
                        isFirstLine = false;
                        indentOfFirstLine = localIndent;
                    }
                }

                break;
            }

            if (isFirstLine == true)
            {
                isFirstLine = false;
                indentOfFirstLine = Offset;
            }

            blankLines++;
            breaks++;
            ConsumeBreak();
        }

        // Where YamlDotNet stops and GoYamlLeniency cannot make it read what go-yaml reads, leave the file to them.
        if (literal && !autoIndent && indentOfFirstLine > 1 && currentIndent < indentOfFirstLine - 1)
        {
            // go-yaml reads the spaces past the explicit indentation as content; YamlDotNet rejects them.
            Bail("explicitly indented literal block scalar whose first line is spaces past the indentation");
        }

        if (leadingLines && autoIndent && blankLines > 0 && maxIndent > Offset && _pos < _end)
        {
            // go-yaml takes the most indented leading blank line as the indentation, so this line ends the scalar:
            // valid only when it belongs to an enclosing collection, which GoYamlLeniency may not be able to tell.
            Bail("block scalar whose leading blank lines are more indented than the line after them");
        }

        if (currentIndent == 0 && (Offset > 0 || indent > -1))
        {
            currentIndent = Math.Max(maxIndent, Math.Max(indent + 1, 1));
        }

        return currentIndent;
    }

    // ---- the value buffer ------------------------------------------------------------------------------------

    private void Append(char c)
    {
        if (_bufferLength == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        _buffer[_bufferLength++] = c;
    }

    private void Append(ReadOnlySpan<char> chars)
    {
        if (_bufferLength + chars.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _bufferLength + chars.Length));
        }

        chars.CopyTo(_buffer.AsSpan(_bufferLength));
        _bufferLength += chars.Length;
    }

    private void AppendRepeated(char c, int count)
    {
        for (var k = 0; k < count; k++)
        {
            Append(c);
        }
    }

    private T Bail<T>(string reason)
    {
        Bail(reason);
        return default;
    }
}

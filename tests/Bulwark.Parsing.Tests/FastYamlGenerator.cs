using System.Globalization;
using System.Text;

namespace Bulwark.Parsing.Tests;

/// <summary>
/// Writes random YAML streams for the differential tests: random trees written in randomly chosen styles (block and
/// flow collections, compact and indentless sequences, plain, quoted and block scalars with every chomping mode and
/// indentation indicators, multi-line scalars, comments everywhere, anchors, aliases, merge keys, tags, odd
/// indentation, unicode, CRLF line endings, tabs, document markers). It aims mostly at valid YAML, so that the fast
/// reader's results get compared, with a share of near misses, so that its giving up gets exercised too.
/// </summary>
public sealed class FastYamlGenerator(int seed)
{
    private static readonly string[] Words =
    [
        "a", "b", "name", "image", "nginx:1.27", "app.kubernetes.io/name", "true", "false", "yes", "null", "~", "Null", "0",
        "-1", "1.5", "0x1F", "1e3", "http://example.com:8080/x?y=z", "a b", "a  b", "a#b", "a,b", "x]", "x}", "-x", "?x",
        "x:y", "é", "日本", "😀", "a'b", "a\"b", "<<", "=", "x - y", "a\tb", "--x", "a\\nb",
    ];

    /// <summary>Words that are errors or oddities in some places; used now and then.</summary>
    private static readonly string[] OddWords =
    [
        ":x", "%x", "@x", "`x", "*x", "&x", "!x", "---", "...", "- x", "#x", "a #b", "a: b", "|", ">", "'", "\"", "\\", "a:", "[x", "{x",
    ];

    private static readonly string[] FlowSafeWords =
    [
        "a", "b", "name", "nginx:1.27", "app.kubernetes.io/name", "true", "null", "~", "0", "-1", "1.5", "x:y", "é", "😀",
        "http://x/y", "a b", "a#b", "-x", "?x", "a'b", "x - y", "<<",
    ];

    private readonly Random _random = new(seed);

    /// <summary>Three streams in four avoid what YamlDotNet rejects or the fast reader leaves to it, so that most get compared.</summary>
    private readonly bool _clean = seed % 4 != 0;

    /// <summary>Anchors that name mappings: what merge keys refer to in clean streams.</summary>
    private readonly List<string> _mappingAnchors = [];

    private readonly List<string> _anchors = [];

    /// <summary>Anchors of nodes being written, with the depth they were opened at.</summary>
    private readonly List<(int Depth, string Name)> _pendingAnchors = [];

    private readonly List<(int Depth, string Name)> _pendingMappingAnchors = [];

    private int _anchorCount;

    private int _depth;

    /// <summary>A YAML stream of one to three documents.</summary>
    public string Stream()
    {
        var sb = new StringBuilder();
        if (Chance(5))
        {
            sb.Append("# leading comment\n\n");
        }

        var documents = _random.Next(1, 4);
        for (var d = 0; d < documents; d++)
        {
            _anchors.Clear();
            _pendingAnchors.Clear();
            _mappingAnchors.Clear();
            _pendingMappingAnchors.Clear();
            if (d > 0 || Chance(3))
            {
                sb.Append(Chance(4) ? "--- # document\n" : "---\n");
            }

            switch (_random.Next(12))
            {
                case 0:
                    sb.Append(InlineScalar(flow: false)).Append('\n');
                    break;
                case 1:
                    Flow(sb, 0, multiLine: Chance(2));
                    sb.Append('\n');
                    break;
                case 2:
                    BlockSequence(sb, Chance(4) ? 1 : 0, inlineFirst: false);
                    break;
                case 3:
                    // An empty document.
                    sb.Append(Chance(2) ? "# only a comment\n" : string.Empty);
                    break;
                default:
                    BlockMapping(sb, Chance(6) ? 2 : 0, inlineFirst: false);
                    break;
            }

            if (Chance(6))
            {
                sb.Append("...\n");
            }
        }

        var text = sb.ToString();
        if (Chance(4))
        {
            text = text.Replace("\n", "\r\n", StringComparison.Ordinal);
        }

        if (Chance(10))
        {
            text = text.TrimEnd('\n', '\r');
        }

        return text;
    }

    private bool Chance(int oneIn) => _random.Next(oneIn) == 0;

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private int Step() => Chance(4) ? _random.Next(1, 6) : 2;

    private void BlockMapping(StringBuilder sb, int indent, bool inlineFirst)
    {
        _depth++;
        var count = _random.Next(1, _depth > 4 ? 3 : 6);
        for (var i = 0; i < count; i++)
        {
            if (!(i == 0 && inlineFirst))
            {
                MaybeCommentLine(sb, indent);
                sb.Append(' ', indent);
            }

            var mergeable = _clean ? _mappingAnchors : _anchors;
            if (mergeable.Count > 0 && Chance(6))
            {
                sb.Append("<<:");
                if (Chance(2))
                {
                    sb.Append(' ').Append('*').Append(Pick(mergeable));
                }
                else
                {
                    sb.Append(" [*").Append(Pick(mergeable)).Append(", *").Append(Pick(mergeable)).Append(']');
                }

                TrailingComment(sb);
                sb.Append('\n');
                continue;
            }

            sb.Append(Key());
            if (Chance(12))
            {
                sb.Append(' ');
            }

            sb.Append(':');
            Value(sb, indent, afterColon: true);
        }

        _depth--;
    }

    private void BlockSequence(StringBuilder sb, int indent, bool inlineFirst)
    {
        _depth++;
        var count = _random.Next(1, _depth > 4 ? 3 : 5);
        for (var i = 0; i < count; i++)
        {
            if (!(i == 0 && inlineFirst))
            {
                MaybeCommentLine(sb, indent);
                sb.Append(' ', indent);
            }

            sb.Append('-');
            var roll = _depth > 5 ? 9 : _random.Next(10);
            if (roll < 2)
            {
                // Compact nested mapping: "- key: value".
                var gap = Chance(4) ? _random.Next(1, 4) : 1;
                sb.Append(' ', gap);
                BlockMapping(sb, indent + 1 + gap, inlineFirst: true);
            }
            else if (roll == 2)
            {
                // Compact nested sequence: "- - x".
                sb.Append(' ');
                BlockSequence(sb, indent + 2, inlineFirst: true);
            }
            else
            {
                Value(sb, indent, afterColon: false);
            }
        }

        _depth--;
    }

    /// <summary>Writes what follows a key's ':' or an entry's '-', through the end of its last line.</summary>
    private void Value(StringBuilder sb, int indent, bool afterColon)
    {
        ValueBody(sb, indent, afterColon);
        ReleaseAnchors();
    }

    private void ReleaseAnchors()
    {
        for (var i = _pendingMappingAnchors.Count - 1; i >= 0; i--)
        {
            if (_pendingMappingAnchors[i].Depth >= _depth)
            {
                _mappingAnchors.Add(_pendingMappingAnchors[i].Name);
                _pendingMappingAnchors.RemoveAt(i);
            }
        }

        for (var i = _pendingAnchors.Count - 1; i >= 0; i--)
        {
            if (_pendingAnchors[i].Depth >= _depth)
            {
                _anchors.Add(_pendingAnchors[i].Name);
                _pendingAnchors.RemoveAt(i);
            }
        }
    }

    private void ValueBody(StringBuilder sb, int indent, bool afterColon)
    {
        var roll = _depth > 5 ? _random.Next(6) : _random.Next(14);
        var props = roll == 4 ? string.Empty : Properties(isMapping: roll is 8 or 9 or 10);
        var separator = afterColon && Chance(20) ? "\t" : " ";
        switch (roll)
        {
            case 0:
            case 1:
            case 2:
                sb.Append(separator).Append(props).Append(InlineScalar(flow: false));
                TrailingComment(sb);
                sb.Append('\n');
                break;
            case 3:
                // Empty value, perhaps with properties only.
                if (props.Length > 0)
                {
                    sb.Append(' ').Append(props.TrimEnd());
                }

                TrailingComment(sb);
                sb.Append('\n');
                break;
            case 4:
                if (_anchors.Count > 0)
                {
                    sb.Append(" *").Append(Pick(_anchors));
                    TrailingComment(sb);
                    sb.Append('\n');
                }
                else
                {
                    sb.Append(" ~\n");
                }

                break;
            case 5:
                sb.Append(' ').Append(props);
                BlockScalar(sb, indent);
                break;
            case 6:
                sb.Append(' ').Append(props);
                Flow(sb, indent + Step(), multiLine: Chance(3));
                TrailingComment(sb);
                sb.Append('\n');
                break;
            case 7:
                MultiLineScalar(sb, indent, props);
                break;
            case 8:
            case 9:
            case 10:
                if (props.Length > 0)
                {
                    sb.Append(' ').Append(props.TrimEnd());
                }

                TrailingComment(sb);
                sb.Append('\n');
                BlockMapping(sb, indent + Step(), inlineFirst: false);
                break;
            default:
                if (props.Length > 0)
                {
                    sb.Append(' ').Append(props.TrimEnd());
                }

                TrailingComment(sb);
                sb.Append('\n');

                // After a key, a sequence may sit at the key's own indentation.
                BlockSequence(sb, afterColon && Chance(2) ? indent : indent + Step(), inlineFirst: false);
                break;
        }
    }

    private string Properties(bool isMapping = false, bool anchor = true)
    {
        var sb = new StringBuilder();
        if (anchor && Chance(8))
        {
            var name = "a" + (_anchorCount++).ToString(CultureInfo.InvariantCulture);
            sb.Append('&').Append(name).Append(' ');

            // Usable once its node is written (now and then sooner: an alias inside its own anchor's node is an
            // error, which the fast reader must leave to YamlDotNet).
            if (!_clean && Chance(20))
            {
                _anchors.Add(name);
            }
            else
            {
                _pendingAnchors.Add((_depth, name));
                if (isMapping)
                {
                    _pendingMappingAnchors.Add((_depth, name));
                }
            }
        }

        if (Chance(12))
        {
            sb.Append(_random.Next(_clean ? 10 : 12) switch
            {
                0 or 1 => "!!str ",
                2 or 3 => "!custom ",
                4 => "!<tag:yaml.org,2002:int> ",
                5 => "! ",
                6 => "!!map ",
                7 => "!a/b.c~d ",
                8 => "!<!local> ",
                9 => "!!seq ",
                10 => "!<tag:x,> ",
                _ => "!e!x ",
            });
        }

        return sb.ToString();
    }

    private string Key() => _clean ? CleanKey() : AnyKey();

    private string CleanKey()
    {
        var key = AnyKey();
        return key is "<<" || key.Contains(": ", StringComparison.Ordinal) || key.EndsWith(':') ? "k" : key;
    }

    private string AnyKey() => _random.Next(10) switch
    {
        0 => "\"" + Word().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
        1 => "'" + Word().Replace("'", "''", StringComparison.Ordinal) + "'",
        2 => Word(),
        _ => Pick(["apiVersion", "kind", "metadata", "name", "spec", "containers", "image", "x", "y-z", "a.b/c", "é", "k 1"]),
    };

    private string InlineScalar(bool flow) => _random.Next(flow ? 6 : 8) switch
    {
        0 => DoubleQuoted(multiLine: false, 0),
        1 => SingleQuoted(multiLine: false, 0),
        _ => flow ? Pick(FlowSafeWords) : Word(),
    };

    private string Word() => !_clean && Chance(15) ? Pick(OddWords) : Pick(Words);

    private string DoubleQuoted(bool multiLine, int indent)
    {
        var sb = new StringBuilder("\"");
        var length = _random.Next(0, 12);
        for (var i = 0; i < length; i++)
        {
            switch (_random.Next(16))
            {
                case 0:
                    sb.Append(!_clean && Chance(20) ? Pick(["\\q", "\\ud800", "\\x4"]) : Pick(["\\n", "\\t", "\\\"", "\\\\", "\\/", "\\'", "\\0", "\\x41", "\\u00e9", "\\U0001F600", "\\N", "\\_", "\\e", "\\ "]));
                    break;
                case 1 when multiLine:
                    sb.Append(Chance(3) ? "\\\n" : "\n");
                    if (Chance(3))
                    {
                        sb.Append('\n');
                    }

                    // go-yaml takes continuation lines at any indentation, even left of the enclosing block.
                    sb.Append(' ', Chance(6) ? _random.Next(0, indent + 1) : Chance(5) ? indent : indent + _random.Next(1, 4));
                    break;
                case 2:
                    sb.Append(' ', _random.Next(1, 3));
                    break;
                case 3:
                    sb.Append(Pick(["é", "😀", "#", ":", "'", "\t", "- ", "---"]));
                    break;
                default:
                    sb.Append((char)('a' + _random.Next(26)));
                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    private string SingleQuoted(bool multiLine, int indent)
    {
        var sb = new StringBuilder("'");
        var length = _random.Next(0, 12);
        for (var i = 0; i < length; i++)
        {
            switch (_random.Next(12))
            {
                case 0:
                    sb.Append("''");
                    break;
                case 1 when multiLine:
                    sb.Append('\n');
                    if (Chance(3))
                    {
                        sb.Append(' ', _random.Next(0, 3)).Append('\n');
                    }

                    sb.Append(' ', indent + _random.Next(0, 3));
                    break;
                case 2:
                    sb.Append(' ', _random.Next(1, 3));
                    break;
                case 3:
                    sb.Append(Pick(["\\", "\"", "#", ": ", "é", "\t"]));
                    break;
                default:
                    sb.Append((char)('a' + _random.Next(26)));
                    break;
            }
        }

        return sb.Append('\'').ToString();
    }

    private void MultiLineScalar(StringBuilder sb, int indent, string props)
    {
        var inner = indent + Step();
        switch (_random.Next(3))
        {
            case 0:
                sb.Append(' ').Append(props).Append(DoubleQuoted(multiLine: true, inner)).Append('\n');
                break;
            case 1:
                sb.Append(' ').Append(props).Append(SingleQuoted(multiLine: true, inner)).Append('\n');
                break;
            default:
                // A plain scalar over several lines, perhaps starting on the line after the key.
                if (Chance(2))
                {
                    sb.Append(' ').Append(props).Append(Pick(["first", "a b", "x-y"]));
                }
                else
                {
                    sb.Append(props.Length > 0 ? " " + props.TrimEnd() : string.Empty).Append('\n').Append(' ', inner).Append("first");
                }

                var lines = _random.Next(1, 4);
                for (var i = 0; i < lines; i++)
                {
                    sb.Append(Chance(4) ? "  \n\n" : "\n");
                    sb.Append(' ', Chance(4) ? inner + _random.Next(0, 3) : inner).Append(_clean ? Pick(["more", "a b", "c#d", "- e", "[f]", "'q'"]) : Pick(["more", "a b", "c#d", "- e", "[f]", "g: h", "# not a comment?", "'q'"]));
                }

                TrailingComment(sb);
                sb.Append('\n');
                break;
        }
    }

    private void BlockScalar(StringBuilder sb, int indent)
    {
        sb.Append(Chance(2) ? '|' : '>');
        var chomp = Pick(["", "", "-", "+"]);
        var indicator = Chance(5) ? _random.Next(1, 4).ToString(CultureInfo.InvariantCulture) : string.Empty;
        sb.Append(Chance(2) ? chomp + indicator : indicator + chomp);
        if (Chance(5))
        {
            // go-yaml takes a comment right after the indicators too.
            sb.Append(Chance(4) ? "# header comment" : " # header comment");
        }

        sb.Append('\n');
        var inner = indicator.Length > 0 ? indent + int.Parse(indicator, CultureInfo.InvariantCulture) : indent + Step();
        var lines = _random.Next(0, 6);
        for (var i = 0; i < lines; i++)
        {
            switch (_random.Next(8))
            {
                case 0 when !_clean || i > 0:
                    sb.Append('\n');
                    break;
                case 1 when !_clean || i > 0:
                    sb.Append(' ', inner + _random.Next(1, 4)).Append("more indented\n");
                    break;
                case 2:
                    // Blank lines of spaces: before the first content line, go-yaml takes the deepest as the
                    // indentation (YamlDotNet rejects some of them).
                    sb.Append(' ', _clean && i == 0 ? _random.Next(0, inner + 1) : _random.Next(0, inner + 3)).Append('\n');
                    break;
                case 3:
                    sb.Append(' ', inner).Append("# not a comment\n");
                    break;
                case 4:
                    sb.Append(' ', inner).Append("\ttab first\n");
                    break;
                default:
                    sb.Append(' ', inner).Append(Pick(["text", "a b  c", "key: value", "- item", "é 😀", "trailing  "])).Append('\n');
                    break;
            }
        }

        if (Chance(4))
        {
            sb.Append('\n');
        }
    }

    private void Flow(StringBuilder sb, int indent, bool multiLine)
    {
        _depth++;
        var mapping = Chance(2);
        sb.Append(mapping ? '{' : '[');
        var count = _random.Next(0, _depth > 5 ? 2 : 5);
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
                if (multiLine && Chance(6))
                {
                    sb.Append(" # flow comment");
                }
            }

            FlowSpace(sb, indent, multiLine);
            if (mapping)
            {
                sb.Append(_random.Next(4) switch
                {
                    0 => "\"" + Pick(FlowSafeWords) + "\"",
                    1 => "'" + Pick(FlowSafeWords).Replace("'", "''", StringComparison.Ordinal) + "'",
                    _ => Pick(FlowSafeWords),
                });
                sb.Append(Chance(8) ? " :" : ":");
                if (Chance(8))
                {
                    // Empty value.
                    if (_clean)
                    {
                        sb.Append(' ');
                    }

                    continue;
                }

                sb.Append(' ');
            }

            FlowNode(sb, indent, multiLine);
        }

        if (count > 0 && Chance(8))
        {
            sb.Append(',');
        }

        FlowSpace(sb, indent, multiLine);
        sb.Append(mapping ? '}' : ']');
        _depth--;
    }

    private void FlowNode(StringBuilder sb, int indent, bool multiLine)
    {
        FlowNodeBody(sb, indent, multiLine);
        ReleaseAnchors();
    }

    private void FlowNodeBody(StringBuilder sb, int indent, bool multiLine)
    {
        var roll = _depth > 5 ? 0 : _random.Next(7);
        var props = roll == 3 ? string.Empty : Properties(anchor: !_clean);
        switch (roll)
        {
            case 0:
            case 1:
            case 2:
                sb.Append(props).Append(InlineScalar(flow: true));
                break;
            case 3:
                sb.Append(_anchors.Count > 0 ? "*" + Pick(_anchors) : "~");
                break;
            case 4:
                sb.Append(props).Append(Chance(2) ? DoubleQuoted(multiLine, indent) : SingleQuoted(multiLine, indent));
                break;
            default:
                sb.Append(props);
                Flow(sb, indent + (Chance(3) ? 2 : 0), multiLine);
                break;
        }
    }

    private void FlowSpace(StringBuilder sb, int indent, bool multiLine)
    {
        if (multiLine && Chance(2))
        {
            sb.Append('\n').Append(' ', !_clean && Chance(6) ? Math.Max(0, indent - 2) : indent);
        }
        else if (Chance(3))
        {
            sb.Append(Chance(8) ? "\t" : " ");
        }
    }

    private void TrailingComment(StringBuilder sb)
    {
        if (Chance(8))
        {
            sb.Append(!_clean && Chance(6) ? "\t# comment" : "  # comment: with - things");
        }
        else if (Chance(20))
        {
            sb.Append(' ');
        }
    }

    private void MaybeCommentLine(StringBuilder sb, int indent)
    {
        if (Chance(12))
        {
            sb.Append(' ', Chance(2) ? indent : _random.Next(0, indent + 4)).Append("# a comment line\n");
        }

        if (Chance(15))
        {
            sb.Append(Chance(3) ? "   \n" : "\n");
        }
    }
}

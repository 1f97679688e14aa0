using System.Text;

namespace Bulwark.Parsing.Dockerfile;

/// <summary>
/// A node of BuildKit's Dockerfile syntax tree (<c>parser.Node</c>). The root's <see cref="Children"/> are the
/// instructions; an instruction's <see cref="Value"/> is its keyword as written and its arguments follow as the
/// <see cref="Next"/> chain. ONBUILD holds its trigger as the single child of its first argument.
/// </summary>
public sealed class DockerfileNode
{
    private readonly List<DockerfileNode> _children = [];
    private readonly List<Heredoc> _heredocs = [];

    /// <summary>The keyword (instructions, as written), or the argument text.</summary>
    public string Value { get; internal set; } = string.Empty;

    /// <summary>The next argument.</summary>
    public DockerfileNode? Next { get; internal set; }

    public IReadOnlyList<DockerfileNode> Children => _children;

    /// <summary>Heredoc bodies that belong to this instruction, in the order they were read.</summary>
    public IReadOnlyList<Heredoc> Heredocs => _heredocs;

    /// <summary>True when the arguments were written as a JSON array (exec form).</summary>
    public bool IsJson { get; internal set; }

    /// <summary>The instruction's logical line: continuation lines joined, comments inside it removed.</summary>
    public string Original { get; internal set; } = string.Empty;

    /// <summary>Flags such as <c>--from=build</c>, as written (quotes removed).</summary>
    public IReadOnlyList<string> Flags { get; internal set; } = [];

    /// <summary>1-based line where the instruction starts.</summary>
    public int StartLine { get; internal set; }

    /// <summary>1-based line where it ends, heredoc bodies included.</summary>
    public int EndLine { get; internal set; }

    /// <summary>1-based column of the keyword on <see cref="StartLine"/> (0 for nodes that are not instructions).</summary>
    public int Column { get; internal set; }

    /// <summary>Comment lines directly above the instruction (without <c>#</c>).</summary>
    public IReadOnlyList<string> PrevComment { get; internal set; } = [];

    /// <summary>The keyword in upper case (<c>RUN</c>), for instruction nodes.</summary>
    public string Keyword => Value.ToUpperInvariant();

    /// <summary>The argument nodes (the <see cref="Next"/> chain).</summary>
    public IEnumerable<DockerfileNode> Arguments
    {
        get
        {
            for (var n = Next; n is not null; n = n.Next)
            {
                yield return n;
            }
        }
    }

    /// <summary>The argument values (the <see cref="Next"/> chain's values).</summary>
    public IReadOnlyList<string> ArgumentValues => [.. Arguments.Select(a => a.Value)];

    internal void AddChild(DockerfileNode child) => _children.Add(child);

    internal void AddHeredoc(Heredoc heredoc) => _heredocs.Add(heredoc);

    /// <summary>BuildKit's <c>Node.Dump()</c>: one S-expression per instruction, byte for byte.</summary>
    public string Dump()
    {
        var sb = new StringBuilder();
        DumpTo(sb);
        return sb.ToString().Trim(GoSpace);
    }

    private void DumpTo(StringBuilder sb)
    {
        var start = sb.Length;
        sb.Append(Value.ToLowerInvariant());
        if (Flags.Count > 0)
        {
            sb.Append(" [");
            for (var i = 0; i < Flags.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(' ');
                }

                GoQuote.Append(sb, Flags[i]);
            }

            sb.Append(']');
        }

        foreach (var child in _children)
        {
            sb.Append('(').Append(child.Dump()).Append(")\n");
        }

        for (var n = Next; n is not null; n = n.Next)
        {
            sb.Append(' ');
            if (n._children.Count > 0)
            {
                sb.Append(n.Dump());
            }
            else
            {
                GoQuote.Append(sb, n.Value);
            }
        }

        // Go trims the node's own text before the caller appends it.
        var text = sb.ToString(start, sb.Length - start).Trim(GoSpace);
        sb.Length = start;
        sb.Append(text);
    }

    /// <summary>Characters Go's <c>strings.TrimSpace</c> removes (Unicode White_Space).</summary>
    internal static readonly char[] GoSpace =
    [
        '\t', '\n', '\v', '\f', '\r', ' ', '\u0085', '\u00A0', '\u1680', '\u2000', '\u2001', '\u2002', '\u2003', '\u2004',
        '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200A', '\u2028', '\u2029', '\u202F', '\u205F', '\u3000',
    ];

    public override string ToString() => Dump();
}

/// <summary>A heredoc attached to RUN, COPY or ADD: its name (delimiter), file descriptor, whether its body is expanded, and its raw body.</summary>
public sealed record Heredoc(string Name, ulong FileDescriptor, bool Expand, bool Chomp, string Content)
{
    /// <summary>The body with leading tabs removed from every line when the heredoc was written <c>&lt;&lt;-</c>.</summary>
    public string EffectiveContent => Chomp ? ChompContent(Content) : Content;

    /// <summary>BuildKit's <c>ChompHeredocContent</c>: removes leading tabs from every line.</summary>
    public static string ChompContent(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var sb = new StringBuilder(content.Length);
        var lineStart = true;
        foreach (var c in content)
        {
            if (lineStart && c == '\t')
            {
                continue;
            }

            lineStart = c == '\n';
            sb.Append(c);
        }

        return sb.ToString();
    }
}

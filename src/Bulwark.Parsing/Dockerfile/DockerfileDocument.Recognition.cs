namespace Bulwark.Parsing.Dockerfile;

/// <summary>Recognising a Dockerfile by its name, and by its content when the name does not say.</summary>
public sealed partial class DockerfileDocument
{
    /// <summary>
    /// Extensions that make a <c>Dockerfile*</c> name something else: BuildKit's per-Dockerfile ignore file,
    /// documentation, scripts and code about Dockerfiles, data files and editor leftovers.
    /// </summary>
    private static readonly HashSet<string> NotDockerfileExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".dockerignore", ".md", ".markdown", ".rst", ".adoc", ".txt", ".html", ".sh", ".bash", ".ps1", ".bat", ".cmd",
        ".py", ".go", ".rs", ".js", ".ts", ".java", ".kt", ".cs", ".rb", ".pl", ".rego", ".json", ".yaml", ".yml",
        ".toml", ".xml", ".ini", ".lock", ".orig", ".rej", ".swp", ".patch", ".diff",
    };

    /// <summary>
    /// Names people give Dockerfiles: <c>Dockerfile</c> and <c>Containerfile</c> (any case), those words followed by
    /// anything (<c>Dockerfile.prod</c>, <c>Dockerfile-alpine</c>, <c>Dockerfile_dev</c>, <c>Dockerfile1.alpine</c>),
    /// or preceded by a separator (<c>prod.Dockerfile</c>, <c>build-dockerfile</c>), unless the extension makes the
    /// file something else (<c>Dockerfile.dockerignore</c>, <c>dockerfile_test.go</c>).
    /// </summary>
    public static bool IsDockerfileName(string path)
    {
        var name = System.IO.Path.GetFileName(path);
        var extension = System.IO.Path.GetExtension(name);
        if (extension.Length > 0 && NotDockerfileExtensions.Contains(extension))
        {
            return false;
        }

        foreach (var word in (string[])["dockerfile", "containerfile"])
        {
            if (name.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (name.EndsWith(word, StringComparison.OrdinalIgnoreCase) && name.Length > word.Length && name[^(word.Length + 1)] is '.' or '-' or '_')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when <paramref name="text"/> reads as a Dockerfile whatever the file is called: its first line that is
    /// not blank, a comment or a parser directive is <c>FROM [--flag…] IMAGE [AS NAME]</c> or <c>ARG NAME[=VALUE]…</c>,
    /// as BuildKit requires of a Dockerfile it builds. YAML, JSON, scripts and prose ("From the root, run…") never
    /// start that way.
    /// </summary>
    public static bool LooksLikeDockerfile(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var line in SignificantLines(text))
        {
            var words = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            var arguments = words.Skip(1).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
            return words[0].ToUpperInvariant() switch
            {
                "FROM" => arguments.Count == 1 || (arguments.Count == 3 && arguments[1].Equals("AS", StringComparison.OrdinalIgnoreCase)),
                "ARG" => arguments.Count > 0 && arguments.All(IsArgDeclaration),
                _ => false,
            };
        }

        return false;
    }

    private static bool IsArgDeclaration(string word)
    {
        var end = word.IndexOf('=', StringComparison.Ordinal);
        var name = end < 0 ? word : word[..end];
        return name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
    }

    /// <summary>
    /// True when some line of <paramref name="text"/> starts with a Dockerfile instruction: a file named like a
    /// Dockerfile is read as one (and its mistakes reported) unless nothing in it is an instruction at all (a Rego
    /// policy called <c>Dockerfile.rego</c>, a template of another language).
    /// </summary>
    public static bool HasInstructionLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var line in SignificantLines(text))
        {
            if (DockerfileSemantics.KnownInstructions.Contains(FirstWord(line).ToUpperInvariant()))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<string> SignificantLines(string text)
    {
        var start = text.StartsWith('\uFEFF') ? 1 : 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0)
            {
                end = text.Length;
            }

            var line = text.AsSpan(start, end - start).Trim();
            start = end + 1;
            if (line.Length > 0 && line[0] != '#')
            {
                yield return line.ToString();
            }
        }
    }

    /// <summary>The leading word of a line (up to whitespace; <c>FROM:</c> is not <c>FROM</c>).</summary>
    private static string FirstWord(string line)
    {
        var end = 0;
        while (end < line.Length && !char.IsWhiteSpace(line[end]))
        {
            end++;
        }

        return line[..end];
    }
}

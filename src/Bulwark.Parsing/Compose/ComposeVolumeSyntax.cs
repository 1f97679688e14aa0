using System.Text;

namespace Bulwark.Parsing.Compose;

/// <summary>A service volume in short syntax, read the way compose-go's <c>format.ParseVolume</c> reads it.</summary>
public sealed record ShortVolume
{
    /// <summary><c>bind</c> when the source is a path, else <c>volume</c> (named, or anonymous without a source).</summary>
    public required string Type { get; init; }

    public string Source { get; init; } = string.Empty;

    public string Target { get; init; } = string.Empty;

    public bool ReadOnly { get; init; }

    /// <summary>Bind propagation (<c>rprivate</c>, <c>private</c>, <c>rshared</c>, <c>shared</c>, <c>rslave</c>, <c>slave</c>).</summary>
    public string? Propagation { get; init; }

    /// <summary>SELinux relabelling: <c>z</c> (shared) or <c>Z</c> (private).</summary>
    public string? SeLinux { get; init; }

    public bool NoCopy { get; init; }

    /// <summary>Short syntax binds create a missing host path (legacy docker-compose behaviour).</summary>
    public bool CreateHostPath => Type == "bind";
}

/// <summary>Parses <c>[SOURCE:]TARGET[:MODE]</c> volume strings.</summary>
public static class ComposeVolumeSyntax
{
    private static readonly string[] Propagations = ["rprivate", "private", "rshared", "shared", "rslave", "slave"];

    /// <summary>
    /// Splits at colons that are neither a Windows drive letter's nor inside <c>${...}</c>; the mode is a comma list
    /// of <c>ro</c>, <c>rw</c>, <c>nocopy</c>, <c>z</c>, <c>Z</c> and propagation modes (others are ignored).
    /// Returns null with an error message for empty specs, empty sections and too many colons.
    /// </summary>
    public static ShortVolume? Parse(string spec, out string? error)
    {
        error = null;
        switch (Encoding.UTF8.GetByteCount(spec))
        {
            case 0:
                error = "invalid empty volume spec";
                return null;
            case 1 or 2:
                return new ShortVolume { Type = "volume", Target = spec };
        }

        var fields = new Fields();
        var buffer = new StringBuilder();
        var bufferRunes = 0;
        var firstRune = default(Rune);
        var inSubstitution = 0;
        var runes = spec.EnumerateRunes().ToList();
        runes.Add(new Rune(0));
        for (var i = 0; i < runes.Count; i++)
        {
            var rune = runes[i];
            var isEnd = i == runes.Count - 1;
            if (!isEnd && rune.Value == '$' && i + 1 < runes.Count - 1 && runes[i + 1].Value == '{')
            {
                inSubstitution++;
                Append(rune);
                continue;
            }

            if (!isEnd && rune.Value == '}' && inSubstitution > 0)
            {
                inSubstitution--;
                Append(rune);
                continue;
            }

            if (!isEnd && rune.Value == ':' && bufferRunes == 1 && Rune.IsLetter(firstRune))
            {
                Append(rune);
            }
            else if ((isEnd || rune.Value == ':') && inSubstitution == 0)
            {
                if (Populate(isEnd, buffer.ToString(), bufferRunes, fields) is { } problem)
                {
                    error = $"invalid spec: {spec}: {problem}";
                    return null;
                }

                buffer.Clear();
                bufferRunes = 0;
            }
            else if (!isEnd)
            {
                Append(rune);
            }
        }

        return fields.ToVolume();

        void Append(Rune rune)
        {
            if (bufferRunes == 0)
            {
                firstRune = rune;
            }

            buffer.Append(rune.ToString());
            bufferRunes++;
        }
    }

    /// <summary>
    /// A path source makes a bind mount: it starts with <c>.</c>, <c>/</c> or <c>~</c>, is a Windows named pipe
    /// (<c>\\</c>) or starts with a drive letter and a colon.
    /// </summary>
    public static bool IsFilePath(string source)
    {
        if (source.Length == 0)
        {
            return false;
        }

        if (source[0] is '.' or '/' or '~' || source.StartsWith(@"\\", StringComparison.Ordinal))
        {
            return true;
        }

        var first = Rune.GetRuneAt(source, 0);
        var next = first.Utf16SequenceLength;
        return next < source.Length && source[next] == ':' && Rune.IsLetter(first);
    }

    private sealed class Fields
    {
        public string Source { get; set; } = string.Empty;

        public string Target { get; set; } = string.Empty;

        public bool ReadOnly { get; set; }

        public string? Propagation { get; set; }

        public string? SeLinux { get; set; }

        public bool NoCopy { get; set; }

        public ShortVolume ToVolume() => new()
        {
            Type = IsFilePath(Source) ? "bind" : "volume",
            Source = Source,
            Target = Target,
            ReadOnly = ReadOnly,
            Propagation = Propagation,
            SeLinux = SeLinux,
            NoCopy = NoCopy,
        };
    }

    private static string? Populate(bool atEnd, string buffer, int runes, Fields fields)
    {
        if (runes == 0)
        {
            return "empty section between colons";
        }

        if (fields.Source.Length == 0 && atEnd)
        {
            fields.Target = buffer;
            return null;
        }

        if (fields.Source.Length == 0)
        {
            fields.Source = buffer;
            return null;
        }

        if (fields.Target.Length == 0)
        {
            fields.Target = buffer;
            return null;
        }

        if (!atEnd)
        {
            return "too many colons";
        }

        foreach (var option in buffer.Split(','))
        {
            switch (option)
            {
                case "ro":
                    fields.ReadOnly = true;
                    break;
                case "rw":
                    fields.ReadOnly = false;
                    break;
                case "nocopy":
                    fields.NoCopy = true;
                    break;
                case "z" or "Z":
                    fields.SeLinux = option;
                    break;
                default:
                    if (Propagations.Contains(option, StringComparer.Ordinal))
                    {
                        fields.Propagation = option;
                    }

                    break;
            }
        }

        return null;
    }
}

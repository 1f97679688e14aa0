using System.Text;
using System.Text.RegularExpressions;
using Bulwark.Images.Layers;

namespace Bulwark.Images.Packages;

/// <summary>
/// The build information the Go toolchain embeds in every binary it links (<c>go version -m</c> prints it): the Go
/// version, the main module, and each module dependency with the replacement that stood in for it. Any executable
/// regular file may be a Go binary; an ELF one is read forward once for the <c>\xff Go buildinf:</c> header (16-byte
/// aligned in the data segment), which since Go 1.18 (flag 2) is followed by the version and module text inline, each
/// a varint length and bytes. Older binaries hold pointers into the image instead, which a forward read cannot follow:
/// they get a problem, not packages. Packages are as Trivy reports them: <c>stdlib</c> at the Go version with a
/// <c>v</c> (<c>go1.19.8</c> → <c>v1.19.8</c>), a replaced dependency under its replacement's path and version, and
/// <c>(devel)</c> — a module built from its own source tree — as no version; unlike Trivy, a dependency replaced by a
/// local folder keeps its module path (with no version) rather than taking the folder's as its name. A <c>(devel)</c>
/// main module takes the version its build passed to the linker (<c>-ldflags "-X main.version=1.4.0"</c>), as in Trivy.
/// </summary>
public static partial class GoBuildInfo
{
    /// <summary>Largest binary read (the image reader offers none over <see cref="ImageReadOptions.MaxFileContentSize"/>).</summary>
    public const long MaxBinaryBytes = 512L * 1024 * 1024;

    /// <summary>The smallest Go binary the toolchain links (stripped) is over a megabyte; below this no file is read.</summary>
    public const long MinBinaryBytes = 256 * 1024;

    // The module text of a binary with a few hundred dependencies is tens of KB; the version string a few dozen bytes.
    private const int MaxVersionBytes = 1024;
    private const int MaxModuleInfoBytes = 4 * 1024 * 1024;

    private const int HeaderSize = 32;
    private const byte InlineStrings = 0x2;
    private static readonly byte[] Magic = [0xff, .. " Go buildinf:"u8];
    private static readonly byte[] Elf = [0x7f, (byte)'E', (byte)'L', (byte)'F'];

    private const UnixFileMode Executable = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>The Go version and module text embedded in a binary.</summary>
    public sealed record Info(string GoVersion, string ModuleInfo);

    public static bool MayBeGoBinary(LayerEntry entry) =>
        entry.Kind == LayerEntryKind.File && (entry.Mode & Executable) != 0 && entry.Size is >= MinBinaryBytes and <= MaxBinaryBytes;

    public static List<InstalledPackage> Read(string path, Stream content, List<string> problems)
    {
        var info = Find(content, out var problem);
        if (problem is not null)
        {
            problems.Add($"{path}: {problem}");
        }

        return info is null ? [] : Packages(path, info, problems);
    }

    /// <summary>
    /// The build information in <paramref name="content"/>, read forward only; null when it is not an ELF Go binary
    /// (no problem then: most executables are not), or when it is one this reader cannot read (a problem saying why).
    /// </summary>
    public static Info? Find(Stream content, out string? problem)
    {
        problem = null;
        var reader = new ForwardReader(content);
        if (!reader.Ensure(Elf.Length) || !reader.Available.StartsWith(Elf))
        {
            return null;
        }

        // The header is 16-byte aligned in the file as in memory (segments keep their offset modulo the page size).
        while (true)
        {
            var found = reader.Available.IndexOf(Magic);
            while (found >= 0 && (reader.Offset + found) % 16 != 0)
            {
                var next = reader.Available[(found + 1)..].IndexOf(Magic);
                found = next < 0 ? -1 : found + 1 + next;
            }

            if (found >= 0)
            {
                reader.Skip(found);
                break;
            }

            // Keep the tail that may hold the start of a header split across two reads.
            reader.Skip(Math.Max(0, reader.Available.Length - Magic.Length + 1));
            if (!reader.ReadMore())
            {
                return null;
            }
        }

        if (!reader.Ensure(HeaderSize))
        {
            problem = "Go build information cut short";
            return null;
        }

        var flags = reader.Available[15];
        if ((flags & InlineStrings) == 0)
        {
            problem = "a Go binary built before Go 1.18 (its build information is pointers into the program, not read)";
            return null;
        }

        reader.Skip(HeaderSize);
        var version = reader.ReadString(MaxVersionBytes);
        var modules = version is null ? null : reader.ReadString(MaxModuleInfoBytes);
        if (version is null || modules is null)
        {
            problem = "Go build information cut short or larger than it can be";
            return null;
        }

        return new Info(version, TrimSentinels(modules));
    }

    /// <summary>
    /// <c>path</c>, <c>mod</c> (the main module), <c>dep</c> and <c>=&gt;</c> (a replacement of the line above),
    /// <c>build</c> lines, tab-separated, as <c>go version -m</c> prints them.
    /// </summary>
    public static List<InstalledPackage> Packages(string path, Info info, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(info);
        var packages = new List<InstalledPackage>();
        var goVersion = info.GoVersion.StartsWith("go", StringComparison.Ordinal) ? info.GoVersion[2..].Split(' ')[0] : null;
        if (!string.IsNullOrEmpty(goVersion))
        {
            packages.Add(Module(path, "stdlib", "v" + goVersion));
        }
        else
        {
            problems.Add($"{path}: Go version \"{info.GoVersion}\" is not a release; the standard library is not listed");
        }

        var main = -1;
        string? ldflags = null;
        foreach (var line in info.ModuleInfo.Split('\n'))
        {
            var fields = line.Split('\t');
            switch (fields[0])
            {
                case "mod" or "dep" when fields.Length >= 2 && fields[1].Length > 0:
                    main = fields[0] == "mod" ? packages.Count : main;
                    packages.Add(Module(path, fields[1], fields.Length >= 3 ? fields[2] : string.Empty));
                    break;
                case "build" when fields.Length >= 2 && fields[1].StartsWith("-ldflags=", StringComparison.Ordinal):
                    ldflags = Unquote(fields[1]["-ldflags=".Length..]);
                    break;
                case "=>" when fields.Length >= 2 && fields[1].Length > 0 && packages.Count > 1:
                    // A replacement by a local folder (./x, ../x, /x) is not a module anyone publishes: the module keeps
                    // its path, but not the version it required, which is not the code that was built.
                    packages[^1] = IsLocalPath(fields[1])
                        ? packages[^1] with { Version = string.Empty }
                        : Module(path, fields[1], fields.Length >= 3 ? fields[2] : string.Empty);
                    break;
            }
        }

        // Only `go install module@version` stamps the main module's version; other builds say (devel) and often pass the
        // version to the linker instead (-X main.version=1.4.0), which Trivy then reports, and so does this.
        if (main >= 0 && (packages[main].Version.Length == 0 || packages[main].Version.StartsWith("v0.0.0", StringComparison.Ordinal))
            && ldflags is not null && LinkerVersion(packages[main].Name, ldflags) is { } stamped)
        {
            packages[main] = packages[main] with { Version = stamped };
        }

        return packages;
    }

    /// <summary>
    /// The version a <c>-X importpath.name=value</c> linker flag sets, as Trivy chooses it: among the variables named
    /// <c>*.version</c> or <c>*.ver</c> with a semantic-version value, those of the module's own <c>cmd/</c> packages,
    /// else of a package named main, common, version or cmd, else any; none when that first group holds two.
    /// </summary>
    private static string? LinkerVersion(string module, string ldflags)
    {
        var groups = new List<string>[] { [], [], [] };
        var words = Words(ldflags);
        for (var i = 0; i < words.Count; i++)
        {
            var assignment = words[i] switch
            {
                "-X" or "--X" when i + 1 < words.Count => words[++i],
                var w when w.StartsWith("-X=", StringComparison.Ordinal) => w[3..],
                var w when w.StartsWith("--X=", StringComparison.Ordinal) => w[4..],
                _ => null,
            };
            var equals = assignment?.IndexOf('=', StringComparison.Ordinal) ?? -1;
            if (equals <= 0)
            {
                continue;
            }

            var key = assignment![..equals].TrimStart('\'');
            var value = assignment[(equals + 1)..].TrimEnd('\'');
            if (!(key.EndsWith(".version", StringComparison.OrdinalIgnoreCase) || key.EndsWith(".ver", StringComparison.OrdinalIgnoreCase)) || !SemanticVersion().IsMatch(value))
            {
                continue;
            }

            var package = key[(key.LastIndexOf('/') + 1)..].Split('.')[0].ToLowerInvariant();
            var group = key.StartsWith(module + "/cmd/", StringComparison.Ordinal) ? 0 : package is "main" or "common" or "version" or "cmd" ? 1 : 2;
            if (!groups[group].Contains(value))
            {
                groups[group].Add(value);
            }
        }

        var first = Array.Find(groups, g => g.Count > 0);
        return first is [var only] ? only : null;
    }

    /// <summary>A command line split as a POSIX shell would: blanks separate, quotes group, a backslash escapes.</summary>
    private static List<string> Words(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote is null && char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }

                continue;
            }

            inWord = true;
            if (c == quote)
            {
                quote = null;
            }
            else if (quote is null && c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '\\' && quote != '\'' && i + 1 < line.Length)
            {
                word.Append(line[++i]);
            }
            else
            {
                word.Append(c);
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    /// <summary>A build setting's value, which Go writes as a quoted string when it holds blanks or quotes.</summary>
    private static string Unquote(string value)
    {
        if (value.Length < 2 || value[0] != '"' || value[^1] != '"')
        {
            return value;
        }

        var text = new StringBuilder();
        for (var i = 1; i < value.Length - 1; i++)
        {
            text.Append(value[i] == '\\' && i + 2 < value.Length ? Escaped(value[++i]) : value[i]);
        }

        return text.ToString();

        static char Escaped(char c) => c switch { 'n' => '\n', 't' => '\t', 'r' => '\r', _ => c };
    }

    [GeneratedRegex(@"^v?(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*)){0,2}(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex SemanticVersion();

    private static bool IsLocalPath(string path) => path.StartsWith("./", StringComparison.Ordinal) || path.StartsWith("../", StringComparison.Ordinal) || path.StartsWith('/');

    private static InstalledPackage Module(string path, string name, string version) => new()
    {
        Type = "golang",
        Name = name,
        Version = version == "(devel)" ? string.Empty : version,
        RecordedIn = path,
    };

    /// <summary>The module text is framed by 16 bytes of sentinel on each side (<c>debug/buildinfo</c> strips them so).</summary>
    private static string TrimSentinels(string modules) =>
        modules.Length >= 33 && modules[^17] == '\n' ? modules[16..^16] : modules;

    /// <summary>A stream read forward through a window that grows only as far as a caller asks.</summary>
    private sealed class ForwardReader(Stream stream)
    {
        private byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;
        private bool _ended;

        /// <summary>The file offset of <see cref="Available"/>'s first byte.</summary>
        public long Offset { get; private set; }

        public ReadOnlySpan<byte> Available => _buffer.AsSpan(_start, _end - _start);

        public void Skip(int count)
        {
            _start += count;
            Offset += count;
        }

        /// <summary>Reads at least one more byte into the window; false at the end of the stream.</summary>
        public bool ReadMore()
        {
            if (_ended)
            {
                return false;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var read = stream.Read(_buffer, _end, _buffer.Length - _end);
            _ended = read == 0;
            _end += read;
            return read > 0;
        }

        public bool Ensure(int count)
        {
            while (_end - _start < count)
            {
                if (!ReadMore())
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>A varint length and that many bytes of UTF-8; null when cut short or longer than <paramref name="max"/>.</summary>
        public string? ReadString(int max)
        {
            ulong length = 0;
            for (var shift = 0; ; shift += 7)
            {
                if (shift > 63 || !Ensure(1))
                {
                    return null;
                }

                var b = Available[0];
                Skip(1);
                length |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80)
                {
                    break;
                }
            }

            if (length > (ulong)max || !Ensure((int)length))
            {
                return null;
            }

            var text = Encoding.UTF8.GetString(Available[..(int)length]);
            Skip((int)length);
            return text;
        }
    }
}

using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.Images.Versions;
using Bulwark.Parsing.Documents;

namespace Bulwark.Images.Vulnerabilities;

/// <summary>
/// Alpine's secdb (<c>secdb.alpinelinux.org/v3.NN/{main,community}.json</c>) and its YAML twin (the archived
/// alpine-secdb repository): <c>{distroversion, reponame, packages: [{pkg: {name, secfixes: {"fixed version": [ids]}}}]}</c>.
/// The name is the origin package (<c>openssl</c>, not <c>libcrypto1.1</c>); every entry is a fix, so a package is
/// affected below the version it is listed under, and version <c>"0"</c> means it never was. One advisory per
/// vulnerability per file; aquasecurity's per-package files (<c>{name, secfixes, distroversion}</c>) are read too.
/// </summary>
/// <remarks>
/// The entries come from APKBUILD comments, written by hand: <c>"CVE-2017-5753 CVE-2017-5715 XSA-254"</c>, trailing
/// spaces, <c>"CVE-2018-14879 (tcpdump -V)"</c>, <c>"CVE_2019-2426"</c>, <c>"CVE-2017-8073.patch"</c>,
/// <c>"CVE-2017-17434-1"</c> (a first part of the fix). Each CVE in an entry is an advisory; the entry's other ids
/// (XSA-, TALOS-, ZBX-, wnpa-sec-) become its aliases, or the advisory's id when the entry names no CVE. An entry
/// with no id at all is reported.
/// </remarks>
public sealed partial class AlpineSecdbFormat : IAdvisoryFormat
{
    public const string SourceName = "alpine-secdb";

    public string Name => SourceName;

    [GeneratedRegex(@"CVE[-_ ]?([0-9]{4})-([0-9]{4,})", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Cve();

    // Another tracker's id: letters, then dash-separated parts, the last one with a digit (XSA-254, TALOS-2017-0499,
    // wnpa-sec-2017-21); a bare word such as XPTI is a name, not an id.
    [GeneratedRegex(@"\A[A-Za-z]+(-[A-Za-z]+)*(-[0-9][A-Za-z0-9]*)+\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex OtherId();

    [GeneratedRegex(@"\([^)]*\)?", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Comment();

    [GeneratedRegex(@"^(distroversion|apkurl|urlprefix):", RegexOptions.CultureInvariant | RegexOptions.Multiline, matchTimeoutMilliseconds: 1000)]
    private static partial Regex YamlSecdbKey();

    /// <summary>
    /// JSON with a top-level <c>distroversion</c>, <c>apkurl</c>, <c>urlprefix</c> or <c>secfixes</c> member; YAML
    /// (<c>.yaml</c>, <c>.yml</c>) with a top-level <c>distroversion:</c>, <c>apkurl:</c> or <c>urlprefix:</c> line.
    /// OSV records have none of these.
    /// </summary>
    public bool Recognizes(string fileName, ReadOnlySpan<byte> head)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        if (fileName.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return YamlSecdbKey().IsMatch(Encoding.UTF8.GetString(JsonHead.WithoutBom(head)));
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        }

        return JsonHead.TopLevelMembers(head).Any(member => member.Name switch
        {
            "distroversion" or "apkurl" or "urlprefix" => member.ValueType == JsonTokenType.String,
            "secfixes" => member.ValueType == JsonTokenType.StartObject,
            _ => false,
        });
    }

    public IEnumerable<Advisory> Read(Stream content, string file, ICollection<ImportProblem> invalid)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(invalid);
        var limits = DocumentLimits.Default;
        var bytes = SourceFile.ReadBytes(file, content, limits, out var error)
            ?? throw new InvalidDataException($"{file}: {error!.Message}");
        var source = SourceFile.Parse(file, bytes, limits, json: null);
        if (!source.IsComplete || source.Documents.Count == 0)
        {
            var why = source.Errors.FirstOrDefault();
            throw new InvalidDataException(why is null ? $"{file}: empty" : $"{file}:{why.Line}: {why.Message}");
        }

        foreach (var problem in source.Errors)
        {
            invalid.Add(new ImportProblem(file, problem.Line, problem.Message));
        }

        if (source.Documents.Count > 1)
        {
            invalid.Add(new ImportProblem(file, null, $"{source.Documents.Count} documents; only the first is read"));
        }

        var root = source.Documents[0].Root as DocMapping
            ?? throw new InvalidDataException($"{file}: not an Alpine secdb file: the top level is not a mapping");
        var branch = root.Scalar("distroversion")?.Value.Trim();
        if (string.IsNullOrEmpty(branch))
        {
            throw new InvalidDataException($"{file}: no distroversion: the Alpine branch these fixes are for is unknown");
        }

        var ecosystem = Ecosystems.Alpine(branch);
        var advisories = new Dictionary<string, AdvisoryBuilder>(StringComparer.Ordinal);
        foreach (var package in Packages(root, file, invalid))
        {
            ReadPackage(package, ecosystem, file, advisories, invalid);
        }

        return advisories.Values.Select(builder => builder.Build(ecosystem)).ToList();
    }

    private static IEnumerable<DocMapping> Packages(DocMapping root, string file, ICollection<ImportProblem> invalid)
    {
        // aquasecurity/vuln-list keeps one package per file, its members at the top level.
        if (root["packages"] is null && root["secfixes"] is not null)
        {
            yield return root;
            yield break;
        }

        switch (root["packages"])
        {
            case DocSequence list:
                foreach (var item in list.Items)
                {
                    if (item.Mapping("pkg") is { } package)
                    {
                        yield return package;
                    }
                    else
                    {
                        invalid.Add(new ImportProblem(file, item.Line, "a packages entry without a pkg mapping"));
                    }
                }

                break;
            case DocMapping { Entries.Count: 0 }:
            case null:
            case DocScalar { IsNull: true }:
                // A repository with no fixes: the JSON generator writes an empty object for it.
                break;
            case var other:
                invalid.Add(new ImportProblem(file, other.Line, "\"packages\" is not a list; no package read"));
                break;
        }
    }

    private static void ReadPackage(DocMapping package, string ecosystem, string file, Dictionary<string, AdvisoryBuilder> advisories, ICollection<ImportProblem> invalid)
    {
        var name = package.Scalar("name")?.Value.Trim();
        if (string.IsNullOrEmpty(name))
        {
            invalid.Add(new ImportProblem(file, package.Line, "a package without a name"));
            return;
        }

        switch (package["secfixes"])
        {
            case DocMapping secfixes:
                foreach (var entry in secfixes.Entries)
                {
                    ReadFix(name, entry, ecosystem, file, advisories, invalid);
                }

                break;
            case null:
            case DocScalar { IsNull: true }:
                break;
            case var other:
                invalid.Add(new ImportProblem(file, other.Line, $"{name}: \"secfixes\" is not a mapping of versions"));
                break;
        }
    }

    private static void ReadFix(
        string package, DocEntry entry, string ecosystem, string file, Dictionary<string, AdvisoryBuilder> advisories, ICollection<ImportProblem> invalid)
    {
        var version = entry.KeyText?.Trim();
        if (string.IsNullOrEmpty(version) || (version != "0" && !ApkVersion.IsValid(version)))
        {
            invalid.Add(new ImportProblem(file, entry.Key.Line, $"{package}: \"{version}\" is not an apk version"));
            return;
        }

        var items = entry.Value switch
        {
            DocSequence sequence => sequence.Items,
            DocScalar { IsNull: true } => [],
            DocScalar scalar => [scalar],
            _ => null,
        };
        if (items is null)
        {
            invalid.Add(new ImportProblem(file, entry.Value.Line, $"{package} {version}: expected a list of vulnerability ids"));
            return;
        }

        foreach (var item in items)
        {
            if (item is not DocScalar { IsNull: false } text)
            {
                invalid.Add(new ImportProblem(file, item.Line, $"{package} {version}: an entry that is not text"));
                continue;
            }

            var (cves, others) = Identifiers(text.Value);
            if (cves.Count == 0 && others.Count == 0)
            {
                invalid.Add(new ImportProblem(file, item.Line, $"{package} {version}: no vulnerability id in \"{Shorten(text.Value.Trim())}\""));
                continue;
            }

            // An entry naming only another tracker's id (XSA-207) is that id's advisory; otherwise each CVE is one,
            // with the entry's other ids as aliases.
            foreach (var id in cves.Count > 0 ? cves : [others[0]])
            {
                if (!advisories.TryGetValue(id, out var advisory))
                {
                    advisory = new AdvisoryBuilder(id);
                    advisories.Add(id, advisory);
                }

                advisory.Aliases.UnionWith(cves.Count > 0 ? others : others.Skip(1));
                advisory.Fix(package, version);
            }
        }
    }

    /// <summary>The CVEs (normalised to <c>CVE-YYYY-N</c>) and other ids an entry names, each once, in order.</summary>
    internal static (List<string> Cves, List<string> Others) Identifiers(string entry)
    {
        var cves = new List<string>();
        var others = new List<string>();
        var text = Comment().Replace(entry, " ");
        foreach (Match match in Cve().Matches(text))
        {
            var cve = $"CVE-{match.Groups[1].Value}-{match.Groups[2].Value}";
            if (!cves.Contains(cve))
            {
                cves.Add(cve);
            }
        }

        foreach (var word in Cve().Replace(text, " ").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var id = word.TrimEnd(',', ';', '.');
            if (OtherId().IsMatch(id) && !others.Contains(id))
            {
                others.Add(id);
            }
        }

        return (cves, others);
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";

    private sealed class AdvisoryBuilder(string id)
    {
        public SortedSet<string> Aliases { get; } = new(StringComparer.Ordinal);

        // Per origin package, in the order first seen: the version that fixes it, or "0" for never affected.
        private readonly Dictionary<string, string> _fixes = new(StringComparer.Ordinal);
        private readonly List<string> _order = [];

        /// <summary>
        /// Records a fix. A package listed under several versions for one id was fixed again (an incomplete first fix):
        /// the last fix counts, and a real version over "0" (they contradict; affected is the safe reading).
        /// </summary>
        public void Fix(string package, string version)
        {
            if (!_fixes.TryGetValue(package, out var known))
            {
                _fixes.Add(package, version);
                _order.Add(package);
            }
            else if (known == "0" || (version != "0" && ApkVersion.Compare(version, known) > 0))
            {
                _fixes[package] = version;
            }
        }

        public Advisory Build(string ecosystem) => new()
        {
            Id = id,
            Source = SourceName,
            Aliases = [.. Aliases.Where(alias => alias != id)],
            Affected = [.. _order.Where(package => _fixes[package] != "0").Select(package => new AffectedPackage
            {
                Ecosystem = ecosystem,
                Name = Ecosystems.NormalizeName(ecosystem, package),
                Ranges = [new AffectedRange(RangeKind.Ecosystem, [new(RangeEventKind.Introduced, "0"), new(RangeEventKind.Fixed, _fixes[package])])],
            })],
        };
    }
}

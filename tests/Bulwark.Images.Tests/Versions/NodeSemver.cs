using System.Text.Json;

namespace Bulwark.Images.Tests.Versions;

/// <summary>
/// node-semver, the reference npm itself uses, installed from the npm registry into a temporary _folder once per test
/// class. One node process answers a whole batch of questions, so thousands of cases cost one start.
/// </summary>
public sealed class NodeSemver : IDisposable
{
    private const string Script = """
        const semver = require(process.argv[2]);
        const input = JSON.parse(require('fs').readFileSync(process.argv[3], 'utf8'));
        const out = {
          compare: input.compare.map(([a, b]) => semver.compare(a, b, { loose: true })),
          satisfies: input.satisfies.map(([v, r]) => { try { return semver.satisfies(v, r); } catch { return false; } }),
        };
        process.stdout.write(JSON.stringify(out));
        """;

    /// <summary>Pinned: node-semver's edge cases move between releases (7.8 began refusing "1.x.3").</summary>
    public const string Version = "7.8.6";

    private readonly TempFolder _folder = new();
    private string? _module;

    /// <summary>Installs node-semver on first use; skips (or fails under BULWARK_REQUIRE_TOOLS=1) without node and npm.</summary>
    private string Module()
    {
        ImageTools.Require(ImageTools.Missing("node", "npm"), "nodejs npm");
        if (_module is null)
        {
            ImageTools.Run(TimeSpan.FromMinutes(5), "npm", "install", "--no-audit", "--no-fund", "--prefix", _folder.Path, "semver@" + Version);
            _module = Path.Combine(_folder.Path, "node_modules", "semver");
            File.WriteAllText(_folder["ask.js"], Script);
        }

        return _module;
    }

    public (int[] Compare, bool[] Satisfies) Ask(IReadOnlyList<(string A, string B)> compare, IReadOnlyList<(string Version, string Range)> satisfies)
    {
        var semver = Module();
        var input = _folder["input.json"];
        File.WriteAllText(input, JsonSerializer.Serialize(new
        {
            compare = compare.Select(c => new[] { c.A, c.B }),
            satisfies = satisfies.Select(s => new[] { s.Version, s.Range }),
        }));
        using var answer = JsonDocument.Parse(ImageTools.Run("node", _folder["ask.js"], semver, input));
        return (
            [.. answer.RootElement.GetProperty("compare").EnumerateArray().Select(e => e.GetInt32())],
            [.. answer.RootElement.GetProperty("satisfies").EnumerateArray().Select(e => e.GetBoolean())]);
    }

    public void Dispose() => _folder.Dispose();
}

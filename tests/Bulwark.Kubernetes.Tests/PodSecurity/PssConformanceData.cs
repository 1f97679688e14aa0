using Bulwark.TestSupport;

namespace Bulwark.Kubernetes.Tests.PodSecurity;

/// <summary>One row of <c>conformance/pss/index.tsv</c>: a fixture pod and the verdict upstream expects.</summary>
public sealed record PssFixture(string Path, string Level, string Version, bool ExpectAllowed, string CheckId)
{
    public override string ToString() => Path;
}

/// <summary>Reads the upstream pod-security-admission fixtures' index (4,537 pods) in place.</summary>
internal static class PssConformanceData
{
    public const int ExpectedRows = 4537;

    /// <summary>The fixture folder, or null with a message saying where it was looked for.</summary>
    public static string? Folder(out string message)
    {
        string shared;
        try
        {
            shared = RepositoryPaths.Shared;
        }
        catch (DirectoryNotFoundException ex)
        {
            message = "PSS conformance data not found: " + ex.Message;
            return null;
        }

        var folder = System.IO.Path.Combine(shared, "conformance", "pss");
        if (!File.Exists(System.IO.Path.Combine(folder, "index.tsv")))
        {
            message = $"PSS conformance data not found: {System.IO.Path.Combine(folder, "index.tsv")} does not exist";
            return null;
        }

        message = folder;
        return folder;
    }

    public static List<PssFixture> ReadIndex(string folder)
    {
        var rows = new List<PssFixture>();
        var lines = File.ReadAllLines(System.IO.Path.Combine(folder, "index.tsv"));
        foreach (var line in lines.Skip(1))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var cells = line.Split('\t');
            if (cells.Length < 5)
            {
                throw new InvalidDataException($"index.tsv: malformed row \"{line}\"");
            }

            var expected = cells[3] switch
            {
                "allow" => true,
                "deny" => false,
                _ => throw new InvalidDataException($"index.tsv: unknown expectation \"{cells[3]}\" in \"{line}\""),
            };
            rows.Add(new PssFixture(cells[0], cells[1], cells[2], expected, cells[4]));
        }

        return rows;
    }
}

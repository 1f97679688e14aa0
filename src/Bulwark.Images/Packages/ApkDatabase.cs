namespace Bulwark.Images.Packages;

/// <summary>
/// Alpine's package database, <c>lib/apk/db/installed</c>: one record per package of one-letter keys — <c>P</c> name,
/// <c>V</c> version, <c>A</c> architecture, <c>o</c> origin (the source package Alpine's secdb is keyed by), <c>L</c>
/// licence. Every record in the file is installed.
/// </summary>
public static class ApkDatabase
{
    public const string InstalledFile = "lib/apk/db/installed";

    public static List<InstalledPackage> Read(string path, string text, List<string> problems)
    {
        var packages = new List<InstalledPackage>();
        foreach (var record in ControlParagraphs.Read(text, ':', continuations: false))
        {
            var name = Value(record, "P");
            var version = Value(record, "V");
            if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(version))
            {
                problems.Add($"{path}:{record.Line}: a package record without {(string.IsNullOrEmpty(name) ? "P: (name)" : "V: (version)")}; skipped");
                continue;
            }

            packages.Add(new InstalledPackage
            {
                Type = "apk",
                Name = name,
                Version = version,
                Architecture = Value(record, "A"),
                SourceName = Value(record, "o") is { Length: > 0 } origin ? origin : name,
                License = Value(record, "L"),
                RecordedIn = path,
                Line = record.Line,
            });
        }

        return packages;
    }

    // apk's keys are case-sensitive single letters (o is origin, O is the owner of a file): no case folding here.
    private static string? Value(ControlParagraphs.Paragraph record, string key) =>
        record.Fields.FirstOrDefault(f => string.Equals(f.Key, key, StringComparison.Ordinal)).Value;
}

namespace Bulwark.Images.Packages;

/// <summary>
/// Debian's package database: <c>var/lib/dpkg/status</c>, and distroless images' <c>var/lib/dpkg/status.d/*</c> (one
/// file per package, same format). A package counts when dpkg would call it installed: its <c>Status</c> ends in
/// <c>installed</c> (not <c>config-files</c> or <c>half-installed</c>, which <c>dpkg-query -W</c> also lists). A record
/// without <c>Status</c> is not installed in dpkg's own file (dpkg reads it so), but is in a <c>status.d</c> file:
/// distroless writes only installed packages there, some without the field.
/// </summary>
public static class DpkgDatabase
{
    public const string StatusFile = "var/lib/dpkg/status";

    public const string StatusFolder = "var/lib/dpkg/status.d/";

    /// <summary>True for the files this reader wants from an image's file tree (paths relative to the root, no leading '/').</summary>
    public static bool IsDatabaseFile(string path) =>
        path == StatusFile || (path.StartsWith(StatusFolder, StringComparison.Ordinal) && path.Length > StatusFolder.Length
            && path.IndexOf('/', StatusFolder.Length) < 0 && !path.EndsWith(".md5sums", StringComparison.Ordinal));

    public static List<InstalledPackage> Read(string path, string text, List<string> problems)
    {
        var packages = new List<InstalledPackage>();
        var installedUnlessSaid = path.Contains("/status.d/", StringComparison.Ordinal) || path.StartsWith("status.d/", StringComparison.Ordinal);
        foreach (var record in ControlParagraphs.Read(text, ':', continuations: true))
        {
            var name = record["Package"];
            var version = record["Version"];
            if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(version))
            {
                problems.Add($"{path}:{record.Line}: a package record without {(string.IsNullOrEmpty(name) ? "Package" : "Version")}; skipped");
                continue;
            }

            if (record["Status"] is { } status ? !IsInstalled(status) : !installedUnlessSaid)
            {
                continue;
            }

            var (sourceName, sourceVersion) = Source(record["Source"]);
            packages.Add(new InstalledPackage
            {
                Type = "deb",
                Name = name,
                Version = version,
                Architecture = record["Architecture"],
                SourceName = sourceName ?? name,
                SourceVersion = sourceVersion is not null && sourceVersion != version ? sourceVersion : null,
                RecordedIn = path,
                Line = record.Line,
            });
        }

        return packages;
    }

    /// <summary><c>Status: want flag status</c>: installed only in the last word's state "installed".</summary>
    private static bool IsInstalled(string status)
    {
        var words = status.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length > 0 && words[^1] == "installed";
    }

    /// <summary><c>Source: name</c> or <c>Source: name (version)</c> (a binNMU or a package whose version differs from its source's).</summary>
    private static (string? Name, string? Version) Source(string? field)
    {
        if (string.IsNullOrWhiteSpace(field))
        {
            return (null, null);
        }

        var open = field.IndexOf('(', StringComparison.Ordinal);
        if (open < 0)
        {
            return (field.Trim(), null);
        }

        var close = field.IndexOf(')', open);
        var version = close > open ? field[(open + 1)..close].Trim() : null;
        return (field[..open].Trim(), string.IsNullOrEmpty(version) ? null : version);
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Bulwark.Images.Vulnerabilities;

namespace Bulwark.Cli.Commands;

/// <summary>
/// <c>bulwark db import PATH…</c> and <c>bulwark db status</c>: the offline vulnerability database that image and SBOM
/// scans match packages against.
/// </summary>
public static class DbCommand
{
    /// <summary>
    /// <c>--db PATH</c>, as every command that reads or writes the vulnerability database spells it. A new option each
    /// call (an option belongs to one command); <see cref="DatabasePath"/> turns its value into the path to use.
    /// </summary>
    public static Option<string?> DatabaseOption() =>
        new("--db") { Description = $"The vulnerability database file (default {VulnerabilityDatabase.DefaultPath})." };

    /// <summary>The database a command uses: <c>--db</c>'s value, else <see cref="VulnerabilityDatabase.DefaultPath"/>.</summary>
    public static string DatabasePath(string? option) => string.IsNullOrWhiteSpace(option) ? VulnerabilityDatabase.DefaultPath : option;

    /// <summary>What to tell a user who has no database yet.</summary>
    public static string HowToLoad => "load one with 'bulwark db import PATH...' (OSV, Debian tracker, Alpine secdb, Node.js WG files, folders or zip archives) or 'bulwark db update'";

    /// <summary>After this long without an update, a scan says the data is old (new advisories appear every day).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromDays(7);

    /// <summary>
    /// The database a scan matches against. With <c>--db</c>, it must open (a wrong path is a usage error, never a
    /// silent pass); without, a missing default database means no vulnerability data: the scan goes on and standard
    /// error says so and how to get some (unless <paramref name="reportSaysSo"/>: the report itself says it), or, when
    /// <paramref name="required"/> (a command that does nothing else), it is a usage error. Null when there is none or it cannot be opened (the problem is in
    /// <paramref name="usage"/>).
    /// </summary>
    public static VulnerabilityDatabase? OpenForScan(ConsoleIo io, string? option, List<string> usage, bool required = false, bool reportSaysSo = false)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(usage);
        var path = DatabasePath(option);
        if (!File.Exists(path))
        {
            if (!string.IsNullOrWhiteSpace(option))
            {
                usage.Add($"--db: no such file: {path}; {HowToLoad}");
            }
            else if (required)
            {
                usage.Add($"no vulnerability data is loaded (no database at {path}); {HowToLoad}");
            }
            else if (!reportSaysSo)
            {
                io.Error.WriteLine($"bulwark: no vulnerability data is loaded (no database at {path}): packages are listed but not matched against advisories; {HowToLoad}.");
            }

            return null;
        }

        try
        {
            var database = VulnerabilityDatabase.Open(path);
            if (database.UpdatedAt() is { } updated && DateTimeOffset.UtcNow - updated > StaleAfter)
            {
                io.Error.WriteLine($"bulwark: the vulnerability database {path} was last updated {(int)(DateTimeOffset.UtcNow - updated).TotalDays} days ago; newer advisories are missing ('bulwark db update').");
            }

            return database;
        }
        catch (VulnerabilityDatabaseException e)
        {
            usage.Add("--db: " + e.Message);
            return null;
        }
    }

    public static Command Create(ConsoleIo io)
    {
        var command = new Command("db", "Manage the vulnerability database that image and SBOM scans match packages against.")
        {
            Import(io),
            Status(io),
            DbUpdateCommand.Create(io, (db, files) => ImportFiles(io, db, files)),
        };
        return command;
    }

    private static Command Import(ConsoleIo io)
    {
        var paths = new Argument<string[]>("PATH")
        {
            Description = "Advisory files, folders (read recursively) and zip archives (such as OSV's per-ecosystem all.zip).",
            Arity = ArgumentArity.OneOrMore,
        };
        var db = DatabaseOption();
        var command = new Command("import", "Import advisories into the vulnerability database, all or nothing: unknown files are skipped, invalid records listed, a damaged archive aborts.")
        {
            paths, db,
        };
        command.SetAction(parse =>
        {
            var progress = io.IsRealConsole && !Console.IsErrorRedirected ? new ErrorProgress(io.Error) : null;
            return ImportFiles(io, parse.GetValue(db), parse.GetValue(paths) ?? [], progress);
        });
        return command;
    }

    /// <summary>
    /// Imports <paramref name="files"/> in one transaction and prints the summary (<c>db import</c>, and <c>db update</c>
    /// with what it downloaded): exit 0 when imported, even with invalid records left out; 2 when it aborted.
    /// </summary>
    public static int ImportFiles(ConsoleIo io, string? dbOption, IReadOnlyList<string> files, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(io);
        var path = DatabasePath(dbOption);
        ImportReport report;
        try
        {
            report = VulnerabilityImporter.Import(path, files, progress: progress);
        }
        catch (ImportAbortedException e)
        {
            io.Error.WriteLine($"bulwark: import aborted: {e.Message}");
            io.Error.WriteLine($"bulwark: nothing was imported; {path} is as it was");
            return ExitCodes.Error;
        }
        catch (VulnerabilityDatabaseException e)
        {
            io.Error.WriteLine($"bulwark: {e.Message}");
            return ExitCodes.Error;
        }

        foreach (var problem in report.Invalid)
        {
            io.Error.WriteLine($"bulwark: {problem}");
        }

        var sources = report.Sources.Count == 0 ? "" : " (" + string.Join(", ", report.Sources.Select(s => $"{s.Key} {Count(s.Value)}")) + ")";
        io.Out.WriteLine($"Imported {Count(report.Advisories)} advisories{sources} from {Count(report.Files)} files into {path}.");
        if (report.SkippedFiles > 0)
        {
            io.Out.WriteLine($"Skipped {Count(report.SkippedFiles)} files in no format Bulwark reads.");
        }

        if (report.Withdrawn > 0 || report.WithoutPackages > 0)
        {
            io.Out.WriteLine($"Left out {Count(report.Withdrawn)} withdrawn records and {Count(report.WithoutPackages)} that affect no package a scan can match (GIT ranges only, or not affected in any release).");
        }

        if (report.Invalid.Count > 0)
        {
            io.Out.WriteLine($"Left out {Count(report.Invalid.Count)} invalid records or files (listed on standard error).");
        }

        return ExitCodes.Success;
    }

    private static Command Status(ConsoleIo io)
    {
        var db = DatabaseOption();
        var format = new Option<string>("--format", "-f") { Description = "Output format: table or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var command = new Command("status", "Show the vulnerability database: where it is, its size, and per source how many advisories and how old.")
        {
            db, format,
        };
        command.SetAction(parse =>
        {
            var path = DatabasePath(parse.GetValue(db));
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                io.Error.WriteLine($"bulwark: no vulnerability database at {path}: none is loaded; {HowToLoad}");
                return ExitCodes.Error;
            }

            DatabaseStatus status;
            try
            {
                using var database = VulnerabilityDatabase.Open(path);
                status = database.Status();
            }
            catch (VulnerabilityDatabaseException e)
            {
                io.Error.WriteLine($"bulwark: {e.Message}");
                return ExitCodes.Error;
            }

            var now = DateTimeOffset.UtcNow;
            if (parse.GetValue(format) == "json")
            {
                WriteJson(io.Out, status);
            }
            else
            {
                WriteTable(io.Out, status, now);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteTable(TextWriter output, DatabaseStatus status, DateTimeOffset now)
    {
        output.WriteLine($"Database:     {status.Path}");
        output.WriteLine($"Size:         {Size(status.SizeBytes)}");
        output.WriteLine($"Schema:       {status.SchemaVersion}");
        output.WriteLine($"Last update:  {(status.UpdatedAt is { } updated ? When(updated, now) : "never")}");
        if (status.Sources.Count == 0)
        {
            output.WriteLine($"No advisories yet: {HowToLoad}.");
            return;
        }

        output.WriteLine();
        var rows = status.Sources.Select(s => (s.Name, Count(s.Advisories), Count(s.AffectedPackages), When(s.ImportedAt, now))).ToList();
        var header = ("SOURCE", "ADVISORIES", "PACKAGES", "IMPORTED");
        var widths = (
            Math.Max(header.Item1.Length, rows.Max(r => r.Name.Length)),
            Math.Max(header.Item2.Length, rows.Max(r => r.Item2.Length)),
            Math.Max(header.Item3.Length, rows.Max(r => r.Item3.Length)));
        foreach (var row in rows.Prepend(header))
        {
            output.WriteLine($"{row.Item1.PadRight(widths.Item1)}  {row.Item2.PadLeft(widths.Item2)}  {row.Item3.PadLeft(widths.Item3)}  {row.Item4}");
        }
    }

    private static void WriteJson(TextWriter output, DatabaseStatus status)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("path", status.Path);
            json.WriteNumber("sizeBytes", status.SizeBytes);
            json.WriteNumber("schemaVersion", status.SchemaVersion);
            if (status.UpdatedAt is { } updated)
            {
                json.WriteString("updatedAt", updated);
            }
            else
            {
                json.WriteNull("updatedAt");
            }

            json.WriteStartArray("sources");
            foreach (var source in status.Sources)
            {
                json.WriteStartObject();
                json.WriteString("name", source.Name);
                json.WriteNumber("advisories", source.Advisories);
                json.WriteNumber("affectedPackages", source.AffectedPackages);
                json.WriteString("importedAt", source.ImportedAt);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>Progress written as it happens (<see cref="Progress{T}"/> would post it to the thread pool, out of order).</summary>
    private sealed class ErrorProgress(TextWriter error) : IProgress<string>
    {
        public void Report(string value) => error.WriteLine($"bulwark: {value}");
    }

    private static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Size(long bytes) => bytes >= 1024 * 1024
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:F1} MiB ({bytes:N0} bytes)")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} bytes");

    private static string When(DateTimeOffset time, DateTimeOffset now)
    {
        var age = now - time;
        var ago = age.TotalMinutes < 1 ? "just now"
            : age.TotalHours < 1 ? $"{(int)age.TotalMinutes} minutes ago"
            : age.TotalDays < 2 ? $"{(int)age.TotalHours} hours ago"
            : $"{(int)age.TotalDays} days ago";
        return string.Create(CultureInfo.InvariantCulture, $"{time.ToUniversalTime():yyyy-MM-dd HH:mm}Z ({ago})");
    }
}

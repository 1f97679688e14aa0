using System.CommandLine;
using System.Globalization;
using Bulwark.Core.Text;
using Bulwark.Images;
using Bulwark.Images.Vulnerabilities;

namespace Bulwark.Cli.Commands;

/// <summary>
/// Imports the files an update staged into the vulnerability database in one transaction (a folder or archive is one
/// too), prints the import's summary, and returns the exit code: <see cref="ExitCodes.Success"/>, or
/// <see cref="ExitCodes.Error"/> when the import was aborted and the database left as it was.
/// <paramref name="databasePath"/> is <c>--db</c>, or null for the default database.
/// </summary>
public delegate int StagedFeedImport(string? databasePath, IReadOnlyList<string> stagedFiles);

/// <summary>
/// <c>bulwark db update</c>: downloads the vulnerability feeds over HTTPS into a staging folder, checks that every
/// file is whole, and only then imports them all in one call, so a failed or truncated download leaves the database
/// as it was. The only command that goes to the network for data, and only because the user asked.
/// </summary>
public static class DbUpdateCommand
{
    private static readonly TimeSpan DefaultTimeout = FeedDownloadOptions.Default.Timeout;

    /// <summary>
    /// The <c>update</c> subcommand. <paramref name="import"/> is the import step; <paramref name="database"/> is the
    /// <c>db</c> command's shared <c>--db</c> option (recursive, so not added here), or null for one of this command's
    /// own; <paramref name="stagingParent"/> is where the staging folder is made (null: the system's temp folder).
    /// </summary>
    public static Command Create(ConsoleIo io, StagedFeedImport import, Option<string?>? database = null, string? stagingParent = null)
    {
        var defaults = FeedLocations.Default;
        var feed = CommonOptions.List("--feed", "Fetch only these feeds (repeatable, or comma-separated): osv, osv/<Ecosystem> ("
            + string.Join(", ", FeedCatalog.OsvEcosystems) + "), debian, alpine, alpine/<branch>, alpine/<branch>/<main|community>, nodejs. Default: all.");
        var osvUrl = new Option<string?>("--osv-url") { Description = $"Base of the OSV exports, fetched as BASE/<Ecosystem>/all.zip (default {defaults.Osv})." };
        var debianUrl = new Option<string?>("--debian-url") { Description = $"URL of the Debian security tracker's JSON (default {defaults.Debian})." };
        var alpineUrl = new Option<string?>("--alpine-url") { Description = $"Base of Alpine's secdb, fetched as BASE/<branch>/main.json and community.json (default {defaults.Alpine})." };
        var nodejsUrl = new Option<string?>("--nodejs-url") { Description = $"URL of a zip archive of the Node.js security WG repository, advisories in vuln/npm (default {defaults.NodeJs})." };
        var alpineBranch = CommonOptions.List("--alpine-branch", $"Alpine branches to fetch, v3.NN or edge (default {string.Join(",", defaults.AlpineBranches)}).");
        var caCert = new Option<string?>("--ca-cert") { Description = "Also trust this PEM certificate authority (a mirror's)." };
        var insecure = new Option<bool>("--insecure") { Description = "Do not verify TLS certificates (plain-HTTP URLs are allowed anyway when named explicitly)." };
        var timeout = new Option<string?>("--timeout") { Description = $"How long the whole update may take: seconds, or with a unit (90s, 10m, 1h; default {DefaultTimeout.TotalMinutes:0}m)." };
        var maxSize = CommonOptions.Size("--max-download-size", $"Largest feed file accepted, in bytes or with a unit (default {FeedDownloadOptions.Default.MaxFileSize >> 30}GiB).");
        var db = database ?? new Option<string?>("--db") { Description = "The vulnerability database to update (default: the one in the user's cache folder)." };

        var command = new Command("update", "Download the vulnerability feeds (OSV exports, Debian security tracker, Alpine secdb, Node.js security WG) and import them into the database. The only command that uses the network for data.")
        {
            feed, osvUrl, debianUrl, alpineUrl, nodejsUrl, alpineBranch, caCert, insecure, timeout, maxSize,
        };
        if (database is null)
        {
            command.Options.Add(db);
        }

        command.SetAction(parse =>
        {
            var usage = new List<string>();
            var warnings = new List<string>();
            var locations = defaults with
            {
                Osv = Location(parse.GetValue(osvUrl), "--osv-url", defaults.Osv, usage, warnings),
                Debian = Location(parse.GetValue(debianUrl), "--debian-url", defaults.Debian, usage, warnings),
                Alpine = Location(parse.GetValue(alpineUrl), "--alpine-url", defaults.Alpine, usage, warnings),
                NodeJs = Location(parse.GetValue(nodejsUrl), "--nodejs-url", defaults.NodeJs, usage, warnings),
            };
            if (parse.GetValue(alpineBranch) is { Length: > 0 } branches)
            {
                usage.AddRange(branches.Where(b => !IsAlpineBranch(b)).Select(b => $"--alpine-branch: \"{b}\" is not an Alpine branch (v3.NN, or edge)"));
                locations = locations with { AlpineBranches = branches };
            }

            var feeds = FeedCatalog.Select(FeedCatalog.All(locations), parse.GetValue(feed) ?? [], out var unknown);
            var known = FeedCatalog.Names(FeedCatalog.All(locations));
            usage.AddRange(unknown.Select(name => $"--feed: unknown feed \"{name}\"" + Suggestions.DidYouMean(name, known)
                + $"; feeds are {string.Join(", ", known.Where(n => n.Count(c => c == '/') < 2))} and alpine/<branch>/<main|community>"));

            if (parse.GetValue(caCert) is { } ca && !File.Exists(ca))
            {
                usage.Add($"--ca-cert: no such file: {ca}");
            }

            var limit = DefaultTimeout;
            if (parse.GetValue(timeout) is { } timeoutText && !TryParseDuration(timeoutText, out limit))
            {
                usage.Add($"--timeout: \"{timeoutText}\" is not a duration (seconds, or with a unit: 90s, 10m, 1h)");
            }

            if (usage.Count > 0)
            {
                foreach (var message in usage)
                {
                    io.Error.WriteLine($"bulwark: {message}");
                }

                return ExitCodes.Error;
            }

            foreach (var warning in warnings)
            {
                io.Error.WriteLine($"bulwark: warning: {warning}");
            }

            var options = new FeedDownloadOptions
            {
                Remote = RemoteImageOptions.Default with
                {
                    Insecure = parse.GetValue(insecure),
                    CaCertificateFile = parse.GetValue(caCert),
                },
                MaxFileSize = parse.GetValue(maxSize) ?? FeedDownloadOptions.Default.MaxFileSize,
                Timeout = limit,
            };
            return Run(io, feeds, options, parse.GetValue(db), import, stagingParent);
        });

        return command;
    }

    private static int Run(ConsoleIo io, IReadOnlyList<FeedSource> feeds, FeedDownloadOptions options, string? databasePath, StagedFeedImport import, string? stagingParent)
    {
        using var staging = FeedStaging.Create(stagingParent);
        IReadOnlyList<DownloadedFeed> downloaded;
        try
        {
            using var downloader = new FeedDownloader(options);
            downloaded = downloader.DownloadAll(feeds, staging.Folder, file =>
                io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fetched {file.Source.Name}: {file.Bytes} bytes in {file.Elapsed.TotalSeconds:0.0} s from {file.Source.Url}")));
        }
        catch (FeedDownloadException e)
        {
            io.Error.WriteLine($"bulwark: db update: {e.Message}");
            io.Error.WriteLine("bulwark: db update: nothing was imported; the database is as it was");
            return ExitCodes.Error;
        }
        catch (IOException e)
        {
            // The staging folder's disk, not the network: full, or not writable.
            io.Error.WriteLine($"bulwark: db update: cannot stage the downloads in {staging.Folder}: {e.Message}");
            io.Error.WriteLine("bulwark: db update: nothing was imported; the database is as it was");
            return ExitCodes.Error;
        }

        io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"downloaded {downloaded.Count} feed files, {downloaded.Sum(f => f.Bytes)} bytes; importing"));

        // The import step (the lead joins VulnerabilityImporter here at merge): one call, one transaction.
        return import(databasePath, [.. downloaded.Select(f => f.Path)]);
    }

    /// <summary>The option's URL, or the default; a plain-HTTP URL is allowed, as the user named it, but warned about.</summary>
    private static Uri Location(string? text, string option, Uri fallback, List<string> usage, List<string> warnings)
    {
        if (text is null)
        {
            return fallback;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            usage.Add($"{option}: \"{text}\" is not an HTTPS or HTTP URL");
            return fallback;
        }

        if (uri.Scheme == "http")
        {
            warnings.Add($"{option} {text} is plain HTTP: what it serves cannot be told from a tampered copy");
        }

        return uri;
    }

    private static bool IsAlpineBranch(string branch)
    {
        if (branch == "edge")
        {
            return true;
        }

        var parts = branch.StartsWith('v') ? branch[1..].Split('.') : [];
        return parts.Length == 2 && parts.All(p => p.Length is > 0 and < 4 && p.All(char.IsAsciiDigit));
    }

    /// <summary><c>600</c>, <c>90s</c>, <c>10m</c>, <c>1h</c>: more than zero.</summary>
    private static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var trimmed = text.Trim();
        var hasUnit = trimmed.Length > 0 && char.IsAsciiLetter(trimmed[^1]);
        var unit = hasUnit ? char.ToLowerInvariant(trimmed[^1]) : 's';
        var number = hasUnit ? trimmed[..^1] : trimmed;
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value <= 0 || value > 1e6)
        {
            return false;
        }

        duration = unit switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            _ => TimeSpan.Zero,
        };
        return duration > TimeSpan.Zero;
    }
}

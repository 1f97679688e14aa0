using System.CommandLine;
using Bulwark.Core.Findings;
using Bulwark.Images;
using Bulwark.Images.Caching;
using Bulwark.Images.Sbom;
using Bulwark.Reporting.Images;
using Bulwark.Scanning;
using Bulwark.Scanning.Configuration;
using Bulwark.Scanning.Images;

namespace Bulwark.Cli.Commands;

/// <summary>
/// <c>bulwark image SOURCE…</c>: reads images (archives, layouts, root filesystems), lists what they hold, and checks
/// their config, build history and layer files with the rules <c>scan</c> uses.
/// </summary>
public static class ImageCommand
{
    private static readonly string[] SbomFormats = ["cyclonedx", "spdx-json"];

    public static Command Create(ConsoleIo io)
    {
        var sources = new Argument<string[]>("SOURCE")
        {
            Description = "Images to read: docker-archive:FILE, oci-archive:FILE, oci-dir:DIR, dir:DIR, docker:NAME (an engine's), registry:NAME, a path whose kind is detected, or a bare NAME[:TAG] (the engine's, else the registry's).",
            Arity = ArgumentArity.OneOrMore,
        };
        var reporting = new ReportingOptions(
            "Output format: a report, or an SBOM of one image (cyclonedx: CycloneDX 1.6 JSON; spdx-json: SPDX 2.3 JSON).", SbomFormats);
        var platform = new Option<string?>("--platform") { Description = "The platform to read from a multi-platform image: os/architecture[/variant] (default linux/amd64)." };
        var cacheDir = new Option<string?>("--cache-dir") { Description = $"Keep what each layer holds here, by layer digest, so shared and repeated layers are read once (default {LayerCache.DefaultDirectory})." };
        var noCache = new Option<bool>("--no-cache") { Description = "Read every layer; neither use nor fill the layer cache." };
        var maxRatio = new Option<long?>("--max-compression-ratio") { Description = $"Refuse a layer that decompresses to more than this many times its size (default {ImageReadOptions.Default.MaxCompressionRatio}): the bound against decompression bombs." };
        var progress = new Option<bool>("--no-progress") { Description = "Do not show a progress bar on the terminal." };
        var username = new Option<string?>("--username") { Description = "registry: log in as this user (with --password-stdin); else the credentials of ~/.docker/config.json." };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "registry: read the password from standard input." };
        var insecure = new Option<bool>("--insecure") { Description = "registry: allow plain HTTP and do not verify TLS certificates." };
        var dockerHost = new Option<string?>("--docker-host") { Description = "docker: the engine's API socket, unix:///PATH or tcp://HOST:PORT (default $DOCKER_HOST, else unix:///var/run/docker.sock)." };
        var caCert = new Option<string?>("--ca-cert") { Description = "registry: also trust this PEM certificate authority (a private registry's)." };
        var vulnerabilities = new VulnerabilityOptions();

        var command = new Command("image", "Read container images: list their packages and check their config, history and layer files.")
        {
            sources, platform, cacheDir, noCache, maxRatio, progress, username, passwordStdin, insecure, caCert, dockerHost,
        };
        foreach (var option in reporting.All.Concat(vulnerabilities.All))
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var usage = new List<string>();
            var settings = reporting.Read(parse, usage);
            var readOptions = ImageReadOptions.Default with { MaxParallelLayers = Math.Clamp(Environment.ProcessorCount, 1, 4) };
            if (parse.GetValue(platform) is { } platformText)
            {
                try
                {
                    readOptions = readOptions with { Platform = ImagePlatform.Parse(platformText) };
                }
                catch (FormatException e)
                {
                    usage.Add("--platform: " + e.Message);
                }
            }

            if (parse.GetValue(maxRatio) is { } ratio)
            {
                if (ratio < 1)
                {
                    usage.Add("--max-compression-ratio: must be at least 1");
                }
                else
                {
                    readOptions = readOptions with { MaxCompressionRatio = ratio };
                }
            }

            string? password = null;
            if (parse.GetValue(passwordStdin))
            {
                using var reader = new StreamReader(io.OpenInput());
                password = reader.ReadToEnd().TrimEnd('\r', '\n');
                if (password.Length == 0)
                {
                    usage.Add("--password-stdin: standard input is empty");
                }
            }

            if ((parse.GetValue(username) is null) != (password is null))
            {
                usage.Add("--username and --password-stdin go together");
            }

            if (parse.GetValue(caCert) is { } ca && !File.Exists(ca))
            {
                usage.Add($"--ca-cert: no such file: {ca}");
            }

            readOptions = readOptions with
            {
                Remote = readOptions.Remote with
                {
                    Username = parse.GetValue(username),
                    Password = password,
                    Insecure = parse.GetValue(insecure),
                    CaCertificateFile = parse.GetValue(caCert),
                    DockerHost = parse.GetValue(dockerHost),
                },
            };

            var formatName = parse.GetValue(reporting.Format) ?? "table";
            var sbom = SbomFormats.Contains(formatName, StringComparer.OrdinalIgnoreCase);
            if (sbom && (parse.GetValue(sources) ?? []).Length != 1)
            {
                usage.Add($"--format {formatName}: an SBOM describes one image; name one");
            }

            var images = new List<ImageScan>();
            var vex = vulnerabilities.ReadVex(parse, io, usage, finding => ProductsOf(finding, images));
            // The table and JSON reports say, per image, what vulnerability data it was checked against, or that none was.
            var reportSaysSo = parse.GetValue(reporting.Format) is "table" or "json";
            using var database = usage.Count == 0 ? DbCommand.OpenForScan(io, parse.GetValue(vulnerabilities.Database), usage, reportSaysSo: reportSaysSo) : null;
            var vulnerabilityData = new VulnerabilityDataInfo(database?.Path, database?.UpdatedAt(), DbCommand.HowToLoad);
            if (usage.Count > 0)
            {
                foreach (var message in usage)
                {
                    io.Error.WriteLine($"bulwark: {message}");
                }

                return ExitCodes.Error;
            }

            if (!parse.GetValue(noCache))
            {
                readOptions = readOptions with { Cache = new LayerCache(parse.GetValue(cacheDir) ?? LayerCache.DefaultDirectory) };
            }

            var errors = new List<InputError>();
            foreach (var name in parse.GetValue(sources) ?? [])
            {
                using var bar = ProgressBar.OnTerminal(io, name, enabled: !parse.GetValue(progress));
                try
                {
                    var image = ImageScanner.Read(name, readOptions with { Progress = bar }, database);
                    if (image.Name != name && image.Reference.Kind is Bulwark.Images.Sources.ImageSourceKind.Docker or Bulwark.Images.Sources.ImageSourceKind.Registry
                        && !name.StartsWith("docker:", StringComparison.Ordinal) && !name.StartsWith("registry:", StringComparison.Ordinal))
                    {
                        io.Error.WriteLine($"bulwark: {name}: read from {(image.Reference.Kind == Bulwark.Images.Sources.ImageSourceKind.Docker ? "the Docker engine" : "the registry")} as {image.Name}");
                    }

                    images.Add(image);
                }
                catch (ImageReadException e)
                {
                    errors.Add(ImageScanner.Error(name, e));
                }
            }

            var options = vulnerabilities.ScanOptions(parse, settings, vex);
            var result = new ScanEngine().Scan([.. images.Select(i => i.Input)], errors, options);
            if (sbom)
            {
                return WriteSbom(io, formatName, images, result, parse.GetValue(reporting.Output), settings.FailOnGiven ? settings.FailOn : null);
            }

            return reporting.Write(
                io,
                parse,
                result,
                settings,
                json => ImageSections.WriteJson(json, images, vulnerabilityData),
                (text, paint) => ImageSections.WriteTable(text, paint, images, vulnerabilityData));
        });

        return command;
    }

    /// <summary>The names a VEX product may give the image a finding is in: as scanned, its tags, its config digest.</summary>
    private static IReadOnlyList<string> ProductsOf(Finding finding, List<ImageScan> images)
    {
        var image = images.FirstOrDefault(i => i.Name == finding.Object?.Name);
        if (image is null)
        {
            return finding.Object?.Name is { } name ? [name] : [];
        }

        return [image.Name, image.Reference.Location, .. image.Tags, .. image.ConfigDigest is { } digest ? new[] { digest } : []];
    }

    /// <summary>
    /// The SBOM of the one image: the document only (findings do not belong in it), so the exit code says whether the
    /// image could be read — findings fail it only when <c>--fail-on</c> asks, as an SBOM step in CI is not a gate.
    /// </summary>
    private static int WriteSbom(ConsoleIo io, string format, List<ImageScan> images, ScanResult result, string? outputFile, FailThreshold? failOn)
    {
        foreach (var error in result.Errors)
        {
            io.Error.WriteLine($"bulwark: {error}");
        }

        if (images.Count == 0)
        {
            return ExitCodes.Error;
        }

        var image = images[0];
        var subject = new SbomSubject
        {
            Reference = image.Name,
            Tags = image.Tags,
            ImageId = image.ConfigDigest,
            Platform = image.Config is { OperatingSystem: { } os, Architecture: { } arch } config ? new ImagePlatform(os, arch, config.Variant) : null,
        };
        OutputTarget.Write(io, outputFile, stream =>
        {
            if (format.Equals("cyclonedx", StringComparison.OrdinalIgnoreCase))
            {
                CycloneDxWriter.Write(stream, subject, image.Inventory);
            }
            else
            {
                SpdxWriter.Write(stream, subject, image.Inventory);
            }
        });

        return failOn is { } threshold && result.Active.Any(f => threshold.Fails(f.Severity)) ? ExitCodes.Findings : ExitCodes.Success;
    }
}

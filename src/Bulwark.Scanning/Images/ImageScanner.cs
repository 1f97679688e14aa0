using Bulwark.Core.Findings;
using Bulwark.Images;
using Bulwark.Images.Config;
using Bulwark.Images.Packages;
using Bulwark.Images.Sources;
using Bulwark.Images.Vulnerabilities;
using Bulwark.Parsing.Documents;
using Bulwark.Parsing.Images;
using CoreImageReference = Bulwark.Core.Model.ImageReference;

namespace Bulwark.Scanning.Images;

/// <summary>One image read: what it is, what it holds, and the input the scan engine judges.</summary>
public sealed class ImageScan
{
    /// <summary>The image as read: the user's name, with the source a bare name resolved to (<c>docker:nginx:1.27</c>).</summary>
    public required string Name { get; init; }

    public required ImageReference Reference { get; init; }

    public ImageConfig? Config { get; init; }

    /// <summary>The config blob's digest (the image ID), where the source has a config.</summary>
    public string? ConfigDigest { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public required ImageInventory Inventory { get; init; }

    public required ContainerImage Target { get; init; }

    /// <summary>The vulnerability matching's result; null when no vulnerability data was loaded.</summary>
    public MatchReport? Matches { get; init; }

    /// <summary>The layers, bottom first: diff_id, size and the history entry that made each.</summary>
    public IReadOnlyList<ImageLayerSummary> Layers { get; init; } = [];

    /// <summary>What was odd but readable (links pointing outside the root, tars without end blocks).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>What the scan engine judges: the image target, with its history as the file findings point into.</summary>
    public required ScanEngine.ParsedInput Input { get; init; }
}

public sealed record ImageLayerSummary(int Index, string? DiffId, string? Digest, long? Size, string? CreatedBy);

/// <summary>
/// The image source: opens an image wherever it is (<see cref="ImageSources"/>), streams its layers once through the
/// package and secret analysers, and maps what it found onto the shared model — a <see cref="ContainerImage"/> the
/// container rules judge, and its history as a Dockerfile.
/// </summary>
public static class ImageScanner
{
    /// <summary>
    /// Reads an image; with <paramref name="advisories"/>, also matches its packages against them (the database), and
    /// the target carries the vulnerabilities found.
    /// </summary>
    public static ImageScan Read(string name, ImageReadOptions options, IAdvisoryLookup? advisories = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        using var source = ImageSources.Open(ImageReference.Parse(name), options);

        // A bare NAME:TAG resolves to the engine or the registry that has it: the report names which.
        var reference = source.Reference;
        var packages = new PackageAnalyzer();
        var secrets = new LayerSecretAnalyzer();
        var contents = ImageContents.Read(source, [packages, secrets], options);
        var config = source.Config;
        var display = reference.ToString();
        var historyFile = display + " (history)";
        var history = config is null ? null : HistoryDockerfile.From(historyFile, config.History);

        var found = new List<ImageFileSecret>();
        foreach (var (layer, path, hits) in secrets.ResultsIn(contents))
        {
            var hidden = !contents.Files.Files.TryGetValue(path, out var file) || file.LayerIndex != layer.Layer.Index;
            found.AddRange(hits.Select(h => new ImageFileSecret(path, layer.Layer.Index, layer.Layer.DiffId, h.Line, h.Kind, h.Class, hidden)));
        }

        var inventory = packages.Inventory(contents);
        var matches = advisories is null ? null : VulnerabilityMatcher.Match(inventory, advisories);
        var (tag, origin) = NamedReference(reference, source.Tags);
        var target = new ContainerImage
        {
            Name = display,
            HasConfig = config is not null,
            Reference = tag,
            ReferenceOrigin = origin,
            User = config?.User,
            Environment = [.. (config?.Env ?? []).Select(Split)],
            ExposedPorts = config?.ExposedPorts ?? [],
            Healthcheck = config?.Healthcheck?.Test,
            OperatingSystem = config?.OperatingSystem,
            History = history,
            Secrets = found,
            Vulnerabilities = matches is null ? [] : VulnerabilityDetails.From(matches, inventory.OperatingSystem),
        };

        var input = new ScanEngine.ParsedInput { File = new SourceFile { Path = historyFile, Text = history is null ? string.Empty : string.Join('\n', history.Lines) } };
        input.Targets.Add(target);
        if (history is not null)
        {
            input.OtherTexts[historyFile] = input.File.Text;
        }

        var layers = contents.Layers.Select(l => new ImageLayerSummary(
            l.Layer.Index, l.Layer.DiffId, l.Layer.Digest, l.Layer.Size, config?.HistoryOfLayer(l.Layer.Index)?.CreatedBy)).ToList();
        return new ImageScan
        {
            Name = display,
            Reference = reference,
            Config = config,
            ConfigDigest = source.ConfigJson is { } json ? "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(json.Span)) : null,
            Tags = source.Tags,
            Inventory = inventory,
            Matches = matches,
            Target = target,
            Layers = layers,
            Warnings = [.. contents.Layers.SelectMany(l => l.Warnings), .. matches?.Notes ?? []],
            Input = input,
        };
    }

    /// <summary>An image that cannot be read, as an input error the report shows.</summary>
    public static InputError Error(string name, ImageReadException error) => new(name, 0, 0, error.Message);

    private static (CoreImageReference? Reference, string? Origin) NamedReference(ImageReference reference, IReadOnlyList<string> tags)
    {
        if (reference.Kind is ImageSourceKind.Docker or ImageSourceKind.Registry)
        {
            return (CoreImageReference.Parse(reference.Location), "the reference scanned");
        }

        return (tags.Count > 0 ? CoreImageReference.Parse(tags[0]) : null, null);
    }

    private static KeyValuePair<string, string?> Split(string variable)
    {
        var equals = variable.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? new(variable, null) : new(variable[..equals], variable[(equals + 1)..]);
    }
}

using System.Formats.Tar;
using System.Text.Json;
using Bulwark.Images.Layers;
using Bulwark.Images.Storage;

namespace Bulwark.Images.Sources;

/// <summary>
/// The engine's export of one image (a docker-archive streamed from <c>GET /images/ID/get</c>), read forward once
/// and shared by all the image's layers. Nothing is written to disk and no blob's bytes are kept.
/// </summary>
/// <remarks>
/// <para>
/// An export cannot be seeked, and its manifest.json comes last, so which blob is which layer must be known as a
/// blob passes: the diff_ids (inspect's RootFS.Layers) name podman's <c>DIFFID.tar</c> and Docker 25+'s uncompressed
/// <c>blobs/sha256/DIFFID</c>; an OCI manifest met earlier in the stream names compressed blobs (Docker's containerd
/// store). A layer asked for is found by reading forward; every other layer met on the way is read then too, with
/// the same analysers, and only its <see cref="LayerContents"/> is held until it is asked for. That keeps
/// <see cref="ImageContents.Read"/> working unchanged, in order or in parallel (reads are serialised: there is one
/// stream).
/// </para>
/// <para>
/// A blob whose layer cannot be told as it passes (Docker ≤24's <c>ID/layer.tar</c>, a compressed blob before its
/// manifest) is skipped; once the stream has ended, manifest.json says which it was, and a second export reads the
/// layers still missing. A layer asked for again, or with other analysers, also starts a new export: a layer's
/// contents are handed out once, for the analysers that read it.
/// </para>
/// <para>
/// The config is captured as it passes. Asked for before any layer, it is read for by a pass that has no analysers
/// yet: if no layer passed before the config, the layers' reads adopt that pass; otherwise they need a new export.
/// </para>
/// </remarks>
internal sealed class EngineExport(DockerEngineClient engine, string name, string describe, string imageId, IReadOnlyList<string> diffIds, ImageReadOptions openOptions) : IDisposable
{
    private readonly object _gate = new();
    private readonly DockerEngineClient _engine = engine;
    private readonly string _describe = describe;
    private readonly string _imageId = imageId;
    private readonly ImageReadOptions _openOptions = openOptions;
    private readonly Dictionary<string, List<int>> _byDiffId = diffIds
        .Select((diffId, index) => (diffId, index))
        .GroupBy(l => l.diffId, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Select(l => l.index).ToList(), StringComparer.Ordinal);

    // What one pass learns for the next: manifest.json's layer paths, the links they go through, an OCI manifest's blobs.
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _manifestBlobs = new(StringComparer.Ordinal);
    private List<string>? _manifestLayerPaths;
    private byte[]? _configJson;
    private Pass? _pass;

    public IReadOnlyList<ImageLayerInfo> Layers { get; } =
        [.. diffIds.Select((diffId, index) => new ImageLayerInfo(describe, index, diffIds.Count, null, null, diffId))];

    public LayerContents Read(int index, IReadOnlyList<ILayerFileAnalyzer> analyzers, ImageReadOptions options)
    {
        lock (_gate)
        {
            for (var passes = 0; ; passes++)
            {
                if (_pass is null || !_pass.TryServe(index, analyzers, options))
                {
                    _pass?.Dispose();
                    _pass = new Pass(this, analyzers, options);
                }

                LayerContents? contents;
                try
                {
                    contents = _pass.Advance(index);
                }
                catch
                {
                    // The stream stopped inside an entry: nothing more can be read from it.
                    _pass.Dispose();
                    _pass = null;
                    throw;
                }

                if (contents is not null)
                {
                    return contents;
                }

                var learned = _pass.LearnedPlacement;
                _pass.Dispose();
                _pass = null;
                if (!learned || passes > 0)
                {
                    throw new ImageReadException(
                        $"{Layers[index]}: the engine's export of {name} holds no blob for this layer (diff_id {diffIds[index]})");
                }
            }
        }
    }

    /// <summary>The image's config, as it passes in the export, checked against the image id.</summary>
    public byte[] ConfigJson()
    {
        lock (_gate)
        {
            if (_configJson is not null)
            {
                return _configJson;
            }

            // Every pass reads from the start of the export and captures the config when it passes, so a pass that
            // ends without it means the export has none.
            if (_pass is null || _pass.Ended)
            {
                _pass?.Dispose();
                _pass = new Pass(this, null, null);
            }

            try
            {
                _pass.Advance(-1);
            }
            catch
            {
                _pass.Dispose();
                _pass = null;
                throw;
            }

            return _configJson ?? throw new ImageReadException($"{_describe}: the engine's export holds no config {_imageId}");
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _pass?.Dispose();
            _pass = null;
        }

        _engine.Dispose();
    }

    /// <summary>One forward read of the export.</summary>
    private sealed class Pass : IDisposable
    {
        private readonly EngineExport _owner;
        private IReadOnlyList<ILayerFileAnalyzer>? _analyzers;
        private ImageReadOptions? _options;
        private bool _skippedLayers;
        private readonly Dictionary<string, int> _knownPaths = new(StringComparer.Ordinal);
        private readonly bool _knewPlacement;
        private readonly Dictionary<int, LayerContents> _held = [];
        private readonly HashSet<int> _handedOut = [];
        private Stream? _body;
        private TarReader? _tar;

        /// <summary>A pass given no analysers reads only for the config: layers it meets are skipped.</summary>
        public Pass(EngineExport owner, IReadOnlyList<ILayerFileAnalyzer>? analyzers, ImageReadOptions? options)
        {
            _owner = owner;
            _analyzers = analyzers;
            _options = options;
            _knewPlacement = owner._manifestLayerPaths is not null;
            for (var i = 0; i < (owner._manifestLayerPaths?.Count ?? 0); i++)
            {
                if (Resolve(owner._manifestLayerPaths![i]) is { } path)
                {
                    _knownPaths[path] = i;
                }
            }
        }

        /// <summary>Whether this pass ended having learned from manifest.json what an earlier pass did not know.</summary>
        public bool LearnedPlacement => !_knewPlacement && _owner._manifestLayerPaths is not null;

        public bool Ended { get; private set; }

        /// <summary>
        /// Whether this pass can still give layer <paramref name="index"/> read by <paramref name="analyzers"/>; a pass
        /// that read only for the config takes them on if it has skipped no layer yet.
        /// </summary>
        public bool TryServe(int index, IReadOnlyList<ILayerFileAnalyzer> analyzers, ImageReadOptions options)
        {
            if (_analyzers is null && !_skippedLayers)
            {
                (_analyzers, _options) = (analyzers, options);
            }

            return ReferenceEquals(analyzers, _analyzers) && ReferenceEquals(options, _options) && !_handedOut.Contains(index)
                && (_held.ContainsKey(index) || !Ended);
        }

        /// <summary>
        /// Reads forward until layer <paramref name="index"/> has passed (the config, for -1); null when the export
        /// ends first.
        /// </summary>
        public LayerContents? Advance(int index)
        {
            while (index < 0 ? _owner._configJson is null : !_held.ContainsKey(index))
            {
                if (Next() is not { } entry)
                {
                    Ended = true;
                    return null;
                }

                Handle(entry, index);
            }

            if (index < 0)
            {
                return null;
            }

            _handedOut.Add(index);
            var contents = _held[index];
            _held.Remove(index);
            return contents;
        }

        public void Dispose()
        {
            _tar?.Dispose();
            _body?.Dispose();
        }

        private TarEntry? Next()
        {
            try
            {
                if (_tar is null)
                {
                    // By id, not by name: a tag moved since inspect must not swap the image under the diff_ids.
                    var export = _owner._engine.OpenStream($"images/{_owner._imageId[7..]}/get", _owner._describe);
                    _body = new TarHeaderGuardStream(export, () => _owner._describe + ", the engine's export");
                    _tar = new TarReader(_body);
                }

                return _tar.GetNextEntry(copyData: false);
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or IOException or ArgumentException)
            {
                throw new ImageReadException($"{_owner._describe}: the engine's export broke off or is not a tar: {e.Message}", e);
            }
        }

        private void Handle(TarEntry entry, int wanted)
        {
            var path = ArchivePath.Normalize(entry.Name);
            if (path is null or "")
            {
                return;
            }

            if (entry.EntryType == TarEntryType.SymbolicLink)
            {
                if (ArchivePath.ResolveLink(path, entry.LinkName) is { } target)
                {
                    _owner._links[path] = target;
                }

                return;
            }

            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is not { } data)
            {
                return;
            }

            if (path == "manifest.json")
            {
                LearnDockerManifest(ReadSmall(data, entry.Length, path));
                return;
            }

            if (IsConfig(path))
            {
                var json = ReadSmall(data, entry.Length, path);
                var digest = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(json));
                _owner._configJson = digest == _owner._imageId
                    ? json
                    : throw new ImageReadException($"{_owner._describe}: the exported config {path} does not match the image id {_owner._imageId} (read {digest})");
                return;
            }

            if (Place(path, out var blobDigest) is { } candidates)
            {
                if (_analyzers is null)
                {
                    _skippedLayers = true;
                    return;
                }

                var index = candidates.Contains(wanted) ? wanted : candidates.FirstOrDefault(i => !_handedOut.Contains(i) && !_held.ContainsKey(i), -1);
                if (index >= 0 && !_handedOut.Contains(index) && !_held.ContainsKey(index))
                {
                    var layer = _owner.Layers[index];
                    var info = layer with { Digest = blobDigest == layer.DiffId ? null : blobDigest };
                    _held[index] = new BlobLayer(info, () => new BorrowedStream(data)).Read(_analyzers, _options!);
                }

                return;
            }

            if (path.StartsWith("blobs/sha256/", StringComparison.Ordinal) && entry.Length <= MaxMetadataSize && data.ReadByte() == '{')
            {
                LearnOciManifest([(byte)'{', .. ReadSmall(data, entry.Length - 1, path)]);
            }
        }

        private int MaxMetadataSize => (_options ?? _owner._openOptions).MaxMetadataSize;

        /// <summary>The config is <c>ID.json</c> (docker-archive) or <c>blobs/sha256/ID</c> (Docker 25+).</summary>
        private bool IsConfig(string path) =>
            _owner._configJson is null
            && (path == _owner._imageId[7..] + ".json" || path == "blobs/sha256/" + _owner._imageId[7..]);

        /// <summary>The layers a blob can be; null when it cannot be told (yet).</summary>
        private List<int>? Place(string path, out string? blobDigest)
        {
            blobDigest = null;
            if (path.StartsWith("blobs/sha256/", StringComparison.Ordinal) && BlobDigest.IsSha256("sha256:" + path[13..]))
            {
                blobDigest = "sha256:" + path[13..];
            }

            if (_knownPaths.TryGetValue(path, out var known))
            {
                return [known];
            }

            // podman and skopeo name a layer DIFFID.tar; Docker 25+ stores uncompressed layers as blobs/sha256/DIFFID.
            var diffId = blobDigest ?? (!path.Contains('/', StringComparison.Ordinal) && path.EndsWith(".tar", StringComparison.Ordinal) ? "sha256:" + path[..^4] : null);
            if (diffId is not null && _owner._byDiffId.TryGetValue(diffId, out var byDiffId))
            {
                return byDiffId;
            }

            return blobDigest is not null && _owner._manifestBlobs.TryGetValue(blobDigest, out var index) ? [index] : null;
        }

        private void LearnDockerManifest(byte[] json)
        {
            if (TryParse(json) is not { } manifest)
            {
                return;
            }

            using (manifest)
            {
                var image = manifest.RootElement.ValueKind == JsonValueKind.Array && manifest.RootElement.GetArrayLength() > 0 ? manifest.RootElement[0] : default;
                var layers = ImageJson.StringItems(image, "Layers");
                if (layers.Count == _owner.Layers.Count && layers.All(l => l is not null))
                {
                    _owner._manifestLayerPaths = layers!;
                }
            }
        }

        /// <summary>An OCI manifest of this image (its config is the image id) names each layer's compressed blob.</summary>
        private void LearnOciManifest(byte[] json)
        {
            if (TryParse(json) is not { } manifest)
            {
                return;
            }

            using (manifest)
            {
                var root = manifest.RootElement;
                var config = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("config", out var c) ? ImageJson.String(c, "digest") : null;
                var layers = ImageJson.Array(root, "layers").Select(l => ImageJson.String(l, "digest")).ToList();
                if (config == _owner._imageId && layers.Count == _owner.Layers.Count)
                {
                    for (var i = 0; i < layers.Count; i++)
                    {
                        if (BlobDigest.IsSha256(layers[i]))
                        {
                            _owner._manifestBlobs[layers[i]!] = i;
                        }
                    }
                }
            }
        }

        private string? Resolve(string path)
        {
            var current = ArchivePath.Normalize(path);
            for (var hop = 0; hop < 8 && current is not null && _owner._links.TryGetValue(current, out var target); hop++)
            {
                current = target;
            }

            return current;
        }

        private byte[] ReadSmall(Stream data, long length, string path)
        {
            if (length > MaxMetadataSize)
            {
                throw new ImageReadException($"{_owner._describe}: the export's {path} is larger than {MaxMetadataSize} bytes, too large for image metadata");
            }

            var bytes = new byte[length];
            data.ReadExactly(bytes);
            return bytes;
        }

        private static JsonDocument? TryParse(byte[] json)
        {
            try
            {
                return JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    /// <summary>A tar entry's data handed to the layer reader, which closes what it opens; the export must stay open.</summary>
    private sealed class BorrowedStream(Stream data) : ReadOnlyPassThroughStream(data)
    {
        public override int Read(Span<byte> buffer) => Inner.Read(buffer);

        protected override void Dispose(bool disposing) => base.Dispose(disposing: false);
    }
}

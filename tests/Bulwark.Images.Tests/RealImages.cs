using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace Bulwark.Images.Tests;

/// <summary>
/// One small image built for real, once per test run, then written in every form Bulwark reads: umoci builds an
/// OCI layout layer by layer (files, a whiteout deleting a key, an opaque directory replacing <c>/opt</c>, a config);
/// skopeo and podman write it as docker-archive (with skopeo's <c>ID/layer.tar</c> links), oci-archive and a zstd layout; the
/// Docker ≤24 layout (real <c>ID/layer.tar</c> files), Docker 25+'s OCI-in-tar and an outer gzip are repacked from
/// those with TarWriter; umoci unpacks the root filesystem for <c>dir:</c>.
/// </summary>
public sealed class RealImages : IDisposable
{
    public const string PrivateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n";

    /// <summary>The package npm installs into <c>app/node_modules</c>.</summary>
    public const string NpmPackage = """{"name":"@bulwark/greet-js","version":"2.1.0","license":"MIT","main":"index.js"}""";

    private readonly TempFolder _temp = new();
    private readonly Exception? _buildError;

    public RealImages()
    {
        MissingTools = ImageTools.Missing("umoci", "skopeo", "podman", "go", "npm");
        if (MissingTools.Count > 0)
        {
            return;
        }

        try
        {
            Build();
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
        {
            _buildError = e;
        }
    }

    public IReadOnlyList<string> MissingTools { get; }

    /// <summary>Every form of the image, by a name for messages, as the reference Bulwark is given.</summary>
    public IReadOnlyDictionary<string, string> Forms { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The unpacked root filesystem (<c>dir:</c>).</summary>
    public string RootFilesystem => _temp["bundle/rootfs"];

    /// <summary>The zstd layout, to check its layers really are zstd.</summary>
    public string ZstdLayout => _temp["zstd"];

    /// <summary>Skips or fails the calling test when the tools are missing, fails it when the build failed.</summary>
    public void Require()
    {
        ImageTools.Require(MissingTools);
        if (_buildError is not null)
        {
            throw new InvalidOperationException("building the test images failed: " + _buildError.Message, _buildError);
        }
    }

    public void Dispose() => _temp.Dispose();

    private void Build()
    {
        var files = Directory.CreateDirectory(_temp["src"]).FullName;
        Write("src/etc/os-release", "PRETTY_NAME=\"Bulwark test\"\nID=debian\nVERSION_ID=\"12\"\n");
        Write("src/app/key.pem", PrivateKey);
        Write("src/app/conf/a.conf", "listen 8080\n");
        Write("src/opt/old/x", "old\n");
        Write("src/usr/bin/tool", "#!/bin/sh\necho tool\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_temp["src/usr/bin/tool"], (UnixFileMode)0b111_101_101);
        }

        File.CreateSymbolicLink(_temp["src/app/link"], "../etc/os-release");

        // A Go program built by Debian's golang-go, and a node_modules tree installed by npm (offline, from a local package).
        Directory.CreateDirectory(_temp["src/app/bin"]);
        File.Copy(Packages.GoProgram.Binary, _temp["src/app/bin/greet"]);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_temp["src/app/bin/greet"], (UnixFileMode)0b111_101_101);
        }

        Write("npm/greet-js/package.json", NpmPackage);
        Write("npm/greet-js/index.js", "module.exports = () => 'hi';\n");
        ImageTools.Run("npm", "pack", "--silent", _temp["npm/greet-js"], "--pack-destination", _temp["npm"]);
        ImageTools.Run("npm", "install", "--no-audit", "--no-fund", "--offline", "--prefix", _temp["src/app"], _temp["npm/bulwark-greet-js-2.1.0.tgz"]);
        Write("opaque/opt/new", "new\n");

        var oci = _temp["oci"];
        var image = oci + ":img";
        ImageTools.Run("umoci", "init", "--layout", oci);
        ImageTools.Run("umoci", "new", "--image", image);
        ImageTools.Run("umoci", "insert", "--image", image, "--history.created_by", "COPY src /", files, "/");
        ImageTools.Run("umoci", "insert", "--image", image, "--history.created_by", "RUN rm /app/key.pem", "--whiteout", "/app/key.pem");
        ImageTools.Run("umoci", "insert", "--image", image, "--history.created_by", "COPY opt /opt", "--opaque", _temp["opaque/opt"], "/opt");
        ImageTools.Run("umoci", "config", "--image", image, "--config.user", "1000:1000", "--config.env", "API_KEY=abc123",
            "--config.exposedports", "8080/tcp", "--config.entrypoint", "/app/run", "--config.workingdir", "/app",
            "--config.label", "org.example.team=images", "--history.created_by", "ENV API_KEY=abc123");
        Add("oci-dir", "oci-dir:" + oci);

        ImageTools.Run("skopeo", "copy", "-q", "oci:" + image, "docker-archive:" + _temp["skopeo-docker.tar"] + ":bulwark/test:1");
        Add("skopeo docker-archive", "docker-archive:" + _temp["skopeo-docker.tar"]);
        ImageTools.Run("skopeo", "copy", "-q", "oci:" + image, "oci-archive:" + _temp["skopeo-oci.tar"]);
        Add("skopeo oci-archive", "oci-archive:" + _temp["skopeo-oci.tar"]);
        ImageTools.Run("skopeo", "copy", "-q", "--dest-compress-format", "zstd", "oci:" + image, "oci:" + _temp["zstd"] + ":img");
        Add("zstd OCI layout", "oci-dir:" + _temp["zstd"]);

        var id = ImageTools.Run("podman", "pull", "-q", "oci:" + image).Trim();
        try
        {
            ImageTools.Run("podman", "save", "-q", "--format", "docker-archive", "-o", _temp["podman-docker.tar"], id);
            ImageTools.Run("podman", "save", "-q", "--format", "oci-archive", "-o", _temp["podman-oci.tar"], id);
        }
        finally
        {
            ImageTools.Run("podman", "rmi", "-f", id);
        }

        Add("podman save docker-archive", "docker-archive:" + _temp["podman-docker.tar"]);
        Add("podman save oci-archive", "oci-archive:" + _temp["podman-oci.tar"]);

        GzipFile(_temp["skopeo-docker.tar"], _temp["docker.tar.gz"]);
        Add("gzip-wrapped docker-archive", "docker-archive:" + _temp["docker.tar.gz"]);
        WriteLegacyDockerArchive(_temp["skopeo-docker.tar"], _temp["linked-docker.tar"], materialise: false);
        Add("docker-archive read through ID/layer.tar links", "docker-archive:" + _temp["linked-docker.tar"]);
        WriteLegacyDockerArchive(_temp["skopeo-docker.tar"], _temp["legacy-docker.tar"], materialise: true);
        Add("Docker ≤24 docker-archive", "docker-archive:" + _temp["legacy-docker.tar"]);
        WriteDocker25Archive(oci, _temp["docker25.tar"]);
        Add("Docker 25+ OCI-in-tar docker-archive", "docker-archive:" + _temp["docker25.tar"]);
        // A bare path, detected by content.
        Add("bare path to an oci-archive", _temp["skopeo-oci.tar"]);

        ImageTools.Run("umoci", "unpack", "--rootless", "--image", image, _temp["bundle"]);
    }

    private void Add(string name, string reference) => ((Dictionary<string, string>)Forms)[name] = reference;

    private void Write(string relative, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_temp[relative])!);
        File.WriteAllText(_temp[relative], text);
    }

    private static void GzipFile(string source, string target)
    {
        using var input = File.OpenRead(source);
        using var output = File.Create(target);
        using var gzip = new GZipStream(output, CompressionLevel.Fastest);
        input.CopyTo(gzip);
    }

    /// <summary>
    /// Repacks skopeo's archive with manifest.json naming the legacy <c>ID/layer.tar</c> paths, as Docker ≤24 wrote
    /// them: kept as skopeo's links to <c>../DIFFID.tar</c> (<paramref name="materialise"/> false), or made real files
    /// with the <c>DIFFID.tar</c> files dropped (Docker ≤24's own layout).
    /// </summary>
    private static void WriteLegacyDockerArchive(string skopeoArchive, string target, bool materialise)
    {
        var entries = new List<(string Name, byte[]? Data, string? Link)>();
        using (var reader = new TarReader(File.OpenRead(skopeoArchive)))
        {
            while (reader.GetNextEntry(copyData: true) is { } entry)
            {
                if (entry.EntryType == TarEntryType.SymbolicLink)
                {
                    entries.Add((entry.Name, null, entry.LinkName));
                }
                else if (entry.DataStream is { } stream)
                {
                    using var copy = new MemoryStream();
                    stream.CopyTo(copy);
                    entries.Add((entry.Name, copy.ToArray(), null));
                }
            }
        }

        var data = entries.Where(e => e.Data is not null).ToDictionary(e => e.Name, e => e.Data!, StringComparer.Ordinal);
        var linkOf = entries.Where(e => e.Link is not null).ToDictionary(e => Path.GetFileName(e.Link!), e => e.Name, StringComparer.Ordinal);
        var manifest = JsonNode.Parse(data["manifest.json"])!;
        var layers = manifest[0]!["Layers"]!.AsArray();
        for (var i = 0; i < layers.Count; i++)
        {
            layers[i] = linkOf[(string)layers[i]!];
        }

        data["manifest.json"] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        using var writer = new TarWriter(File.Create(target), TarEntryFormat.Ustar);
        foreach (var (name, _, link) in entries)
        {
            if (link is null && !(materialise && linkOf.ContainsKey(name)))
            {
                writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data[name]) });
            }
            else if (link is not null)
            {
                writer.WriteEntry(materialise
                    ? new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data[Path.GetFileName(link)]) }
                    : new UstarTarEntry(TarEntryType.SymbolicLink, name) { LinkName = link });
            }
        }
    }

    /// <summary>Docker 25+'s layout: the OCI layout in the tar, plus a manifest.json whose paths point into <c>blobs/</c>.</summary>
    private static void WriteDocker25Archive(string layout, string target)
    {
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "index.json")))!;
        var manifestDigest = (string)index["manifests"]![0]!["digest"]!;
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "blobs", "sha256", manifestDigest[7..])))!;
        string BlobPath(JsonNode descriptor) => "blobs/sha256/" + ((string)descriptor["digest"]!)[7..];
        var dockerManifest = new JsonArray(new JsonObject
        {
            ["Config"] = BlobPath(manifest["config"]!),
            ["RepoTags"] = new JsonArray("bulwark/test:1"),
            ["Layers"] = new JsonArray([.. manifest["layers"]!.AsArray().Select(l => (JsonNode)JsonValue.Create(BlobPath(l!)))]),
        });

        using var writer = new TarWriter(File.Create(target), TarEntryFormat.Pax);
        foreach (var file in Directory.GetFiles(layout, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            writer.WriteEntry(file, Path.GetRelativePath(layout, file).Replace('\\', '/'));
        }

        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "manifest.json") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(dockerManifest.ToJsonString())) });
    }
}

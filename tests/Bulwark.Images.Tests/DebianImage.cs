using System.Collections.Concurrent;
using Bulwark.Images.Packages;
using Bulwark.Images.Sources;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Images.Tests;

/// <summary>
/// A real Debian 12 image, built once per test run: <c>debootstrap --variant=minbase bookworm</c> into a folder cached
/// under <c>artifacts/debian/</c> (a minute's download, reused by later runs), imported with podman into a private
/// store, given a layer on top by <c>podman build</c> (COPY, ENV, USER: nothing that needs to run a container), and
/// written as a docker-archive and an oci-archive (<c>podman save</c>) and a gzip OCI layout (<c>skopeo copy</c>). The
/// cached folder itself is the <c>dir:</c> form.
/// </summary>
public sealed class DebianImage : IDisposable
{
    public const string Collection = "Debian image";
    public const string Suite = "bookworm";
    public const string Variant = "minbase";
    public const string Mirror = "http://deb.debian.org/debian";

    /// <summary>What <c>podman build</c> adds on top of the imported root filesystem.</summary>
    public const string Containerfile = "FROM localhost/bulwark-debian:base\nCOPY app /app\nENV APP_HOME=/app\nUSER 1000:1000\n";

    /// <summary>
    /// How the cached folder was made; a cache made another way (an older recipe) is rebuilt. Apt's downloaded
    /// packages and index files are removed, as Debian's own images do: they are large and no scanner reads them.
    /// </summary>
    private static readonly string Recipe = $"debootstrap --variant={Variant} {Suite} ROOT {Mirror}; rm var/cache/apt/archives/*.deb var/lib/apt/lists/*_*";

    /// <summary>Where the root filesystem is cached, under the build folder (git-ignored), by suite and variant.</summary>
    private static readonly string CachePath = RepositoryPaths.InRepo("artifacts", "debian", $"{Suite}-{Variant}");

    private readonly TempFolder _temp = new();
    private readonly bool _notRoot;
    private readonly Exception? _buildError;
    private readonly ConcurrentDictionary<string, Lazy<Scan>> _scans = new(StringComparer.Ordinal);

    public DebianImage()
    {
        MissingTools = ImageTools.Missing("debootstrap", "podman", "skopeo");
        if (MissingTools.Count > 0)
        {
            return;
        }

        if (!Environment.IsPrivilegedProcess && !IsCached(CachePath))
        {
            _notRoot = true;
            return;
        }

        try
        {
            RootFilesystem = CachedRootFilesystem();
            Build(RootFilesystem);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or UnauthorizedAccessException)
        {
            _buildError = e;
        }
    }

    public IReadOnlyList<string> MissingTools { get; }

    /// <summary>The debootstrapped folder, cached under the build folder; also the <c>dir:</c> form.</summary>
    public string RootFilesystem { get; } = string.Empty;

    /// <summary>The build context of the layer on top: the files it adds, under <c>app/</c>.</summary>
    public string TopLayerFiles => _temp["context"];

    /// <summary>Every form of the image, by a name for messages, as the reference Bulwark is given.</summary>
    public IReadOnlyDictionary<string, string> Forms { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Skips or fails the calling test when the tools are missing, fails it when the build failed.</summary>
    public void Require()
    {
        ImageTools.Require(MissingTools);
        if (_notRoot)
        {
            ImageTools.Unavailable($"debootstrap needs root (it chroots and makes device nodes) to make {CachePath}; the Debian image tests need it");
        }

        if (_buildError is not null)
        {
            throw new InvalidOperationException("building the Debian test image failed: " + _buildError.Message, _buildError);
        }
    }

    /// <summary>One form read with the package analyser, once per run however many tests ask (each read is 130 MB).</summary>
    public Scan Read(string form) => _scans.GetOrAdd(form, f => new Lazy<Scan>(() =>
    {
        using var image = ImageSources.Open(ImageReference.Parse(Forms[f]));
        var analyzer = new PackageAnalyzer();
        var contents = ImageContents.Read(image, [analyzer]);
        return new Scan(contents, analyzer.Inventory(contents), image.Config);
    })).Value;

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// The cached root filesystem, debootstrapped first when missing or made by another recipe. It is built beside
    /// its final place and renamed into it, so an interrupted run never leaves a half-made cache that looks whole.
    /// </summary>
    private static string CachedRootFilesystem()
    {
        var root = CachePath;
        var stamp = root + ".recipe";
        if (IsCached(root))
        {
            return root;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(root)!);
        File.Delete(stamp);
        RemoveTree(root);
        var partial = $"{root}.partial-{Environment.ProcessId}";
        RemoveTree(partial);
        try
        {
            ImageTools.Run(TimeSpan.FromMinutes(15), "debootstrap", $"--variant={Variant}", Suite, partial, Mirror);
            foreach (var file in Directory.EnumerateFiles(Path.Combine(partial, "var/cache/apt/archives"), "*.deb")
                .Concat(Directory.EnumerateFiles(Path.Combine(partial, "var/lib/apt/lists"), "*_*")))
            {
                File.Delete(file);
            }

            Directory.Move(partial, root);
            File.WriteAllText(stamp, Recipe);
        }
        finally
        {
            RemoveTree(partial);
        }

        return root;
    }

    private static bool IsCached(string root) =>
        Directory.Exists(root) && File.Exists(root + ".recipe") && File.ReadAllText(root + ".recipe") == Recipe;

    /// <summary>rm, not Directory.Delete: a root filesystem has device nodes and links to folders, which rm never follows.</summary>
    private static void RemoveTree(string path)
    {
        if (Directory.Exists(path))
        {
            ImageTools.Run("rm", "-rf", "--one-file-system", path);
        }
    }

    private void Build(string root)
    {
        // A private store, so the run leaves nothing in the machine's images; vfs, which needs no kernel overlay support.
        // Its own short temp folder: podman refuses a runroot path over 50 characters.
        var store = Directory.CreateTempSubdirectory("bwp").FullName;
        string[] podman = ["--root", Path.Combine(store, "root"), "--runroot", Path.Combine(store, "run"), "--storage-driver", "vfs"];
        try
        {
            ImageTools.Run("tar", "--numeric-owner", "-C", root, "-cf", _temp["rootfs.tar"], ".");
            ImageTools.Run("podman", [.. podman, "import", "-q", "--change", "CMD [\"bash\"]", _temp["rootfs.tar"], "localhost/bulwark-debian:base"]);
            File.Delete(_temp["rootfs.tar"]);

            Directory.CreateDirectory(_temp["context/app"]);
            File.WriteAllText(_temp["context/app/hello.txt"], "hello from the layer on top\n");
            File.WriteAllText(_temp["Containerfile"], Containerfile);
            ImageTools.Run("podman", [.. podman, "build", "-q", "-f", _temp["Containerfile"], "-t", "localhost/bulwark-debian:test", _temp["context"]]);

            ImageTools.Run("podman", [.. podman, "save", "-q", "--format", "docker-archive", "-o", _temp["debian-docker.tar"], "localhost/bulwark-debian:test"]);
            Add("docker-archive", "docker-archive:" + _temp["debian-docker.tar"]);
            ImageTools.Run("podman", [.. podman, "save", "-q", "--format", "oci-archive", "-o", _temp["debian-oci.tar"], "localhost/bulwark-debian:test"]);
            Add("oci-archive", "oci-archive:" + _temp["debian-oci.tar"]);
            ImageTools.Run("skopeo", "copy", "-q", "--dest-compress", "--dest-compress-format", "gzip",
                "docker-archive:" + _temp["debian-docker.tar"], "oci:" + _temp["layout"] + ":test");
            Add("oci-dir", "oci-dir:" + _temp["layout"]);
            Add("dir", "dir:" + root);
        }
        finally
        {
            RemoveTree(store);
        }
    }

    private void Add(string name, string reference) => ((Dictionary<string, string>)Forms)[name] = reference;

    public sealed record Scan(ImageContents Contents, ImageInventory Inventory, Bulwark.Images.Config.ImageConfig? Config);
}

/// <summary>The tests that share the Debian image: it is built once for all of them.</summary>
[CollectionDefinition(DebianImage.Collection)]
public sealed class DebianImageCollection : ICollectionFixture<DebianImage>;

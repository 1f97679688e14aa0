using System.Text;
using Bulwark.Images.Layers;
using Bulwark.Rules.Secrets;

namespace Bulwark.Scanning.Images;

/// <summary>A credential in one file: the 1-based line (0 when the file is one by what it is), what it is, and the detector's class.</summary>
public sealed record FileSecret(int Line, string Kind, string Class);

/// <summary>
/// Looks for credentials in the layers' files with the one secret detector the manifest rules use: private keys,
/// provider tokens, <c>NAME=value</c> secrets, credential files (<c>.git-credentials</c>, <c>.npmrc</c>,
/// <c>.docker/config.json</c>…). Text files only, up to <see cref="MaxBytes"/>. Files that packages own
/// (<c>usr/lib</c>, <c>usr/share</c>, package databases, language package folders) are skipped, even when named like
/// keys: they are the distribution's, identical in every image built on it and public in its packages (the example
/// keys of <c>usr/share/doc</c>), and reading them would cost most of the scan for findings nobody can act on. Keys a
/// package generates at install (<c>etc/ssl/private</c>) are under <c>etc</c>, which is read.
/// </summary>
public sealed class LayerSecretAnalyzer : LayerFileAnalyzer<List<FileSecret>>
{
    /// <summary>Largest file read: credentials live in small files; logs and data files are skipped.</summary>
    public const long MaxBytes = 1 << 20;

    private static readonly string[] OwnedByPackages =
    [
        "usr/share/", "usr/lib/", "usr/lib32/", "usr/lib64/", "usr/libexec/", "usr/include/", "usr/src/", "lib/", "lib32/", "lib64/",
        "usr/bin/", "usr/sbin/", "bin/", "sbin/", "var/lib/dpkg/", "var/lib/apt/", "var/lib/rpm/", "var/lib/yum/", "var/lib/dnf/",
        "var/cache/", "var/log/", "etc/ssl/certs/", "etc/pki/ca-trust/", "usr/local/go/", "usr/local/lib/", "proc/", "sys/", "dev/",
    ];

    private static readonly string[] OwnedFolders = ["/node_modules/", "/site-packages/", "/dist-packages/", "/.cache/pip/", "/.npm/_cacache/", "/__pycache__/"];

    private static readonly string[] BinaryExtensions =
    [
        ".so", ".a", ".o", ".png", ".jpg", ".jpeg", ".gif", ".ico", ".webp", ".woff", ".woff2", ".ttf", ".otf", ".eot", ".gz", ".tgz", ".bz2",
        ".xz", ".zst", ".zip", ".jar", ".war", ".class", ".pyc", ".mo", ".wasm", ".pdf", ".exe", ".dll", ".db", ".sqlite", ".mp3", ".mp4",
    ];

    public override string Id => "secrets/1";

    public override bool Wants(LayerEntry entry)
    {
        if (entry.Size is 0 or > MaxBytes)
        {
            return false;
        }

        var path = entry.Path;
        if (OwnedByPackages.Any(p => path.StartsWith(p, StringComparison.Ordinal)) || OwnedFolders.Any(f => path.Contains(f, StringComparison.Ordinal)))
        {
            return false;
        }

        return SecretFileInImageRule.CredentialFileKind(path) is not null || !BinaryExtensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));
    }

    public override List<FileSecret>? Analyze(ImageLayerInfo layer, LayerEntry entry, Stream content)
    {
        var bytes = new byte[entry.Size];
        var read = content.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        var data = bytes.AsSpan(0, read);
        var byName = SecretFileInImageRule.CredentialFileKind(entry.Path);
        if (data[..Math.Min(data.Length, 8192)].Contains((byte)0))
        {
            // A keystore (.p12, .jks) is binary: its name is all that can be judged.
            return byName is null ? null : [new FileSecret(0, byName, nameof(SecretClass.Credential))];
        }

        var found = SecretDetector.InFile(entry.Path, Encoding.UTF8.GetString(data))
            .Where(m => m.Match.Class != SecretClass.Placeholder)
            .Select(m => new FileSecret(m.Line, m.Match.Kind, m.Match.Class.ToString()))
            .ToList();
        return found.Count > 0 ? found : null;
    }
}

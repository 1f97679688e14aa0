using System.Security.Cryptography;
using Bulwark.Images.Packages;
using Bulwark.Images.Sbom;
using Bulwark.Images.Sources;

namespace Bulwark.Images.Tests.Sbom;

/// <summary>
/// Small images written as OCI layouts and read the way <c>bulwark image</c> reads them (sources, layers,
/// <see cref="PackageAnalyzer"/>), so SBOM tests start from real inventories, not hand-built ones.
/// </summary>
internal static class SbomFixture
{
    public const string Tag = "registry.example.com/team/app:1.4";

    public const string DebianOsRelease = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n";

    public const string DebianStatus = """
        Package: base-files
        Status: install ok installed
        Architecture: amd64
        Version: 12.4+deb12u5

        Package: libc6
        Status: install ok installed
        Architecture: amd64
        Source: glibc
        Version: 2.36-9+deb12u7

        Package: libsqlite3-0
        Status: install ok installed
        Architecture: amd64
        Source: sqlite3 (3.40.1-2)
        Version: 3.40.1-2+b1

        """;

    /// <summary>
    /// Debian 12 with three dpkg packages in layer 0; layer 1 adds curl to the status file, npm packages (a scoped
    /// one, one whose licence is no SPDX expression), a Python distribution and a .NET application's NuGet packages.
    /// </summary>
    public static (SbomSubject Subject, ImageInventory Inventory) DebianApplication(TempFolder folder)
    {
        const string Curl = "\nPackage: curl\nStatus: install ok installed\nArchitecture: amd64\nVersion: 7.88.1-10+deb12u5\n";
        return Read(
            folder,
            new TarBuilder().File("usr/lib/os-release", DebianOsRelease).Symlink("etc/os-release", "../usr/lib/os-release")
                .File("var/lib/dpkg/status", DebianStatus).ToArray(),
            new TarBuilder().File("var/lib/dpkg/status", DebianStatus + Curl)
                .File("app/node_modules/@angular/core/package.json", """{"name": "@angular/core", "version": "17.0.0", "license": "MIT"}""")
                .File("app/node_modules/left-pad/package.json", """{"name": "left-pad", "version": "1.3.0", "license": "(WTFPL OR MIT)"}""")
                .File("app/node_modules/in-house/package.json", """{"name": "in-house", "version": "0.2.0", "license": "SEE LICENSE IN LICENSE.txt"}""")
                .File("usr/lib/python3/dist-packages/Django_Rest_Framework-3.14.0.dist-info/METADATA",
                    "Metadata-Version: 2.4\nName: Django_Rest_Framework\nVersion: 3.14.0\nLicense-Expression: BSD-3-Clause\n\nA description.\n")
                .File("app/App.deps.json", """{"libraries": {"App/1.0.0": {"type": "project"}, "Newtonsoft.Json/13.0.3": {"type": "package"}}}""")
                .ToArray());
    }

    /// <summary>Alpine 3.19 with apk packages whose licences come as apk writes them, and a broken record (a problem).</summary>
    public static (SbomSubject Subject, ImageInventory Inventory) Alpine(TempFolder folder) => Read(
        folder,
        new TarBuilder().File("etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME=\"Alpine Linux v3.19\"\n")
            .File("lib/apk/db/installed", "P:musl\nV:1.2.4_git20230717-r4\nA:x86_64\no:musl\nL:MIT\n\n"
                + "P:libcrypto3\nV:3.1.4-r5\nA:x86_64\no:openssl\nL:Apache-2.0\n\n"
                + "P:busybox\nV:1.36.1-r15\nA:x86_64\no:busybox\nL:GPL-2.0-only\n\n"
                + "P:ca-certificates-bundle\nV:20240226-r0\nA:x86_64\no:ca-certificates\nL:MPL-2.0 AND MIT\n\n"
                + "P:old-style\nV:1.0-r0\nA:x86_64\nL:GPL2+ BSD\n\nP:broken\n")
            .ToArray());

    private static (SbomSubject Subject, ImageInventory Inventory) Read(TempFolder folder, params byte[][] layers)
    {
        new OciLayoutWriter(folder.Path).SingleImage(layers);
        using var image = ImageSources.Open(ImageReference.Parse("oci-dir:" + folder.Path));
        var analyzer = new PackageAnalyzer();
        var inventory = analyzer.Inventory(ImageContents.Read(image, [analyzer]));
        var config = image.Config!;
        var subject = new SbomSubject
        {
            Reference = image.Reference.ToString(),
            Tags = [Tag],
            ImageId = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(image.ConfigJson!.Value.Span)),
            Platform = new ImagePlatform(config.OperatingSystem!, config.Architecture!, config.Variant),
        };
        return (subject, inventory);
    }
}

using System.Text;
using Bulwark.Images.Packages;
using Bulwark.Images.Sbom;
using Bulwark.TestSupport;
using Xunit;
using OperatingSystem = Bulwark.Images.Packages.OperatingSystem;

namespace Bulwark.Images.Tests.Sbom;

/// <summary>
/// SBOMs read back: Bulwark's own (written from real inventories and read again: the same packages, source
/// packages, layers and distribution), documents shaped as Trivy and Syft write them, the CycloneDX and SPDX
/// specification examples read in place, and hostile or foreign files.
/// </summary>
public sealed class SbomReaderTests
{
    public static TheoryData<string, string> RoundTrips => new()
    {
        { "debian", "cyclonedx" },
        { "debian", "spdx" },
        { "alpine", "cyclonedx" },
        { "alpine", "spdx" },
    };

    [SharedDataTheory]
    [MemberData(nameof(RoundTrips))]
    public void Bulwarks_own_SBOM_reads_back_as_the_inventory_it_was_written_from(string image, string format)
    {
        using var folder = new TempFolder();
        var (subject, inventory) = image == "alpine" ? SbomFixture.Alpine(folder) : SbomFixture.DebianApplication(folder);
        var path = folder["sbom.json"];
        using (var stream = File.Create(path))
        {
            if (format == "spdx")
            {
                SpdxWriter.Write(stream, subject, inventory);
            }
            else
            {
                CycloneDxWriter.Write(stream, subject, inventory);
            }
        }

        var read = SbomReader.Read(path);

        Assert.Equal(format == "spdx" ? "SPDX-2.3" : "CycloneDX 1.6", read.Format);
        Assert.Equal(SbomFixture.Tag, read.SubjectName);
        var os = read.Inventory.OperatingSystem!;
        Assert.Equal((inventory.OperatingSystem!.Id, inventory.OperatingSystem.VersionId), (os.Id, os.VersionId));
        if (format == "cyclonedx")
        {
            Assert.Equal(inventory.OperatingSystem, os); // codename and pretty name are in the CycloneDX document too
        }

        Assert.Equal(inventory.Packages.Count, read.Inventory.Packages.Count);
        foreach (var (written, back) in inventory.Packages.Zip(read.Inventory.Packages))
        {
            var (expected, actual) = (written.Package, back.Package);
            Assert.Equal(
                (expected.Type, expected.Name, expected.Version, expected.Architecture, expected.SourceName, expected.SourceVersion),
                (actual.Type, actual.Name, actual.Version, actual.Architecture, actual.SourceName, actual.SourceVersion));
            Assert.Equal((written.LayerIndex, written.LayerDiffId), (back.LayerIndex, back.LayerDiffId));
            Assert.StartsWith(path + "#", actual.RecordedIn, StringComparison.Ordinal);
            Assert.Equal(InstalledPackageUrl.For(expected, inventory.OperatingSystem), InstalledPackageUrl.For(actual, read.Inventory.OperatingSystem));
            if (format == "cyclonedx" || SpdxLicenseExpression.IsValid(expected.License))
            {
                Assert.Equal(expected.License?.Trim(), actual.License);
            }
        }

        // The source packages the matcher looks up survive: Debian's sqlite3 at its own version, Alpine's origins.
        var sources = read.Inventory.Packages.Select(p => (p.Package.Name, p.Package.SourceName, p.Package.SourceVersion)).ToList();
        Assert.Contains(image == "alpine" ? ("libcrypto3", "openssl", null) : ("libsqlite3-0", "sqlite3", "3.40.1-2"), sources);
        if (format == "cyclonedx")
        {
            Assert.Equal(inventory.Problems.Select(p => "the SBOM's writer could not read: " + p), read.Inventory.Problems);
        }
    }

    [Fact]
    public void A_Trivy_CycloneDX_SBOM_gives_source_packages_epochs_layers_and_the_distribution()
    {
        const string Trivy = """
            {
              "$schema": "http://cyclonedx.org/schema/bom-1.5.schema.json",
              "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
              "metadata": {
                "tools": {"components": [{"type": "application", "group": "aquasecurity", "name": "trivy", "version": "0.58.1"}]},
                "component": {
                  "bom-ref": "pkg:oci/app@sha256%3A1111?repository_url=registry.example.com%2Fteam%2Fapp&arch=amd64",
                  "type": "container", "name": "registry.example.com/team/app:1.4",
                  "purl": "pkg:oci/app@sha256%3A1111?repository_url=registry.example.com%2Fteam%2Fapp&arch=amd64",
                  "properties": [{"name": "aquasecurity:trivy:SchemaVersion", "value": "2"}]
                }
              },
              "components": [
                {
                  "bom-ref": "pkg:deb/debian/libc6@2.36-9%2Bdeb12u7?arch=amd64&distro=debian-12.5",
                  "type": "library", "name": "libc6", "version": "2.36-9+deb12u7",
                  "licenses": [{"license": {"name": "LGPL-2.1"}}, {"license": {"name": "GPL-2.0"}}],
                  "purl": "pkg:deb/debian/libc6@2.36-9%2Bdeb12u7?arch=amd64&distro=debian-12.5",
                  "properties": [
                    {"name": "aquasecurity:trivy:LayerDiffID", "value": "sha256:aaaa"},
                    {"name": "aquasecurity:trivy:LayerDigest", "value": "sha256:bbbb"},
                    {"name": "aquasecurity:trivy:PkgID", "value": "libc6@2.36-9+deb12u7"},
                    {"name": "aquasecurity:trivy:PkgType", "value": "debian"},
                    {"name": "aquasecurity:trivy:SrcName", "value": "glibc"},
                    {"name": "aquasecurity:trivy:SrcRelease", "value": "9+deb12u7"},
                    {"name": "aquasecurity:trivy:SrcVersion", "value": "2.36"}
                  ]
                },
                {
                  "bom-ref": "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12.5&epoch=1",
                  "type": "library", "name": "bash", "version": "1:5.2.15-2+b2",
                  "purl": "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12.5&epoch=1",
                  "properties": [
                    {"name": "aquasecurity:trivy:SrcEpoch", "value": "1"},
                    {"name": "aquasecurity:trivy:SrcName", "value": "bash"},
                    {"name": "aquasecurity:trivy:SrcRelease", "value": "2"},
                    {"name": "aquasecurity:trivy:SrcVersion", "value": "5.2.15"}
                  ]
                },
                {
                  "bom-ref": "8f0c1bd2-app-lock",
                  "type": "application", "name": "app/package-lock.json",
                  "properties": [{"name": "aquasecurity:trivy:Class", "value": "lang-pkgs"}, {"name": "aquasecurity:trivy:Type", "value": "npm"}],
                  "components": [
                    {"bom-ref": "pkg:npm/%40babel/core@7.22.0", "type": "library", "name": "core", "group": "@babel", "version": "7.22.0",
                     "purl": "pkg:npm/%40babel/core@7.22.0",
                     "properties": [{"name": "aquasecurity:trivy:LayerDiffID", "value": "sha256:cccc"}]}
                  ]
                },
                {
                  "bom-ref": "3da6a469-964d-4b4e-b67d-e94ec7c88d37", "type": "operating-system", "name": "debian", "version": "12.5",
                  "properties": [{"name": "aquasecurity:trivy:Class", "value": "os-pkgs"}, {"name": "aquasecurity:trivy:Type", "value": "debian"}]
                }
              ],
              "dependencies": [{"ref": "3da6a469-964d-4b4e-b67d-e94ec7c88d37", "dependsOn": ["pkg:deb/debian/libc6@2.36-9%2Bdeb12u7?arch=amd64&distro=debian-12.5"]}]
            }
            """;

        var read = Read(Trivy);

        Assert.Equal(("CycloneDX 1.5", "registry.example.com/team/app:1.4"), (read.Format, read.SubjectName));
        Assert.Equal(new OperatingSystem("debian", "12.5", null, null), read.Inventory.OperatingSystem);
        Assert.Empty(read.Inventory.Problems);
        var (libc, bash, babel) = (read.Inventory.Packages[0], read.Inventory.Packages[1], read.Inventory.Packages[2]);
        Assert.Equal(("deb", "libc6", "2.36-9+deb12u7", "amd64", "glibc", (string?)null), Identity(libc.Package));
        Assert.Equal((-1, "sha256:aaaa"), (libc.LayerIndex, libc.LayerDiffId));
        Assert.Equal("LGPL-2.1 AND GPL-2.0", libc.Package.License);
        Assert.Equal("sbom.json#pkg:deb/debian/libc6@2.36-9%2Bdeb12u7?arch=amd64&distro=debian-12.5", libc.Package.RecordedIn);
        Assert.Equal(("deb", "bash", "1:5.2.15-2+b2", "amd64", "bash", "1:5.2.15-2"), Identity(bash.Package));
        Assert.Equal(("npm", "@babel/core", "7.22.0", null, null, null), Identity(babel.Package));
        Assert.Equal("sha256:cccc", babel.LayerDiffId);
    }

    [Fact]
    public void Trivy_rpm_purls_keep_the_epoch_in_the_version_and_not_in_the_source_version()
    {
        var read = Read("""
            {"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
              {"type": "library", "name": "openssl-libs", "version": "1:3.0.7-27.el9",
               "purl": "pkg:rpm/redhat/openssl-libs@3.0.7-27.el9?arch=x86_64&distro=redhat-9.4&epoch=1",
               "properties": [{"name": "aquasecurity:trivy:SrcEpoch", "value": "1"}, {"name": "aquasecurity:trivy:SrcName", "value": "openssl"},
                              {"name": "aquasecurity:trivy:SrcRelease", "value": "27.el9"}, {"name": "aquasecurity:trivy:SrcVersion", "value": "3.0.7"}]},
              {"type": "library", "name": "bash", "purl": "pkg:rpm/rocky/bash@5.1.8-9.el9?arch=x86_64&upstream=bash-5.1.8-9.el9.src.rpm&distro=rocky-9.3"}
            ]}
            """);

        Assert.Equal(("rpm", "openssl-libs", "1:3.0.7-27.el9", "x86_64", "openssl", "3.0.7-27.el9"), Identity(read.Inventory.Packages[0].Package));
        Assert.Equal(("rpm", "bash", "5.1.8-9.el9", "x86_64", "bash", "5.1.8-9.el9"), Identity(read.Inventory.Packages[1].Package));
        Assert.Equal(new OperatingSystem("redhat", "9.4", null, null), read.Inventory.OperatingSystem);
    }

    [Fact]
    public void A_Syft_CycloneDX_SBOM_gives_upstream_sources_Go_and_Maven_names_and_lists_what_is_no_package()
    {
        var read = Read("""
            {
              "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
              "bomFormat": "CycloneDX", "specVersion": "1.6", "serialNumber": "urn:uuid:5d5c6c8e-7a39-4b1e-9f61-2d3f3c1e9a10", "version": 1,
              "metadata": {
                "timestamp": "2026-11-30T08:00:00Z",
                "tools": {"components": [{"type": "application", "author": "anchore", "name": "syft", "version": "1.18.0"}]},
                "component": {"bom-ref": "a1b2c3", "type": "container", "name": "registry.example.com/team/app", "version": "sha256:2222"}
              },
              "components": [
                {"bom-ref": "pkg:deb/debian/libc6@2.36-9%2Bdeb12u7?arch=amd64&upstream=glibc&distro=debian-12&package-id=1f2e",
                 "type": "library", "publisher": "GNU Libc Maintainers <debian-glibc@lists.debian.org>", "name": "libc6", "version": "2.36-9+deb12u7",
                 "purl": "pkg:deb/debian/libc6@2.36-9%2Bdeb12u7?arch=amd64&upstream=glibc&distro=debian-12",
                 "properties": [{"name": "syft:package:foundBy", "value": "dpkg-db-cataloger"}, {"name": "syft:package:type", "value": "deb"},
                                {"name": "syft:location:0:layerID", "value": "sha256:dddd"}, {"name": "syft:location:0:path", "value": "/var/lib/dpkg/status"}]},
                {"bom-ref": "pkg:deb/debian/libsqlite3-0@3.40.1-2%2Bb1?arch=amd64&upstream=sqlite3%403.40.1-2&distro=debian-12&package-id=2a3b",
                 "type": "library", "name": "libsqlite3-0", "version": "3.40.1-2+b1",
                 "purl": "pkg:deb/debian/libsqlite3-0@3.40.1-2%2Bb1?arch=amd64&upstream=sqlite3%403.40.1-2&distro=debian-12"},
                {"bom-ref": "go-1", "type": "library", "name": "github.com/gin-gonic/gin", "version": "v1.9.1",
                 "purl": "pkg:golang/github.com/gin-gonic/gin@v1.9.1"},
                {"bom-ref": "go-2", "type": "library", "name": "stdlib", "version": "go1.22.1", "purl": "pkg:golang/stdlib@1.22.1"},
                {"bom-ref": "java-1", "type": "library", "group": "org.apache.logging.log4j", "name": "log4j-core", "version": "2.14.1",
                 "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"},
                {"bom-ref": "py-1", "type": "library", "name": "Django_Rest_Framework", "version": "3.14.0", "purl": "pkg:pypi/django-rest-framework@3.14.0"},
                {"bom-ref": "os-1", "type": "operating-system", "name": "debian", "version": "12", "description": "Debian GNU/Linux 12 (bookworm)",
                 "properties": [{"name": "syft:distro:id", "value": "debian"}, {"name": "syft:distro:versionCodename", "value": "bookworm"},
                                {"name": "syft:distro:versionID", "value": "12"}]},
                {"bom-ref": "file-1", "type": "file", "name": "/etc/passwd", "hashes": [{"alg": "SHA-1", "content": "0123456789abcdef0123456789abcdef01234567"}]},
                {"bom-ref": "file-2", "type": "file", "name": "/etc/group"},
                {"bom-ref": "bin-1", "type": "library", "name": "busybox", "version": "1.36.1"}
              ]
            }
            """);

        Assert.Equal("registry.example.com/team/app", read.SubjectName);
        Assert.Equal(new OperatingSystem("debian", "12", "bookworm", "Debian GNU/Linux 12 (bookworm)"), read.Inventory.OperatingSystem);
        var packages = read.Inventory.Packages.Select(p => Identity(p.Package)).ToList();
        Assert.Equal(
            [
                ("deb", "libc6", "2.36-9+deb12u7", "amd64", "glibc", null),
                ("deb", "libsqlite3-0", "3.40.1-2+b1", "amd64", "sqlite3", "3.40.1-2"),
                ("golang", "github.com/gin-gonic/gin", "v1.9.1", null, null, null),
                ("golang", "stdlib", "v1.22.1", null, null, null),
                ("maven", "org.apache.logging.log4j:log4j-core", "2.14.1", null, null, null),
                ("pypi", "Django_Rest_Framework", "3.14.0", null, null, null),
            ],
            packages);
        Assert.Equal("sha256:dddd", read.Inventory.Packages[0].LayerDiffId);
        Assert.Equal(
            [
                "component \"busybox\" (library, bom-ref bin-1) has no purl; skipped",
                "2 file components without a purl skipped: a file is not a package",
            ],
            read.Inventory.Problems);
    }

    [Fact]
    public void Without_an_operating_system_component_the_distro_qualifier_names_the_distribution()
    {
        var read = Read("""
            {"bomFormat": "CycloneDX", "specVersion": "1.4", "components": [
              {"type": "library", "name": "left-pad", "version": "1.3.0", "purl": "pkg:npm/left-pad@1.3.0"},
              {"type": "library", "name": "musl", "version": "1.2.4_git20230717-r4", "purl": "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&upstream=musl&distro=alpine-3.19.1"}
            ]}
            """);

        Assert.Equal(new OperatingSystem("alpine", "3.19.1", null, null), read.Inventory.OperatingSystem);
        Assert.Equal(("apk", "musl", "1.2.4_git20230717-r4", "x86_64", "musl", null), Identity(read.Inventory.Packages[1].Package));
    }

    [Theory]
    [InlineData("pkg:deb/debian/curl@7.88.1?distro=debian-12", "debian", "12", null)]
    [InlineData("pkg:deb/debian/curl@7.88.1?distro=debian-12.4", "debian", "12.4", null)]
    [InlineData("pkg:deb/debian/curl@8.5.0?distro=debian-trixie", "debian", null, "trixie")]
    [InlineData("pkg:deb/ubuntu/curl@8.5.0?distro=ubuntu-22.04", "ubuntu", "22.04", null)]
    [InlineData("pkg:apk/alpine/musl@1.2.4?distro=alpine-3.19.1", "alpine", "3.19.1", null)]
    [InlineData("pkg:apk/alpine/musl@1.2.2?distro=3.15.0", "alpine", "3.15.0", null)]
    [InlineData("pkg:rpm/opensuse/curl@8.0?distro=opensuse-leap-15.5", "opensuse-leap", "15.5", null)]
    [InlineData("pkg:rpm/redhat/curl@7.76.1?distro=rhel-9.4", "rhel", "9.4", null)]
    public void The_distro_qualifier_reads_as_Syft_Trivy_and_Bulwark_write_it(string purl, string id, string? version, string? codename)
    {
        Assert.Equal(new OperatingSystem(id, version, codename, null), InstalledPackageUrl.DistroOf(PackageUrl.Parse(purl)));
    }

    [Fact]
    public void A_Syft_SPDX_document_reads_its_purls_and_lists_packages_without_one()
    {
        var read = Read("""
            {
              "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
              "name": "registry.example.com/team/app", "documentNamespace": "https://example.invalid/spdx/app-1",
              "creationInfo": {"created": "2026-11-30T08:00:00Z", "creators": ["Organization: Anchore, Inc", "Tool: syft-1.18.0"]},
              "packages": [
                {"name": "libcrypto3", "SPDXID": "SPDXRef-Package-apk-libcrypto3-5f1d", "versionInfo": "3.1.4-r5", "downloadLocation": "NOASSERTION",
                 "sourceInfo": "acquired package info from APK DB: /lib/apk/db/installed", "licenseConcluded": "NOASSERTION", "licenseDeclared": "Apache-2.0",
                 "externalRefs": [
                   {"referenceCategory": "SECURITY", "referenceType": "cpe23Type", "referenceLocator": "cpe:2.3:a:libcrypto3:libcrypto3:3.1.4-r5:*:*:*:*:*:*:*"},
                   {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64&upstream=openssl&distro=alpine-3.19.1"}]},
                {"name": "in-house", "SPDXID": "SPDXRef-Package-npm-in-house-9a8b", "versionInfo": "0.2.0", "downloadLocation": "NOASSERTION"},
                {"name": "registry.example.com/team/app", "SPDXID": "SPDXRef-DocumentRoot-Image-registry.example.com-team-app", "versionInfo": "sha256:2222",
                 "downloadLocation": "NOASSERTION", "primaryPackagePurpose": "CONTAINER"}
              ],
              "relationships": [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-DocumentRoot-Image-registry.example.com-team-app"}]
            }
            """);

        Assert.Equal(("SPDX-2.3", "registry.example.com/team/app"), (read.Format, read.SubjectName));
        Assert.Equal(new OperatingSystem("alpine", "3.19.1", null, null), read.Inventory.OperatingSystem);
        var libcrypto = Assert.Single(read.Inventory.Packages).Package;
        Assert.Equal(("apk", "libcrypto3", "3.1.4-r5", "x86_64", "openssl", null), Identity(libcrypto));
        Assert.Equal(("Apache-2.0", "sbom.json#SPDXRef-Package-apk-libcrypto3-5f1d"), (libcrypto.License, libcrypto.RecordedIn));
        Assert.Equal(["package \"in-house\" (SPDXRef-Package-npm-in-house-9a8b) has no purl; skipped"], read.Inventory.Problems);
    }

    [Fact]
    public void A_Trivy_SPDX_document_gives_the_distribution_source_packages_and_layers()
    {
        var read = Read("""
            {
              "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": "alpine:3.19",
              "documentNamespace": "http://trivy.example/container_image/alpine:3.19-1", "creationInfo": {"creators": ["Tool: trivy-0.58.1"], "created": "2026-11-30T08:00:00Z"},
              "packages": [
                {"name": "alpine:3.19", "SPDXID": "SPDXRef-ContainerImage-1", "downloadLocation": "NONE", "primaryPackagePurpose": "CONTAINER",
                 "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:oci/alpine@sha256%3A3333?arch=amd64"}]},
                {"name": "alpine", "SPDXID": "SPDXRef-OperatingSystem-2", "versionInfo": "3.19.1", "downloadLocation": "NONE", "primaryPackagePurpose": "OPERATING-SYSTEM"},
                {"name": "libc-utils", "SPDXID": "SPDXRef-Package-3", "versionInfo": "0.7.2-r5", "downloadLocation": "NONE", "primaryPackagePurpose": "LIBRARY",
                 "sourceInfo": "built package from: libc-dev 0.7.2-r5", "licenseConcluded": "BSD-2-Clause AND BSD-3-Clause", "licenseDeclared": "BSD-2-Clause AND BSD-3-Clause",
                 "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:apk/alpine/libc-utils@0.7.2-r5?arch=x86_64&distro=3.19.1"}],
                 "annotations": [{"annotator": "Tool: trivy-0.58.1", "annotationDate": "2026-11-30T08:00:00Z", "annotationType": "OTHER", "comment": "LayerDiffID: sha256:eeee"},
                                 {"annotator": "Tool: trivy-0.58.1", "annotationDate": "2026-11-30T08:00:00Z", "annotationType": "OTHER", "comment": "PkgType: alpine"}]}
              ]
            }
            """);

        Assert.Equal(new OperatingSystem("alpine", "3.19.1", null, null), read.Inventory.OperatingSystem);
        var libc = Assert.Single(read.Inventory.Packages);
        Assert.Equal(("apk", "libc-utils", "0.7.2-r5", "x86_64", "libc-dev", null), Identity(libc.Package));
        Assert.Equal((-1, "sha256:eeee"), (libc.LayerIndex, libc.LayerDiffId));
        Assert.Equal("BSD-2-Clause AND BSD-3-Clause", libc.Package.License);
        Assert.Empty(read.Inventory.Problems);
    }

    [Fact]
    public void SPDX_tag_value_reads_as_its_JSON_form_does()
    {
        var read = Read("""
            ## Document Information
            SPDXVersion: SPDX-2.3
            DataLicense: CC0-1.0
            SPDXID: SPDXRef-DOCUMENT
            DocumentName: alpine:3.19
            DocumentNamespace: http://trivy.example/container_image/alpine:3.19-1
            Creator: Tool: trivy-0.58.1
            Created: 2026-11-30T08:00:00Z

            ##### Package: alpine:3.19

            PackageName: alpine:3.19
            SPDXID: SPDXRef-ContainerImage-1
            PackageDownloadLocation: NONE
            PrimaryPackagePurpose: CONTAINER
            FilesAnalyzed: false
            ExternalRef: PACKAGE-MANAGER purl pkg:oci/alpine@sha256%3A3333?arch=amd64

            ##### Package: alpine

            PackageName: alpine
            SPDXID: SPDXRef-OperatingSystem-2
            PackageVersion: 3.19.1
            PackageDownloadLocation: NONE
            PrimaryPackagePurpose: OPERATING-SYSTEM

            ##### Package: libc-utils

            PackageName: libc-utils
            SPDXID: SPDXRef-Package-3
            PackageVersion: 0.7.2-r5
            PackageDownloadLocation: NONE
            PrimaryPackagePurpose: LIBRARY
            PackageSourceInfo: <text>built package from: libc-dev 0.7.2-r5
            </text>
            PackageLicenseDeclared: BSD-2-Clause AND BSD-3-Clause
            ExternalRef: SECURITY cpe23Type cpe:2.3:a:libc-utils:libc-utils:0.7.2-r5:*:*:*:*:*:*:*
            ExternalRef: PACKAGE-MANAGER purl pkg:apk/alpine/libc-utils@0.7.2-r5?arch=x86_64&distro=3.19.1

            ##### Package: in-house

            PackageName: in-house
            SPDXID: SPDXRef-Package-4
            PackageVersion: 0.2.0

            FileName: /app/in-house/package.json
            SPDXID: SPDXRef-File-5
            FileChecksum: SHA1: 0123456789abcdef0123456789abcdef01234567

            Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-ContainerImage-1
            """);

        Assert.Equal(("SPDX-2.3", "alpine:3.19"), (read.Format, read.SubjectName));
        Assert.Equal(new OperatingSystem("alpine", "3.19.1", null, null), read.Inventory.OperatingSystem);
        var libc = Assert.Single(read.Inventory.Packages).Package;
        Assert.Equal(("apk", "libc-utils", "0.7.2-r5", "x86_64", "libc-dev", null), Identity(libc));
        Assert.Equal(("BSD-2-Clause AND BSD-3-Clause", "sbom.json#SPDXRef-Package-3"), (libc.License, libc.RecordedIn));
        Assert.Equal(["package \"in-house\" (SPDXRef-Package-4) has no purl; skipped"], read.Inventory.Problems);
    }

    [SharedDataFact]
    public void The_specification_examples_read_in_place()
    {
        var bom = SbomReader.Read(SbomSchemas.InCycloneDx(Path.Combine("examples-1.6", "valid-bom-1.6.json")));
        Assert.Equal(("CycloneDX 1.6", "Acme Application"), (bom.Format, bom.SubjectName));
        Assert.Equal(
            ["com.acme:tomcat-catalina", "com.example:myapplication", "com.example:myframework"],
            bom.Inventory.Packages.Select(p => p.Package.Name));
        Assert.All(bom.Inventory.Packages, p => Assert.Equal("maven", p.Package.Type));

        var dependencies = SbomReader.Read(SbomSchemas.InCycloneDx(Path.Combine("examples-1.6", "valid-dependency-1.6.json")));
        Assert.Empty(dependencies.Inventory.Packages);
        Assert.Equal(3, dependencies.Inventory.Problems.Count(p => p.Contains("has no purl", StringComparison.Ordinal)));

        var vulnerability = SbomReader.Read(SbomSchemas.InCycloneDx(Path.Combine("examples-1.6", "valid-vulnerability-1.6.json")));
        Assert.Equal(("com.fasterxml.jackson.core:jackson-databind", "2.9.4"), (vulnerability.Inventory.Packages[0].Package.Name, vulnerability.Inventory.Packages[0].Package.Version));

        var spdx = SbomReader.Read(RepositoryPaths.InShared("conformance", "sbom", "spdx-2.3", "SPDXJSONExample-v2.3.spdx.json"));
        Assert.Equal(("SPDX-2.3", "SPDX-Tools-v2.0"), (spdx.Format, spdx.SubjectName));
        var jena = Assert.Single(spdx.Inventory.Packages).Package;
        Assert.Equal(("maven", "org.apache.jena:apache-jena", "3.12.0"), (jena.Type, jena.Name, jena.Version));
        Assert.Equal(["Apache Commons Lang", "Saxon"], spdx.Inventory.Problems.Select(p => p.Split('"')[1]));
    }

    [Fact]
    public void Purls_that_are_not_strings_or_not_purls_are_problems_not_packages()
    {
        var read = Read("""
            {"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
              {"type": "library", "name": "numeric", "purl": 42},
              {"type": "library", "name": "object", "purl": {"type": "npm"}},
              {"type": "library", "name": "surrogate", "purl": "\ud800"},
              {"type": "library", "name": "garbage", "purl": "not a purl"},
              {"type": "library", "name": "nullish", "purl": null},
              {"type": "container", "name": "base", "purl": "pkg:oci/debian@sha256%3A4444"},
              "a string where a component belongs",
              {"type": "library", "name": "kept", "purl": "pkg:gem/rails@7.1.0"}
            ]}
            """);

        Assert.Equal(("gem", "rails", "7.1.0"), (read.Inventory.Packages[0].Package.Type, read.Inventory.Packages[0].Package.Name, read.Inventory.Packages[0].Package.Version));
        Assert.Single(read.Inventory.Packages);
        Assert.Equal(7, read.Inventory.Problems.Count);
        Assert.Contains(read.Inventory.Problems, p => p.StartsWith("component \"numeric\"", StringComparison.Ordinal) && p.Contains("not a string", StringComparison.Ordinal));
        Assert.Contains(read.Inventory.Problems, p => p.StartsWith("component \"garbage\"", StringComparison.Ordinal) && p.Contains("not a valid purl", StringComparison.Ordinal));
        Assert.Contains(read.Inventory.Problems, p => p.StartsWith("component \"base\"", StringComparison.Ordinal) && p.Contains("an image", StringComparison.Ordinal));
        Assert.Contains("components[6] is not an object; skipped", read.Inventory.Problems);
    }

    [Fact]
    public void Deep_nesting_and_too_many_components_are_refused_with_the_file_named()
    {
        var deep = """{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": ["""
            + string.Concat(Enumerable.Repeat("""{"type": "library", "name": "n", "components": [""", 5000))
            + string.Concat(Enumerable.Repeat("]}", 5000)) + "]}";
        var nested = Assert.Throws<InvalidDataException>(() => Read(deep));
        Assert.StartsWith("sbom.json", nested.Message, StringComparison.Ordinal);
        Assert.Contains("depth", nested.Message, StringComparison.OrdinalIgnoreCase);

        // Nesting within the bound is walked, to the leaf.
        var shallow = """{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [""" + string.Concat(Enumerable.Repeat("""{"type": "application", "name": "g", "components": [""", 30))
            + """{"type": "library", "name": "leaf", "purl": "pkg:npm/leaf@1.0.0"}""" + string.Concat(Enumerable.Repeat("]}", 30)) + "]}";
        Assert.Equal("leaf", Assert.Single(Read(shallow).Inventory.Packages).Package.Name);

        var many = """{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [""" + string.Join(',', Enumerable.Repeat("""{"type": "library", "name": "x", "purl": "pkg:npm/x@1.0.0"}""", 101)) + "]}";
        Assert.Equal(101, Read(many).Inventory.Packages.Count);
        var limited = Assert.Throws<InvalidDataException>(() => SbomReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(many)), "sbom.json", new SbomReadLimits { MaxComponents = 100 }));
        Assert.Equal("sbom.json: more than 100 components; refusing to read further", limited.Message);
        var large = Assert.Throws<InvalidDataException>(() => SbomReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(many)), "sbom.json", new SbomReadLimits { MaxBytes = 1000 }));
        Assert.StartsWith("sbom.json: larger than 1000 bytes", large.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\n  \"bomFormat\": \"CycloneDX\",\n  \"components\": [,]\n}", "sbom.json:3: not valid JSON")]
    [InlineData("", "sbom.json:1: not valid JSON")]
    [InlineData("""{"apiVersion": "v1", "kind": "Pod"}""", "sbom.json: neither a CycloneDX JSON BOM")]
    [InlineData("[1, 2, 3]", "sbom.json: neither a CycloneDX JSON BOM")]
    [InlineData("""{"bomFormat": "CycloneDX", "specVersion": "2.0"}""", "sbom.json: CycloneDX specVersion \"2.0\" is not one Bulwark reads")]
    [InlineData("""{"spdxVersion": "SPDX-3.0"}""", "sbom.json: spdxVersion \"SPDX-3.0\" is not one Bulwark reads")]
    [InlineData("""{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": []}""", "sbom.json: an SPDX 3 (JSON-LD) document")]
    [InlineData("<?xml version=\"1.0\"?><bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"/>", "sbom.json: an XML document")]
    [InlineData("SPDXVersion: SPDX-2.3\nPackageName: x\nPackageComment: <text>never closed\n\n", "sbom.json:3: a <text> value that is never closed")]
    public void A_file_that_is_no_SBOM_Bulwark_reads_is_an_error_naming_it(string text, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => Read(text));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_an_error_naming_it()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<InvalidDataException>(() => SbomReader.Read(folder["missing.json"]));
        Assert.StartsWith(folder["missing.json"] + ": cannot be read", error.Message, StringComparison.Ordinal);
    }

    private static SbomInventory Read(string json) => SbomReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), "sbom.json");

    private static (string, string, string, string?, string?, string?) Identity(InstalledPackage package) =>
        (package.Type, package.Name, package.Version, package.Architecture, package.SourceName, package.SourceVersion);
}

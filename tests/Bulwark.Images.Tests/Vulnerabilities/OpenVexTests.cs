using System.Text;
using Bulwark.Images.Sbom;
using Bulwark.Images.Vulnerabilities;
using Xunit;

namespace Bulwark.Images.Tests.Vulnerabilities;

/// <summary>
/// OpenVEX documents written for each matching rule: vulnerability names and aliases either way round, product
/// scoping by purl (a statement for one package never silences the others), images with subcomponents, the
/// latest statement winning, invalid statements reported and not honoured, the 0.0.x shape, and foreign files.
/// </summary>
public sealed class OpenVexTests
{
    private const string Image = "pkg:oci/app@sha256%3A1111?repository_url=registry.example.com%2Fteam%2Fapp";
    private const string ImageWithTag = "pkg:oci/app@sha256%3A1111?arch=amd64&repository_url=registry.example.com%2Fteam%2Fapp&tag=1.4";

    private static readonly PackageUrl OpenSsl = PackageUrl.Parse("pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12");
    private static readonly PackageUrl LibSsl = PackageUrl.Parse("pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl");
    private static readonly PackageUrl LeftPad = PackageUrl.Parse("pkg:npm/left-pad@1.3.0");
    private static readonly PackageUrl Lodash = PackageUrl.Parse("pkg:npm/lodash@4.17.20");

    [Fact]
    public void A_statement_about_one_purl_suppresses_the_vulnerability_in_that_package_only()
    {
        var vex = Read(Document("""
            {"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": "pkg:deb/debian/openssl@3.0.11-1~deb12u2"}],
             "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}
            """));

        var statement = vex.Find("CVE-2023-5678", [], OpenSsl, imageName: null);
        Assert.NotNull(statement);
        Assert.Equal((VexStatus.NotAffected, "vulnerable_code_not_in_execute_path", true), (statement.Status, statement.Justification, statement.Suppresses));

        // Grype's bug: the same CVE in another package (or another version) is not silenced.
        Assert.Null(vex.Find("CVE-2023-5678", [], LibSsl, Image));
        Assert.Null(vex.Find("CVE-2023-5678", [], PackageUrl.Parse("pkg:deb/debian/openssl@3.0.11-1~deb12u1?arch=amd64"), Image));
        Assert.Null(vex.Find("CVE-2023-5678", [], package: null, Image));
        Assert.Null(vex.Find("CVE-2023-9999", [], OpenSsl, Image));
    }

    [Theory]
    [InlineData("pkg:deb/debian/openssl", true)] // no version: every version
    [InlineData("pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64", true)]
    [InlineData("pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=arm64", false)]
    [InlineData("pkg:deb/debian/openssl?distro=debian-11", false)]
    [InlineData("pkg:deb/DEBIAN/OpenSSL@3.0.11-1~deb12u2", true)] // deb namespace and name are case-insensitive
    [InlineData("pkg:deb/ubuntu/openssl@3.0.11-1~deb12u2", false)]
    [InlineData("pkg:apk/debian/openssl@3.0.11-1~deb12u2", false)]
    public void Purls_match_on_what_the_statement_gives(string product, bool matches)
    {
        Assert.Equal(matches, VexDocument.Matches(PackageUrl.Parse(product), OpenSsl));
        var vex = Read(Document($$"""{"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": "{{product}}"}], "status": "fixed"}"""));
        Assert.Equal(matches, vex.Find("CVE-2023-5678", [], OpenSsl, imageName: null) is not null);
    }

    [Fact]
    public void The_vulnerability_matches_by_name_id_or_alias_either_way_round_ignoring_case()
    {
        var vex = Read(Document("""
            {"vulnerability": {"@id": "https://nvd.nist.gov/vuln/detail/CVE-2021-23337", "name": "CVE-2021-23337", "aliases": ["GHSA-35jh-r3h4-6jhm"]},
             "products": [{"@id": "pkg:npm/lodash"}], "status": "not_affected", "impact_statement": "template() is never called with user input"}
            """));

        Assert.NotNull(vex.Find("CVE-2021-23337", [], Lodash, imageName: null));
        Assert.NotNull(vex.Find("GHSA-35jh-r3h4-6jhm", [], Lodash, imageName: null)); // the statement's alias is the advisory
        Assert.NotNull(vex.Find("ghsa-35JH-r3h4-6jhm", [], Lodash, imageName: null));
        Assert.NotNull(vex.Find("OSV-2021-1", ["CVE-2021-23337"], Lodash, imageName: null)); // the advisory's alias is the statement's name
        Assert.NotNull(vex.Find("NSWG-1", ["https://nvd.nist.gov/vuln/detail/CVE-2021-23337"], Lodash, imageName: null));
        Assert.Null(vex.Find("GHSA-xxxx-yyyy-zzzz", ["CVE-2020-8203"], Lodash, imageName: null));
        var statement = Assert.Single(vex.Statements);
        Assert.Equal(("CVE-2021-23337", null, "template() is never called with user input"), (statement.VulnerabilityId, statement.Justification, statement.ImpactStatement));
    }

    [Fact]
    public void An_image_with_subcomponents_scopes_to_those_packages_in_that_image()
    {
        var vex = Read(Document($$"""
            {"vulnerability": {"name": "CVE-2020-8203"},
             "products": [{"@id": "{{Image}}", "subcomponents": [{"@id": "pkg:npm/left-pad@1.3.0"}]}],
             "status": "not_affected", "justification": "vulnerable_code_not_present"}
            """));

        Assert.NotNull(vex.Find("CVE-2020-8203", [], LeftPad, ImageWithTag)); // the image's own purl has more qualifiers: still it
        Assert.NotNull(vex.Find("CVE-2020-8203", [], LeftPad, Image));
        Assert.Null(vex.Find("CVE-2020-8203", [], Lodash, ImageWithTag)); // another package in the image
        Assert.Null(vex.Find("CVE-2020-8203", [], LeftPad, "pkg:oci/other@sha256%3A2222")); // the package in another image
        Assert.Null(vex.Find("CVE-2020-8203", [], LeftPad, imageName: null)); // an image we cannot name
        Assert.NotNull(vex.Find("CVE-2020-8203", [], LeftPad, ["registry.example.com/team/app:1.4", Image]));
    }

    [Fact]
    public void An_image_without_subcomponents_covers_every_package_in_it_and_names_match_as_written()
    {
        var vex = Read(Document("""
            {"vulnerability": {"name": "CVE-2024-0001"}, "products": [{"@id": "registry.example.com/team/app:1.4"}],
             "status": "not_affected", "justification": "component_not_present"}
            """));

        Assert.NotNull(vex.Find("CVE-2024-0001", [], LeftPad, "registry.example.com/team/app:1.4"));
        Assert.NotNull(vex.Find("CVE-2024-0001", [], Lodash, "registry.example.com/team/app:1.4"));
        Assert.Null(vex.Find("CVE-2024-0001", [], Lodash, "registry.example.com/team/app:1.5"));
        Assert.Null(vex.Find("CVE-2024-0001", [], Lodash, imageName: null));
    }

    [Fact]
    public void Each_products_subcomponents_scope_that_product_only()
    {
        var vex = Read(Document("""
            {"vulnerability": {"name": "CVE-2020-8203"},
             "products": [
               {"@id": "pkg:oci/one@sha256%3Aaaaa", "subcomponents": [{"@id": "pkg:npm/left-pad"}]},
               {"@id": "pkg:oci/two@sha256%3Abbbb", "subcomponents": [{"identifiers": {"purl": "pkg:npm/lodash"}}]}],
             "status": "fixed"}
            """));

        Assert.NotNull(vex.Find("CVE-2020-8203", [], LeftPad, "pkg:oci/one@sha256%3Aaaaa"));
        Assert.NotNull(vex.Find("CVE-2020-8203", [], Lodash, "pkg:oci/two@sha256%3Abbbb"));
        Assert.Null(vex.Find("CVE-2020-8203", [], Lodash, "pkg:oci/one@sha256%3Aaaaa"));
        Assert.Null(vex.Find("CVE-2020-8203", [], LeftPad, "pkg:oci/two@sha256%3Abbbb"));
    }

    [Fact]
    public void The_latest_statement_wins_and_document_order_breaks_ties()
    {
        const string Investigating = """
            {"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": "pkg:deb/debian/openssl"}], "status": "under_investigation", "timestamp": "2026-01-01T10:00:00Z"}
            """;
        const string NotAffected = """
            {"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": "pkg:deb/debian/openssl"}], "status": "not_affected",
             "justification": "inline_mitigations_already_exist", "timestamp": "2026-02-01T10:00:00+01:00"}
            """;
        const string AffectedLater = """
            {"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": "pkg:deb/debian/openssl"}], "status": "affected",
             "action_statement": "upgrade to 3.0.13", "timestamp": "2026-03-01T00:00:00Z"}
            """;

        Assert.Equal(VexStatus.NotAffected, Read(Document(Investigating, NotAffected)).Find("CVE-2023-5678", [], OpenSsl, imageName: null)!.Status);
        Assert.Equal(VexStatus.NotAffected, Read(Document(NotAffected, Investigating)).Find("CVE-2023-5678", [], OpenSsl, imageName: null)!.Status);
        var affected = Read(Document(NotAffected, AffectedLater, Investigating)).Find("CVE-2023-5678", [], OpenSsl, imageName: null)!;
        Assert.Equal((VexStatus.Affected, "upgrade to 3.0.13", false), (affected.Status, affected.ActionStatement, affected.Suppresses));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), affected.Timestamp);

        // Without their own timestamps both statements have the document's: the later one in the document wins.
        const string Fixed = """{"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": "pkg:deb/debian/openssl"}], "status": "fixed"}""";
        const string Affected = """{"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": "pkg:deb/debian/openssl"}], "status": "affected"}""";
        var tie = Read(Document(Fixed, Affected));
        Assert.Equal(VexStatus.Affected, tie.Find("CVE-2023-5678", [], OpenSsl, imageName: null)!.Status);
        Assert.Equal(DocumentTime, tie.Statements[0].Timestamp);
        Assert.Equal(VexStatus.Fixed, Read(Document(Affected, Fixed)).Find("CVE-2023-5678", [], OpenSsl, imageName: null)!.Status);
    }

    [Fact]
    public void Invalid_statements_are_reported_and_not_honoured()
    {
        var vex = Read(Document(
            """{"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": "pkg:deb/debian/openssl"}], "status": "affected", "timestamp": "2026-01-01T00:00:00Z"}""",
            """{"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": "pkg:deb/debian/openssl"}], "status": "not_affected", "timestamp": "2026-06-01T00:00:00Z"}""",
            """{"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": "pkg:deb/debian/openssl"}], "status": "not_affected", "justification": "trust_me"}""",
            """{"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": "pkg:deb/debian/openssl"}], "status": "wont_fix"}""",
            """{"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": "pkg:deb/debian/openssl"}]}""",
            """{"vulnerability": {"name": "CVE-2023-5678"}, "status": "not_affected", "justification": "component_not_present"}""",
            """{"products": [{"@id": "pkg:deb/debian/openssl"}], "status": "fixed"}""",
            """{"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": "pkg:deb/debian/openssl"}], "status": "fixed", "timestamp": "yesterday"}""",
            "\"not an object\""));

        // The bare not_affected is newer than "affected" but invalid, so "affected" (and the "fixed" with a bad timestamp,
        // which falls back to the document's time and is older) decide nothing: the valid affected statement is newest.
        Assert.Equal(VexStatus.Affected, vex.Find("CVE-2023-5678", [], OpenSsl, imageName: null)!.Status);
        Assert.Equal(2, vex.Statements.Count);
        Assert.Collection(
            vex.Problems,
            p => Assert.Equal("statements[1] (CVE-2023-5678) is not_affected without a justification or an impact_statement, which OpenVEX requires; not honoured", p),
            p => Assert.Contains("justification \"trust_me\", which is not an OpenVEX justification", p, StringComparison.Ordinal),
            p => Assert.Contains("status \"wont_fix\"", p, StringComparison.Ordinal),
            p => Assert.Equal("statements[4] (CVE-2023-5678) has no status; left out", p),
            p => Assert.Contains("statements[5] (CVE-2023-5678) names no product", p, StringComparison.Ordinal),
            p => Assert.Equal("statements[6] names no vulnerability; left out", p),
            p => Assert.Equal("statements[7] (CVE-2023-5678): timestamp \"yesterday\" is not a date and time; ignored", p),
            p => Assert.Equal("statements[8] is not an object; left out", p));
    }

    [Fact]
    public void The_older_0_0_x_shape_with_plain_strings_is_read()
    {
        var vex = Read($$"""
            {
              "@context": "https://openvex.dev/ns",
              "@id": "https://openvex.dev/docs/example/vex-0001",
              "author": "Platform Security <security@example.com>",
              "role": "Document Creator",
              "timestamp": "2023-01-08T18:02:03-06:00",
              "version": "1",
              "statements": [
                {"vulnerability": "CVE-2020-8203", "products": ["{{Image}}"], "subcomponents": ["pkg:npm/left-pad@1.3.0"],
                 "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"},
                {"vulnerability": "CVE-2023-5678", "products": ["pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64"], "status": "fixed"}
              ]
            }
            """);

        Assert.Empty(vex.Problems);
        Assert.NotNull(vex.Find("CVE-2020-8203", [], LeftPad, ImageWithTag));
        Assert.Null(vex.Find("CVE-2020-8203", [], Lodash, ImageWithTag));
        var fixedOne = vex.Find("CVE-2023-5678", [], OpenSsl, imageName: null)!;
        Assert.Equal((VexStatus.Fixed, new DateTimeOffset(2023, 1, 8, 18, 2, 3, TimeSpan.FromHours(-6))), (fixedOne.Status, fixedOne.Timestamp));
    }

    [Fact]
    public void Documents_combine_in_order_with_problems_named_by_file()
    {
        var first = OpenVex.Read(Stream(Document("""{"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": "pkg:deb/debian/openssl"}], "status": "affected"}""")), "first.json");
        var second = OpenVex.Read(Stream(Document(
            """{"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": "pkg:deb/debian/openssl"}], "status": "fixed"}""",
            """{"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": "pkg:deb/debian/openssl"}], "status": "not_affected"}""")), "second.json");

        var both = VexDocument.Combine([first, second]);
        Assert.Equal(VexStatus.Fixed, both.Find("CVE-2023-5678", [], OpenSsl, imageName: null)!.Status);
        Assert.StartsWith("second.json: statements[1]", Assert.Single(both.Problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\n  \"@context\": \"https://openvex.dev/ns/v0.2.0\",\n  \"statements\": [}\n", "vex.json:3: not valid JSON")]
    [InlineData("""{"bomFormat": "CycloneDX", "specVersion": "1.6", "vulnerabilities": []}""", "vex.json: not an OpenVEX document: a CycloneDX document")]
    [InlineData("""{"document": {"csaf_version": "2.0"}}""", "vex.json: not an OpenVEX document: a CSAF document")]
    [InlineData("""{"@context": "https://example.com/ns", "statements": []}""", "vex.json: not an OpenVEX document: its @context is not https://openvex.dev/ns")]
    [InlineData("[]", "vex.json: not an OpenVEX document: not a JSON object")]
    public void A_file_that_is_not_OpenVEX_is_an_error_naming_it(string text, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => OpenVex.Read(Stream(text), "vex.json"));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_is_refused_with_the_file_named()
    {
        var deep = Document("""{"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": "pkg:deb/debian/openssl"}], "status": "fixed", "x": """
            + new string('[', 1000) + new string(']', 1000) + "}");
        var error = Assert.Throws<InvalidDataException>(() => Read(deep));
        Assert.StartsWith("vex.json:", error.Message, StringComparison.Ordinal);
        Assert.Contains("depth", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Files_are_read_by_path_and_a_missing_one_is_named()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder["vex.json"], Document("""{"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": "pkg:deb/debian/openssl"}], "status": "fixed"}"""));
        Assert.Equal(folder["vex.json"], OpenVex.Read(folder["vex.json"]).File);
        Assert.StartsWith(folder["gone.json"] + ": cannot be read", Assert.Throws<InvalidDataException>(() => OpenVex.Read(folder["gone.json"])).Message, StringComparison.Ordinal);
    }

    private static readonly DateTimeOffset DocumentTime = new(2025, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static string Document(params string[] statements) => $$"""
        {
          "@context": "https://openvex.dev/ns/v0.2.0",
          "@id": "https://openvex.dev/docs/public/vex-bulwark-test",
          "author": "Platform Security <security@example.com>",
          "timestamp": "2025-12-01T09:00:00Z",
          "version": 1,
          "statements": [{{string.Join(",\n", statements)}}]
        }
        """;

    private static VexDocument Read(string json) => OpenVex.Read(Stream(json), "vex.json");

    private static MemoryStream Stream(string text) => new(Encoding.UTF8.GetBytes(text));
}

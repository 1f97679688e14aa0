using System.Text.Json;
using Bulwark.Cli;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Images.Tests.Scanning;

/// <summary><c>bulwark image</c> end to end on the real images of <see cref="RealImages"/>, in every form they are written in.</summary>
public sealed class ImageCommandTests(RealImages images) : IClassFixture<RealImages>
{
    public sealed record Result(int ExitCode, string Out, string Error);

    public static Result Run(params string[] args) => RunWithInput(string.Empty, args);

    public static Result RunWithInput(string stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr, () => new MemoryStream(System.Text.Encoding.UTF8.GetBytes(stdin)));
        return new Result(code, stdout.ToString(), stderr.ToString());
    }

    [SkippableFact]
    public void Every_form_reports_the_deleted_key_and_the_config_the_same_way()
    {
        images.Require();
        foreach (var form in images.Forms.Keys)
        {
            Check(form);
        }
    }

    private void Check(string form)
    {
        var result = Run("image", images.Forms[form], "--format", "json", "--no-cache");

        Assert.True(result.ExitCode == 1, form + ": " + result.Error + result.Out);
        using var json = JsonDocument.Parse(result.Out);
        var findings = json.RootElement.GetProperty("findings").EnumerateArray()
            .Select(f => (Rule: f.GetProperty("slug").GetString(), File: f.GetProperty("file").GetString(), Message: f.GetProperty("message").GetString()!))
            .ToList();
        var key = Assert.Single(findings, f => f.Rule == "secret-file-in-image");
        Assert.Equal("/app/key.pem", key.File);
        Assert.Contains("layer 1", key.Message, StringComparison.Ordinal);
        Assert.Contains("still in the image", key.Message, StringComparison.Ordinal);
        Assert.Contains(findings, f => f.Rule == "secret-in-environment" && f.Message.Contains("API_KEY", StringComparison.Ordinal));
        Assert.DoesNotContain(findings, f => f.Rule == "runs-as-root");

        var image = Assert.Single(json.RootElement.GetProperty("images").EnumerateArray());
        Assert.Equal("debian", image.GetProperty("os").GetProperty("id").GetString());
        Assert.Equal("1000:1000", image.GetProperty("user").GetString());
        Assert.Equal(3, image.GetProperty("layers").GetArrayLength());
        Assert.Equal("RUN rm /app/key.pem", image.GetProperty("layers")[1].GetProperty("createdBy").GetString());

        // The Go program's toolchain and modules, and the npm package, each with the file that records it and its layer.
        var packages = image.GetProperty("packages").EnumerateArray()
            .Select(p => (Type: p.GetProperty("type").GetString(), Name: p.GetProperty("name").GetString(), Version: p.GetProperty("version").GetString(),
                Path: p.GetProperty("path").GetString(), Layer: p.GetProperty("layer").GetInt32(), Purl: p.GetProperty("purl").GetString()))
            .ToList();
        var (goVersion, _) = Packages.GoProgram.VersionM(Packages.GoProgram.Binary);
        Assert.Contains(("golang", "stdlib", "v" + goVersion.TrimStart('g', 'o'), "/app/bin/greet", 0), packages.Select(p => (p.Type, p.Name, p.Version, p.Path, p.Layer)));
        Assert.Contains(packages, p => p.Type == "golang" && p.Name == "example.com/greet" && p.Path == "/app/bin/greet");
        Assert.Contains(("npm", "@bulwark/greet-js", "2.1.0", "/app/node_modules/@bulwark/greet-js/package.json", 0, "pkg:npm/%40bulwark/greet-js@2.1.0"),
            packages.Select(p => (p.Type, p.Name, p.Version, p.Path, p.Layer, p.Purl)));
    }

    [SkippableFact]
    public void An_image_that_cannot_be_read_is_an_input_error_and_the_others_are_still_reported()
    {
        images.Require();
        using var folder = new TempFolder();
        File.WriteAllText(folder["broken.tar"], "not an archive");
        var result = Run("image", "docker-archive:" + folder["broken.tar"], images.Forms["oci-dir"], "--format", "json", "--no-cache");

        Assert.Equal(2, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Single(json.RootElement.GetProperty("images").EnumerateArray());
        var error = Assert.Single(json.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Contains("broken.tar", error.GetProperty("file").GetString(), StringComparison.Ordinal);
        Assert.Contains("broken.tar", result.Error, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_second_scan_with_the_layer_cache_reports_the_same()
    {
        images.Require();
        using var folder = new TempFolder();
        var first = Run("image", images.Forms["podman save docker-archive"], "--format", "json", "--cache-dir", folder["cache"]);
        Assert.NotEmpty(Directory.GetFiles(folder["cache"], "*.json.gz", SearchOption.AllDirectories));
        var second = Run("image", images.Forms["podman save docker-archive"], "--format", "json", "--cache-dir", folder["cache"]);
        Assert.Equal(first, second);
    }

    [SharedDataFact]
    public void The_sbom_formats_write_valid_documents_of_the_image_and_exit_0_despite_findings()
    {
        var rootfs = "dir:" + RepositoryPaths.InRepo("examples", "image", "rootfs");
        var cyclonedx = Run("image", rootfs, "--format", "cyclonedx");
        Assert.True(cyclonedx.ExitCode == 0, cyclonedx.Error);
        using (var bom = JsonDocument.Parse(cyclonedx.Out))
        {
            Assert.Empty(Sbom.SbomSchemas.CycloneDxErrors(bom.RootElement));
            var purls = bom.RootElement.GetProperty("components").EnumerateArray()
                .Where(c => c.TryGetProperty("purl", out _)).Select(c => c.GetProperty("purl").GetString()).ToList();
            Assert.Contains("pkg:npm/left-pad@1.3.0", purls);
            Assert.Contains("pkg:deb/debian/libc6@2.36-9%2Bdeb12u10?arch=amd64&distro=debian-12&upstream=glibc", purls);
        }

        var spdx = Run("image", rootfs, "--format", "spdx-json");
        Assert.True(spdx.ExitCode == 0, spdx.Error);
        using (var document = JsonDocument.Parse(spdx.Out))
        {
            Assert.Empty(Sbom.SbomSchemas.SpdxErrors(document.RootElement));
            Assert.Equal(5 + 2, document.RootElement.GetProperty("packages").GetArrayLength()); // the image, the OS and five packages
        }

        Assert.Equal(1, Run("image", rootfs, "--format", "cyclonedx", "--fail-on", "high").ExitCode);
        Assert.Equal(2, Run("image", rootfs, rootfs, "--format", "spdx-json").ExitCode);
    }

    [Fact]
    public void A_wrong_platform_or_ratio_is_a_usage_error()
    {
        Assert.Equal(2, Run("image", "dir:/nonexistent", "--platform", "amd64").ExitCode);
        Assert.Equal(2, Run("image", "dir:/nonexistent", "--max-compression-ratio", "0").ExitCode);
        var missing = Run("image", "dir:/nonexistent/rootfs", "--no-cache");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("/nonexistent/rootfs", missing.Out + missing.Error, StringComparison.Ordinal);
    }
}

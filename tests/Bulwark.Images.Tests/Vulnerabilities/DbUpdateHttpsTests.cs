using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Images.Tests.Vulnerabilities;

/// <summary>
/// <c>bulwark db update</c> from a mirror over TLS with a self-signed certificate made in the test: refused unless
/// trusted with <c>--ca-cert</c> (or skipped with <c>--insecure</c>), and never led from HTTPS down to plain HTTP.
/// </summary>
public sealed class DbUpdateHttpsTests : IDisposable
{
    private static readonly X509Certificate2 Certificate = FeedServer.SelfSignedCertificate();

    private readonly FeedServer _mirror = new(Certificate);
    private readonly FeedServer _plain = new();
    private readonly TempFolder _temp = new();
    private readonly List<IReadOnlyList<string>> _imports = [];

    public DbUpdateHttpsTests() => File.WriteAllText(_temp["mirror-ca.pem"], Certificate.ExportCertificatePem());

    public void Dispose()
    {
        _mirror.Dispose();
        _plain.Dispose();
        _temp.Dispose();
    }

    [SharedDataFact]
    public void A_mirror_with_a_private_ca_is_refused_until_its_certificate_is_trusted()
    {
        var options = SampleFeeds.ServeAll(_mirror);

        var untrusted = Run([.. options, "--feed", "debian"]);
        Assert.Equal(2, untrusted.ExitCode);
        Assert.Contains($"{_mirror.Base}debian/json: cannot reach {_mirror.Base.GetLeftPart(UriPartial.Authority)}", untrusted.Error, StringComparison.Ordinal);
        Assert.Contains("--ca-cert", untrusted.Error, StringComparison.Ordinal);
        Assert.Empty(_imports);

        var trusted = Run([.. options, "--feed", "debian,alpine", "--ca-cert", _temp["mirror-ca.pem"]]);
        Assert.True(trusted.ExitCode == 0, trusted.Error);
        Assert.Equal(["debian-tracker.json", "alpine-v3.11-main.json", "alpine-v3.11-community.json"], Assert.Single(_imports).Select(Path.GetFileName));

        var insecure = Run([.. options, "--feed", "nodejs", "--insecure"]);
        Assert.True(insecure.ExitCode == 0, insecure.Error);
        Assert.Equal(2, _imports.Count);
    }

    [SharedDataFact]
    public void A_redirect_from_https_to_plain_http_is_refused_and_never_followed()
    {
        var options = SampleFeeds.ServeAll(_mirror);
        SampleFeeds.ServeAll(_plain);
        var url = _mirror.Serve("/nodejs/main.zip", FeedServer.Reply.Redirect(new Uri(_plain.Base, "nodejs/main.zip")));

        var result = Run([.. options, "--feed", "nodejs", "--ca-cert", _temp["mirror-ca.pem"]]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{url}: the server redirects from HTTPS to plain HTTP ({_plain.Base}nodejs/main.zip)", result.Error, StringComparison.Ordinal);
        Assert.Empty(_plain.Requests);
        Assert.Empty(_imports);
    }

    [SharedDataFact]
    public void A_redirect_that_stays_on_https_is_followed()
    {
        var options = SampleFeeds.ServeAll(_mirror);
        _mirror.Serve("/nodejs/main.zip", FeedServer.Reply.Redirect(new Uri("/codeload/security-wg-main.zip", UriKind.Relative)));
        _mirror.Serve("/codeload/security-wg-main.zip", SampleFeeds.ByPath["nodejs/main.zip"]);

        var result = Run([.. options, "--feed", "nodejs", "--ca-cert", _temp["mirror-ca.pem"]]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(["/nodejs/main.zip", "/codeload/security-wg-main.zip"], _mirror.Requests);
    }

    private (int ExitCode, string Out, string Error) Run(string[] args) => DbUpdateCommandTests.RunUpdate(Record, _temp.Path, args);

    private int Record(string? database, IReadOnlyList<string> files)
    {
        Assert.All(files, f => Assert.True(SHA256.HashData(File.ReadAllBytes(f)).Length > 0));
        _imports.Add([.. files]);
        return 0;
    }
}

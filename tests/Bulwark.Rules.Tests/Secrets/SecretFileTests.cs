using Bulwark.Core.Findings;
using Bulwark.Rules.Secrets;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Rules.Tests.Secrets;

/// <summary>Credential files: known by name and place (secret-file-in-image), and by content (the detector's file check).</summary>
public sealed class SecretFileTests
{
    private static List<Finding> Copy(string sources) =>
        TestScans.Run(BuiltInRules.All.Single(r => r.Descriptor.Slug == "secret-file-in-image"), $"FROM alpine:3.20\nCOPY {sources} /dest/\n", "Dockerfile");

    [Theory]
    [InlineData("vpn/ipsec.secrets")]
    [InlineData("ppp/chap-secrets")]
    [InlineData("ppp/pap-secrets")]
    [InlineData("home/.pgpass")]
    [InlineData(".netrc")]
    [InlineData("auth/htpasswd")]
    [InlineData(".git-credentials")]
    [InlineData(".npmrc")]
    [InlineData(".pypirc")]
    [InlineData("ci/.aws/credentials")]
    [InlineData(".aws")]
    [InlineData("gcp/application_default_credentials.json")]
    [InlineData("home/.config/gcloud/credentials.db")]
    [InlineData(".azure/msal_token_cache.json")]
    [InlineData("deploy/.kube/config")]
    [InlineData("deploy/prod.kubeconfig")]
    [InlineData("etc/kubernetes/admin.conf")]
    [InlineData("keys/id_ed25519")]
    [InlineData("etc/ssh/ssh_host_rsa_key")]
    [InlineData(".ssh")]
    [InlineData("tls/server.key")]
    [InlineData("tls/privkey.pem")]
    [InlineData("signing/release.p12")]
    [InlineData("certs/client.pfx")]
    [InlineData(".gnupg")]
    public void Credential_files_are_reported(string source) => Assert.Single(Copy(source));

    [Theory]
    [InlineData("keys/id_ed25519.pub")]
    [InlineData("etc/ssh/ssh_host_rsa_key.pub")]
    [InlineData("deploy/.ssh/known_hosts")]
    [InlineData("tls/fullchain.pem")]
    [InlineData("config/.env.example")]
    [InlineData("nginx/admin.conf")]
    [InlineData("docs/credentials.md")]
    [InlineData("gcloud")]
    [InlineData("credentials")]
    public void Other_files_are_not(string source) => Assert.Empty(Copy(source));

    [Fact]
    public void A_bare_credentials_file_is_AWS_s_when_it_goes_to_dot_aws() =>
        Assert.Single(TestScans.Run(BuiltInRules.All.Single(r => r.Descriptor.Slug == "secret-file-in-image"), "FROM alpine:3.20\nCOPY credentials /root/.aws/credentials\n", "Dockerfile"));

    private const string RsaBody = "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\nVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n";

    [Fact]
    public void A_private_key_block_with_a_body_is_a_credential_and_one_without_is_a_placeholder()
    {
        var key = Assert.Single(SecretDetector.InFile("server.pem", "# server key\n-----BEGIN RSA PRIVATE KEY-----\n" + RsaBody + "-----END RSA PRIVATE KEY-----\n"));
        Assert.Equal(2, key.Line);
        Assert.Equal(SecretClass.Credential, key.Match.Class);

        var stub = Assert.Single(SecretDetector.InFile("server.pem", "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n"));
        Assert.Equal(SecretClass.Placeholder, stub.Match.Class);
    }

    [Fact]
    public void A_certificate_is_not_a_secret() =>
        Assert.Empty(SecretDetector.InFile("ca.pem", "-----BEGIN CERTIFICATE-----\n" + RsaBody + "-----END CERTIFICATE-----\n"));

    [Theory]
    [InlineData(".netrc", "machine git.example.com login deploy password Wq7zP2kL9mXr\n", 1)]
    [InlineData(".pgpass", "# host:port:db:user:password\ndb.internal:5432:shop:shop:Wq7zP2kL9mXr\n", 2)]
    [InlineData("chap-secrets", "# client server secret IP addresses\n\"vpnuser\" * \"Wq7zP2kL9mXr\" *\n", 2)]
    [InlineData("ipsec.secrets", "# PSK for the tunnel\n%any %any : PSK \"Wq7zP2kL9mXr\"\n", 2)]
    [InlineData(".npmrc", "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=npm_Zq7Xk2Lw9Rt4Vb8Nm3Pd6Hs1Jf5Gc0Ya2Ue7\n", 2)]
    [InlineData("credentials", "[default]\naws_access_key_id = AKIA2E0A8F3B244C9986\naws_secret_access_key = k3Lq9Zp2Xw7Vt5Rn1Mb8Hc4Jd6Gf0Ys2Ue9Ti3Ao\n", 2)]
    [InlineData("app.env", "LOG_LEVEL=info\nDB_PASSWORD=Wq7zP2kL9mXr\n", 2)]
    public void Credential_files_are_read_line_by_line(string file, string text, int line)
    {
        var found = SecretDetector.InFile(file, text);
        Assert.Contains(found, f => f.Line == line && f.Match.Class != SecretClass.Placeholder);
    }

    [Theory]
    [InlineData(".pgpass", "db.internal:5432:shop:shop:*\n")]
    [InlineData("app.env", "LOG_LEVEL=info\nDB_PASSWORD_FILE=/run/secrets/db\nPORT=8080\n")]
    [InlineData("nginx.conf", "server {\n  listen 443 ssl;\n  ssl_certificate_key /etc/tls/server.key;\n}\n")]
    public void Files_without_credentials_give_nothing(string file, string text) =>
        Assert.DoesNotContain(SecretDetector.InFile(file, text), f => f.Match.Class != SecretClass.Placeholder);
}

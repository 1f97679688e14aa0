using Bulwark.Rules.Secrets;
using CsCheck;
using Xunit;

namespace Bulwark.Rules.Tests.Secrets;

/// <summary>Names, values and files from strangers: the detector never throws, and file matches point at lines of the file.</summary>
public sealed class SecretDetectorPropertyTests
{
    // Pieces of names and values that reach every branch: formats, references, placeholders, URLs, connection strings.
    private static readonly string[] Pieces =
    [
        "PASSWORD", "_", "KEY", "TOKEN", "SECRET", "AUTH", "FILE", "GPG", "=", ";", ":", "@", "//", "://", "${", "}", "$(", ")", "<", ">",
        "ghp_", "AKIA", "xoxb-", "eyJ", ".", "-----BEGIN PRIVATE KEY-----", "\n", "base64:", "Password=", "AccountKey=", "?token=", "\"auth\":\"",
        "changeme", "xxxx", "admin", "Zq7Xk2Lw9Rt4Vb8Nm3Pd6Hs1", "0", "9f86d081884c7d65", " ", "'", "\"", "[\"", "\"]", "%", "+", "/", "=",
    ];

    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.Int[0, Pieces.Length - 1].Array[0, 12].Select(picks => string.Concat(picks.Select(i => Pieces[i]))),
        Gen.String);

    [Fact]
    public void Any_name_and_value_is_judged_without_throwing() =>
        Gen.Select(Text, Text).Sample((name, value) =>
        {
            var match = SecretDetector.Detect(name, value);
            Assert.True(match is null || match.Describe().Length > 0);
            _ = SecretDetector.NameLooksSecret(name);
            _ = SecretDetector.NameSaysNotSecret(name);
        });

    [Fact]
    public void Any_file_text_is_read_without_throwing_and_lines_stay_in_the_file() =>
        Gen.Select(Text.Array[0, 20], Gen.Int[0, 5].Select(i => new[] { ".netrc", ".pgpass", "chap-secrets", "ipsec.secrets", "app.env", "key.pem" }[i])).Sample((lines, file) =>
        {
            var text = string.Join('\n', lines);
            var count = text.Split('\n').Length;
            Assert.All(SecretDetector.InFile(file, text), m => Assert.InRange(m.Line, 1, count));
        });
}

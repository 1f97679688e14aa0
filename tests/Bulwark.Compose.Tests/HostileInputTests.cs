using System.Text;
using Bulwark.Core.Findings;
using Bulwark.Parsing.Compose;
using CsCheck;
using Xunit;

namespace Bulwark.Compose.Tests;

/// <summary>No input may crash, hang or exhaust memory: property tests over the small languages, bounds on the loader.</summary>
public sealed class HostileInputTests : IDisposable
{
    private readonly TempProject _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly Gen<string> TemplateText = Gen.String[Gen.Char["$${}:-+?[]ab_1 \n'\"#=/\\~."], 0, 40];

    [Fact]
    public void Substitution_never_throws_and_plain_text_is_unchanged() =>
        TemplateText.Sample(text =>
        {
            var result = ComposeInterpolation.Substitute(text, name => name.Length % 2 == 0 ? "v" : null);
            if (!text.Contains('$', StringComparison.Ordinal))
            {
                Assert.Equal(text, result.Value);
            }

            _ = ComposeInterpolation.ExtractVariables([text]);
        });

    [Fact]
    public void Volume_syntax_never_throws() =>
        TemplateText.Sample(text =>
        {
            var volume = ComposeVolumeSyntax.Parse(text, out var error);
            Assert.True(volume is not null ^ error is not null);
        });

    [Fact]
    public void Dotenv_never_throws() => TemplateText.Sample(text => _ = DotEnvFile.Parse("x.env", text, _ => null));

    [Fact]
    public void Ports_and_security_options_never_throw() =>
        TemplateText.Sample(text =>
        {
            _ = ComposeSecurityOption.Parse(text, default);
            _ = ComposePort.ParseShort(text, default);
        });

    [Fact]
    public void An_alias_bomb_is_refused_with_an_error()
    {
        var yaml = new StringBuilder("x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i < 9; i++)
        {
            yaml.Append(CultureInfoInvariant($"x-{(char)('a' + i)}: &{(char)('a' + i)} [")).Append(string.Join(", ", Enumerable.Repeat("*" + (char)('a' + i - 1), 10))).Append("]\n");
        }

        yaml.Append("services:\n  web:\n    image: web:1\n    environment: *i\n");
        _dir.Write("compose.yaml", yaml.ToString());

        var project = _dir.Load();

        Assert.Contains(project.Errors, e => e.Message.Contains("alias", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Deep_nesting_is_refused_with_an_error()
    {
        _dir.Write("compose.yaml", "services:\n  web:\n    x-deep: " + new string('[', 10_000) + new string(']', 10_000) + "\n");

        var project = _dir.Load();

        Assert.Contains(project.Errors, e => e.Message.Contains("nesting", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void A_long_value_with_many_references_interpolates_in_linear_time()
    {
        var value = string.Concat(Enumerable.Repeat("${A:-x}${B}$C[", 20_000));
        _dir.Write("compose.yaml", $"services:\n  web:\n    image: \"{value}\"\n");

        var project = _dir.Load(options: new ComposeLoadOptions { Environment = new Dictionary<string, string> { ["B"] = "b", ["C"] = "c" } });

        Assert.Empty(project.Errors);
        Assert.Equal(string.Concat(Enumerable.Repeat("xbc[", 20_000)), project.Service("web")!.Image!.Value.Value);
    }

    [Fact]
    public void Many_extends_files_are_bounded()
    {
        for (var i = 0; i < 20; i++)
        {
            _dir.Write($"f{i}.yaml", $"services:\n  s:\n    extends: {{ file: f{i + 1}.yaml, service: s }}\n    image: i{i}\n");
        }

        _dir.Write("f20.yaml", "services:\n  s:\n    image: last\n");
        _dir.Write("compose.yaml", "services:\n  web:\n    extends: { file: f0.yaml, service: s }\n");

        var bounded = _dir.Load(options: new ComposeLoadOptions { MaxFiles = 5 });
        Assert.Contains(bounded.Errors, e => e.Message.Contains("more than 5 Compose files", StringComparison.Ordinal));

        var full = _dir.Load();
        Assert.Empty(full.Errors);
        Assert.Equal("i0", full.Service("web")!.Image!.Value.Value);
        Assert.Equal(22, full.Files.Count);
    }

    private static string CultureInfoInvariant(FormattableString text) => FormattableString.Invariant(text);

    [Fact]
    public void Errors_are_input_errors_with_file_names() =>
        Assert.All(ComposeLoader.Load(_dir.PathOf("missing.yaml")).Errors, e => Assert.IsType<InputError>(e));
}

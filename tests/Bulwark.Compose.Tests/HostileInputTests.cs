using System.Text;
using System.Text.Json;
using Bulwark.Core.Findings;
using Bulwark.Parsing.Compose;
using Bulwark.Parsing.Documents;
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

    private static readonly string[] ServiceKeys =
    [
        "image", "build", "user", "privileged", "cap_add", "cap_drop", "security_opt", "read_only", "network_mode", "pid", "ipc",
        "userns_mode", "volumes", "use_api_socket", "devices", "sysctls", "ports", "environment", "env_file", "secrets", "tmpfs",
        "deploy", "mem_limit", "cpus", "healthcheck", "profiles", "extends", "post_start", "platform", "group_add", "command",
        "depends_on", "networks", "logging", "ulimits", "labels", "x-extra",
    ];

    private static readonly string[] InnerKeys = ["source", "target", "type", "read_only", "file", "service", "resources", "limits", "memory", "published", "path", "test"];

    private static readonly Gen<string> Text = Gen.String[Gen.Char["$${}:-+?[]ab_1 /\\~.=,\0"], 0, 12];

    private static readonly Gen<object?> Scalar = Gen.OneOf(
        Text.Select(s => (object?)s),
        Gen.Int[-5, 70_000].Select(i => (object?)i),
        Gen.Bool.Select(b => (object?)b),
        Gen.Bool.Select(_ => (object?)null));

    private static readonly Gen<object?> Inner = Gen.OneOf(
        Scalar,
        Scalar.List[0, 3].Select(l => (object?)l),
        Gen.Select(Pick(InnerKeys), Scalar).List[0, 3].Select(pairs => (object?)ToMap(pairs)));

    private static readonly Gen<object?> Value = Gen.OneOf(
        Inner,
        Inner.List[0, 3].Select(l => (object?)l),
        Gen.Select(Pick(InnerKeys), Inner).List[0, 3].Select(pairs => (object?)ToMap(pairs)));

    private static readonly Gen<Dictionary<string, object?>> Service = Gen.Select(Pick(ServiceKeys), Value).List[0, 8].Select(ToMap);

    private static Gen<string> Pick(string[] options) => Gen.Int[0, options.Length - 1].Select(i => options[i]);

    private static Dictionary<string, object?> ToMap(List<(string Key, object? Value)> pairs)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            map[key] = value;
        }

        return map;
    }

    [Fact]
    public void Random_service_definitions_never_throw() =>
        Gen.Select(Service, Service, Value).Sample((a, b, secrets) =>
        {
            var model = new Dictionary<string, object?>
            {
                ["services"] = new Dictionary<string, object?> { ["a"] = a, ["b"] = b },
                ["secrets"] = secrets,
            };
            var json = JsonSerializer.SerializeToUtf8Bytes(model);
            var file = SourceFile.Parse(_dir.PathOf("compose.json"), json, DocumentLimits.Default, json: true);

            var project = ComposeLoader.Load(file);

            foreach (var service in project.Services)
            {
                _ = ComposeWorkloadMapper.Map(service, project);
            }
        }, iter: 300);

    [Fact]
    public void Unusable_paths_from_yaml_escapes_are_errors()
    {
        _dir.Write("compose.yaml", """
            include:
              - "sub\0/compose.yaml"
            services:
              web:
                image: web:1
                extends: { file: "a\0b.yaml", service: x }
                env_file: "x\0.env"
                volumes: ["./d\0ata:/data"]
            """);

        var project = _dir.Load();

        Assert.Equal(2, project.Errors.Count);
        Assert.Null(Assert.Single(project.Services).Volumes[0].ResolvedSource);
    }

    [Fact]
    public void Errors_are_input_errors_with_file_names() =>
        Assert.All(ComposeLoader.Load(_dir.PathOf("missing.yaml")).Errors, e => Assert.IsType<InputError>(e));
}

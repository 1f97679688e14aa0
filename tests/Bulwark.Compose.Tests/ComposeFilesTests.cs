using Bulwark.Parsing.Compose;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Compose.Tests;

public sealed class ComposeFilesTests
{
    [Theory]
    [InlineData("compose.yaml", true)]
    [InlineData("compose.yml", true)]
    [InlineData("docker-compose.yml", true)]
    [InlineData("docker-compose.yaml", true)]
    [InlineData("/repo/deploy/docker-compose.prod.yml", true)]
    [InlineData("docker-compose.override.yaml", true)]
    [InlineData("compose.override.yaml", true)]
    [InlineData("compose.dev.yml", true)]
    [InlineData("Compose.YAML", true)]
    [InlineData("compose..yaml", false)]
    [InlineData("compose.json", false)]
    [InlineData("compose.yaml.bak", false)]
    [InlineData("my-compose.yaml", false)]
    [InlineData("docker-compose", false)]
    [InlineData("docker-compose.yml/other.txt", false)]
    [InlineData("deployment.yaml", false)]
    public void Recognises_compose_file_names(string path, bool expected) => Assert.Equal(expected, ComposeFiles.IsComposeFileName(path));

    [Theory]
    [InlineData("services:\n  web:\n    image: nginx\n", true)]
    [InlineData("services:\n  web:\n    build: .\n  db:\n", true)]
    [InlineData("version: '3'\nservices:\n  app:\n    command: run\n    x-meta: 1\n", true)]
    [InlineData("apiVersion: v1\nkind: Pod\nservices:\n  web:\n    image: nginx\n", false)]
    [InlineData("services:\n  web:\n    foo: bar\n", false)]
    [InlineData("services:\n  - web\n", false)]
    [InlineData("services:\n  web: nginx\n", false)]
    [InlineData("services: {}\n", false)]
    [InlineData("name: x\n", false)]
    [InlineData("- services\n", false)]
    public void Recognises_compose_content(string yaml, bool expected) =>
        Assert.Equal(expected, ComposeFiles.LooksLikeCompose(TestScans.Parse(yaml).Documents[0].Root));
}

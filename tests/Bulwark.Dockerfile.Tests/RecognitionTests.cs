using Bulwark.Parsing.Dockerfile;
using Xunit;

namespace Bulwark.Dockerfile.Tests;

public sealed class RecognitionTests
{
    [Theory]
    [InlineData("Dockerfile")]
    [InlineData("dockerfile")]
    [InlineData("Containerfile")]
    [InlineData("DOCKERFILE")]
    [InlineData("Dockerfile.prod")]
    [InlineData("Dockerfile-alpine")]
    [InlineData("Dockerfile_dev")]
    [InlineData("Dockerfile1.alpine")]
    [InlineData("dockerfile_1")]
    [InlineData("Containerfile.rootless")]
    [InlineData("Containerfilecachewrite")]
    [InlineData("prod.Dockerfile")]
    [InlineData("app.dockerfile")]
    [InlineData("web-Dockerfile")]
    [InlineData("base_containerfile")]
    [InlineData("docker/Dockerfile.j2")]
    public void Common_dockerfile_names_are_recognised(string name) => Assert.True(DockerfileDocument.IsDockerfileName(name));

    [Theory]
    [InlineData("Dockerfile.dockerignore")]
    [InlineData("Dockerfile.md")]
    [InlineData("Dockerfile.yaml")]
    [InlineData("dockerfile_test.go")]
    [InlineData("DockerfileParser.java")]
    [InlineData("Dockerfile.rego")]
    [InlineData("dockerfiles.txt")]
    [InlineData("mydockerfile")]
    [InlineData("compose.yaml")]
    [InlineData("Makefile")]
    public void Other_files_are_not(string name) => Assert.False(DockerfileDocument.IsDockerfileName(name));

    [Theory]
    [InlineData("FROM alpine:3.20\nRUN true\n")]
    [InlineData("from alpine\n")]
    [InlineData("\uFEFF# syntax=docker/dockerfile:1\n\n# a comment\nARG BASE=alpine\nFROM $BASE\n")]
    [InlineData("  FROM\talpine\n")]
    [InlineData("FROM --platform=$BUILDPLATFORM golang:1.23 AS build\n")]
    [InlineData("ARG VERSION=1.2 BASE\nFROM alpine:${VERSION}\n")]
    public void Content_that_starts_with_from_or_arg_is_a_dockerfile(string text) => Assert.True(DockerfileDocument.LooksLikeDockerfile(text));

    [Theory]
    [InlineData("apiVersion: v1\nkind: Pod\n")]
    [InlineData("FROM: alpine\n")]
    [InlineData("From the root of the repository, run make.\nThen build.\n")]
    [InlineData("RUN apk add curl\nFROM alpine\n")]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("Arg, this is not a Dockerfile.\n")]
    public void Other_content_is_not(string text) => Assert.False(DockerfileDocument.LooksLikeDockerfile(text));

    [Theory]
    [InlineData("RUN apk add curl\n", true)]
    [InlineData("FORM alpine\nRUN true\n", true)]
    [InlineData("package docker\n\ndefault allow := false\n", false)]
    [InlineData("BASE_IMAGE=alpine\n", false)]
    public void A_file_named_like_a_dockerfile_is_one_when_some_line_is_an_instruction(string text, bool expected) =>
        Assert.Equal(expected, DockerfileDocument.HasInstructionLine(text));
}

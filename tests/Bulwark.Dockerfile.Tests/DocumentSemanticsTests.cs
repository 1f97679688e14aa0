using Bulwark.Parsing.Dockerfile;
using Xunit;

namespace Bulwark.Dockerfile.Tests;

/// <summary>The semantic layer: stages, ARG/ENV scoping, USER, COPY --from, ONBUILD, positions, errors.</summary>
public sealed class DocumentSemanticsTests
{
    private static DockerfileDocument Doc(string text, DockerfileOptions? options = null)
    {
        var doc = DockerfileDocument.Parse("Dockerfile", text, options);
        Assert.True(doc.Errors.Count == 0, string.Join("; ", doc.Errors));
        return doc;
    }

    private static string Env(DockerfileInstruction instruction, string name) =>
        instruction.Environment.FirstOrDefault(kv => kv.Key == name).Value;

    [Fact]
    public void Global_args_resolve_in_FROM_and_stages_and_final_stage()
    {
        var doc = Doc("""
            ARG REGISTRY=docker.io
            ARG TAG=3.20
            FROM ${REGISTRY}/library/alpine:${TAG} AS build
            RUN echo $TAG
            FROM build AS test
            FROM scratch
            COPY --from=build /out /out
            """);
        Assert.Equal(2, doc.MetaArgs.Count);
        Assert.Equal(3, doc.Stages.Count);
        var build = doc.Stages[0];
        Assert.Equal("build", build.Name);
        Assert.Equal("${REGISTRY}/library/alpine:${TAG}", build.BaseName);
        Assert.Equal("docker.io/library/alpine:3.20", build.ResolvedBaseName);
        Assert.Equal("3.20", build.BaseImage!.Tag);
        Assert.Equal("docker.io", build.BaseImage.Registry);
        Assert.False(build.IsScratch);
        Assert.Null(Env(build.Instructions[0], "TAG"));
        Assert.Same(build, doc.Stages[1].BaseStage);
        Assert.Equal("3.20", doc.Stages[1].BaseImage!.Tag);
        Assert.True(doc.Stages[2].IsScratch);
        Assert.Null(doc.Stages[2].BaseImage);
        Assert.Same(doc.Stages[2], doc.FinalStage);
        Assert.Same(build, doc.Stages[2].Instructions[0].CopyFrom!.Stage);
    }

    [Fact]
    public void Arg_redeclared_in_a_stage_takes_the_global_value()
    {
        var doc = Doc("""
            ARG VERSION=1.2
            ARG UNUSED
            FROM alpine
            ARG VERSION
            ARG OTHER=x${VERSION}
            RUN make
            ARG UNUSED
            USER u-$UNUSED
            """);
        var stage = doc.FinalStage!;
        var run = stage.InstructionsOf("RUN").Single();
        Assert.Equal("1.2", Env(run, "VERSION"));
        Assert.Equal("x1.2", Env(run, "OTHER"));
        Assert.Equal("u-", stage.User);
        Assert.Contains("UNUSED", stage.DeclaredArgs);
    }

    [Fact]
    public void Stage_arg_is_visible_only_after_its_declaration_and_defaults_apply()
    {
        var doc = Doc("""
            FROM alpine
            USER ${NAME:-nobody}
            ARG NAME=app
            USER ${NAME:-nobody}
            """);
        var users = doc.FinalStage!.InstructionsOf("USER").ToList();
        Assert.Equal("nobody", users[0].ExpandedArguments[0]);
        Assert.Equal("app", users[1].ExpandedArguments[0]);
        Assert.Equal("app", doc.FinalStage.User);
        Assert.Same(users[1], doc.FinalStage.UserInstruction);
    }

    [Fact]
    public void Env_overrides_arg_and_env_uses_values_from_before_the_instruction()
    {
        var doc = Doc("""
            FROM alpine
            ARG U=fromarg
            ENV U=fromenv A=1
            ENV A=2 B=$A
            USER $U
            """);
        var stage = doc.FinalStage!;
        Assert.Equal("fromenv", stage.User);
        var env = stage.FinalImageEnvironment.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal("2", env["A"]);
        Assert.Equal("1", env["B"]);
        Assert.Equal("fromenv", stage.FinalEnvironment.Single(kv => kv.Key == "U").Value);
    }

    [Fact]
    public void Child_stage_inherits_env_args_user_and_workdir()
    {
        var doc = Doc("""
            FROM debian AS base
            ARG UID=1000
            ENV HOME=/home/app
            USER $UID
            WORKDIR /app
            FROM base AS final
            WORKDIR sub/../src
            RUN id
            FROM debian AS other
            RUN id
            """);
        var final = doc.FindStage("final")!;
        Assert.Equal("1000", final.User);
        Assert.Equal(4, final.UserInstruction!.StartLine);
        Assert.Equal("/app/src", final.WorkingDirectory);
        var run = final.InstructionsOf("RUN").Single();
        Assert.Equal("/home/app", Env(run, "HOME"));
        Assert.Equal("1000", Env(run, "UID"));
        Assert.Null(Env(doc.FindStage("other")!.Instructions[0], "HOME"));
        Assert.Null(doc.FindStage("other")!.User);
        Assert.Equal("debian", final.BaseImage!.Repository);
    }

    [Fact]
    public void User_from_build_arg_option()
    {
        var doc = Doc("FROM alpine\nARG RUNAS=root\nUSER $RUNAS\n", new DockerfileOptions { BuildArgs = new Dictionary<string, string> { ["RUNAS"] = "app" } });
        Assert.Equal("app", doc.FinalStage!.User);
    }

    [Fact]
    public void Platform_args_are_predefined_globally()
    {
        var doc = Doc("FROM --platform=$BUILDPLATFORM golang AS build\nARG TARGETARCH\nRUN echo $TARGETARCH\nFROM alpine\nRUN echo $TARGETARCH\n");
        Assert.Equal("linux/amd64", doc.Stages[0].ResolvedPlatform);
        Assert.Equal("$BUILDPLATFORM", doc.Stages[0].Platform);
        Assert.Equal("amd64", Env(doc.Stages[0].Instructions[1], "TARGETARCH"));
        Assert.Null(Env(doc.Stages[1].Instructions[0], "TARGETARCH"));
    }

    [Fact]
    public void Copy_from_stage_index_or_image()
    {
        var doc = Doc("FROM alpine AS a\nFROM busybox\nCOPY --from=0 /x /x\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\nCOPY --from=A /y /y\nRUN --mount=type=bind,from=a,target=/src make\n");
        var copies = doc.FinalStage!.InstructionsOf("COPY").ToList();
        Assert.Same(doc.Stages[0], copies[0].CopyFrom!.Stage);
        Assert.False(copies[1].CopyFrom!.IsStage);
        Assert.Equal("nginx:1.27", copies[1].CopyFrom!.Reference);
        Assert.Same(doc.Stages[0], copies[2].CopyFrom!.Stage);
        Assert.Same(doc.Stages[0], doc.FinalStage.InstructionsOf("RUN").Single().MountSources.Single().Stage);
    }

    [Fact]
    public void Copy_from_with_a_variable_is_refused()
    {
        var doc = DockerfileDocument.Parse("Dockerfile", "ARG SRC=a\nFROM alpine AS a\nFROM busybox\nARG SRC\nCOPY --from=$SRC /x /x\n");
        Assert.Contains(doc.Errors, e => e.Message.StartsWith("variable expansion is not supported for --from", StringComparison.Ordinal) && e.Line == 5);
    }

    [Theory]
    [InlineData("FROM busybox AS stage0\nCOPY --from=stage0 f1 /sub/\n", "circular dependency detected on stage: stage0", 2)]
    [InlineData("FROM busybox AS stage0\nCOPY --from=stage2 f1 /sub/\nFROM busybox AS stage1\nCOPY --from=stage0 f2 /sub/\nFROM busybox AS stage2\nCOPY --from=stage1 f2 /sub/\n", "circular dependency detected on stage: stage0", 2)]
    [InlineData("FROM busybox\nCOPY --from=0 f1 /sub/\n", "circular dependency detected on stage: ", 2)]
    [InlineData("FROM busybox\nRUN true\nFROM alpine\nRUN --mount=from=1,target=/x true\n", "circular dependency detected on stage: stage-1", 4)]
    public void Circular_dependencies_are_BuildKits_errors(string text, string message, int line)
    {
        var doc = DockerfileDocument.Parse("Dockerfile", text);
        var error = Assert.Single(doc.Errors);
        Assert.Equal((message, line), (error.Message, error.Line));
    }

    [Fact]
    public void Expose_splits_expanded_words_and_volume_refuses_empty_paths()
    {
        var doc = Doc("FROM a\nARG PORTS=\"80/tcp 443\"\nEXPOSE $PORTS 22\n");
        Assert.Equal(["80/tcp", "443", "22"], doc.FinalStage!.Instructions[1].ExpandedArguments);
        var bad = DockerfileDocument.Parse("Dockerfile", "FROM a\nVOLUME [\"\"]\n");
        Assert.Equal("VOLUME specified can not be an empty string", Assert.Single(bad.Errors).Message);
    }

    [Fact]
    public void Run_mounts_are_parsed()
    {
        var doc = Doc("FROM a AS src\nFROM b\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=from=src,src=/out,dst=/in,ro --network=none make\n");
        var run = doc.FinalStage!.Instructions[0];
        Assert.Equal(["secret", "cache", "bind"], run.Mounts.Select(m => m.Type));
        Assert.Equal("npmrc", run.Mounts[0].Id);
        Assert.Equal("/root/.npmrc", run.Mounts[0].Target);
        Assert.Equal("locked", run.Mounts[1].Option("sharing"));
        Assert.Equal(("/out", "/in", "true"), (run.Mounts[2].Source, run.Mounts[2].Target, run.Mounts[2].Option("ro")));
        Assert.Same(doc.Stages[0], run.MountSources.Single().Stage);
        Assert.Equal("none", run.Flag("network"));
        Assert.Equal((3, 5), (run.Flags[0].Location.Line, run.Flags[0].Location.Column));
    }

    [Fact]
    public void Csv_mount_values_follow_go_encoding_csv()
    {
        // Flag words lose unescaped quotes (extractBuilderFlags), so only escaped quotes reach the CSV reader.
        var unescaped = Doc("FROM a\nRUN --mount=type=bind,\"source=a,b\",target=/x true\n");
        Assert.Equal("a", unescaped.FinalStage!.Instructions[0].Mounts.Single().Source);
        var quoted = Doc("FROM a\nRUN --mount=type=bind,\\\"source=a,b\\\",target=/x true\n");
        Assert.Equal("a,b", quoted.FinalStage!.Instructions[0].Mounts.Single().Source);
        var doc = DockerfileDocument.Parse("Dockerfile", "FROM a\nRUN --mount=type=bind,sou\\\"rce=a true\n");
        Assert.StartsWith("failed to parse csv mounts", Assert.Single(doc.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Copy_from_a_later_stage_is_allowed()
    {
        var doc = Doc("FROM alpine AS a\nCOPY --from=b /x /x\nFROM busybox AS b\n");
        Assert.Same(doc.Stages[1], doc.Stages[0].Instructions[0].CopyFrom!.Stage);
    }

    [Fact]
    public void From_names_only_earlier_stages()
    {
        var doc = Doc("FROM later AS first\nFROM alpine AS later\n");
        Assert.Null(doc.Stages[0].BaseStage);
        Assert.Equal("later", doc.Stages[0].BaseImage!.Repository);
    }

    [Fact]
    public void Onbuild_trigger_is_kept_but_not_applied()
    {
        var doc = Doc("FROM alpine\nONBUILD USER root\nONBUILD COPY . /app\n");
        var onbuild = doc.FinalStage!.InstructionsOf("ONBUILD").ToList();
        Assert.Equal("USER", onbuild[0].Trigger!.Keyword);
        Assert.Equal(["root"], onbuild[0].Trigger!.Arguments.Select(a => a.Value));
        Assert.Null(doc.FinalStage.User);
        Assert.Equal("COPY", onbuild[1].Trigger!.Keyword);
    }

    [Theory]
    [InlineData("FROM a\nONBUILD ONBUILD RUN x\n", "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", 2)]
    [InlineData("FROM a\nONBUILD FROM b\n", "FROM isn't allowed as an ONBUILD trigger", 2)]
    [InlineData("FROM a\nONBUILD MAINTAINER b\n", "MAINTAINER isn't allowed as an ONBUILD trigger", 2)]
    [InlineData("FROM a\nRUNN x\n", "unknown instruction: RUNN (did you mean RUN?)", 2)]
    [InlineData("FROM a\nFOOBARBAZ x\n", "unknown instruction: FOOBARBAZ", 2)]
    [InlineData("FROM a\nrunn x\n", "unknown instruction: runn (did you mean run?)", 2)]
    [InlineData("FROM a\nRunn x\n", "unknown instruction: Runn (did you mean run?)", 2)]
    [InlineData("RUN x\nFROM a\n", "no build stage in current context", 1)]
    [InlineData("ARG x\n", "dockerfile contains no stages to build", 1)]
    [InlineData("FROM a b\n", "FROM requires either one or three arguments", 1)]
    [InlineData("FROM a AS 1x\n", "invalid name for build stage: \"1x\", name can't start with a number or contain symbols", 1)]
    [InlineData("FROM a\nCOPY x\n", "COPY requires at least two arguments, but only one was provided. Destination could not be determined", 2)]
    [InlineData("FROM a\nCOPY --form=b x y\n", "unknown flag: --form (did you mean from?)", 2)]
    [InlineData("FROM a\nCOPY --from x y\n", "missing a value on flag: --from", 2)]
    [InlineData("FROM a\nCOPY --link=maybe x y\n", "expecting boolean value for flag --link, not: maybe", 2)]
    [InlineData("FROM a\nCOPY --from=a --from=b x y\n", "duplicate flag specified: --from", 2)]
    [InlineData("FROM a\nSHELL /bin/bash -c\n", "SHELL requires the arguments to be in JSON form", 2)]
    [InlineData("FROM a\nWORKDIR\n", "WORKDIR requires exactly one argument", 2)]
    [InlineData("FROM a\nUSER ${X:?user is required}\n", "failed to process \"${X:?user is required}\": X: user is required", 2)]
    [InlineData("FROM ${IMAGE}\n", "base name (${IMAGE}) should not be blank", 1)]
    [InlineData("FROM a\nHEALTHCHECK CONNECT TCP 7000\n", "Unknown type \"CONNECT\" in HEALTHCHECK (try CMD)", 2)]
    [InlineData("FROM a\nCOPY <<EOF <<EOF2\nx\nEOF\ny\nEOF2\n", "COPY cannot accept a heredoc as a destination", 2)]
    [InlineData("FROM a\nMAINTAINER --boo joe@example.com\n", "unknown flag: --boo", 2)]
    [InlineData("FROM a\nCOPY\t\n\t\tquux \\\n      bar\n", "COPY requires at least two arguments, but only one was provided. Destination could not be determined", 2)]
    [InlineData("FROM a\nfoo bar\n", "unknown instruction: foo (did you mean from?)", 2)]
    [InlineData("FROM a\nMAINTAINER\n", "MAINTAINER requires exactly one argument", 2)]
    [InlineData("FROM a\nSTOPSIGNAL\n", "STOPSIGNAL requires exactly one argument", 2)]
    [InlineData("FROM a\nENV\n", "ENV requires at least one argument", 2)]
    [InlineData("FROM a\nLABEL\n", "LABEL requires at least one argument", 2)]
    [InlineData("FROM a\nONBUILD\n", "ONBUILD requires at least one argument", 2)]
    [InlineData("FROM a\nHEALTHCHECK\n", "HEALTHCHECK requires at least one argument", 2)]
    [InlineData("FROM a\nEXPOSE\n", "EXPOSE requires at least one argument", 2)]
    [InlineData("FROM a\nVOLUME\n", "VOLUME requires at least one argument", 2)]
    [InlineData("FROM a\nADD arg1\n", "ADD requires at least two arguments, but only one was provided. Destination could not be determined", 2)]
    public void BuildKit_instruction_errors(string text, string message, int line)
    {
        // BuildKit stops at the first error; the document keeps going, so the first error is BuildKit's.
        var doc = DockerfileDocument.Parse("Dockerfile", text);
        Assert.NotEmpty(doc.Errors);
        var error = doc.Errors[0];
        Assert.Equal(message, error.Message);
        Assert.Equal(line, error.Line);
        Assert.Equal("Dockerfile", error.File);
    }

    [Fact]
    public void Positions_of_instructions_flags_and_arguments()
    {
        var doc = Doc("FROM alpine:3 AS build\n\n  COPY --chown=app:app \\\n     src/ /app/\nRUN [\"echo\", \"hi\"]\nENV A=1 \\\n    B=\"two words\"\n");
        var copy = doc.Stages[0].Instructions[0];
        Assert.Equal((3, 4, 3), (copy.StartLine, copy.EndLine, copy.Column));
        Assert.Equal("Dockerfile:3:3", copy.Location.ToString());
        Assert.Equal((3, 8), (copy.Flags[0].Location.Line, copy.Flags[0].Location.Column));
        Assert.Equal("chown", copy.Flags[0].Name);
        Assert.Equal("app:app", copy.Flags[0].Value);
        Assert.Equal((4, 6), (copy.Arguments[0].Location.Line, copy.Arguments[0].Location.Column));
        Assert.Equal((4, 11), (copy.Arguments[1].Location.Line, copy.Arguments[1].Location.Column));
        var run = doc.Stages[0].Instructions[1];
        Assert.True(run.IsJsonForm);
        Assert.Equal((5, 7), (run.Arguments[0].Location.Line, run.Arguments[0].Location.Column));
        Assert.Equal((5, 15), (run.Arguments[1].Location.Line, run.Arguments[1].Location.Column));
        var env = doc.Stages[0].Instructions[2];
        Assert.Equal(["A", "B"], env.KeyValues.Select(kv => kv.Key));
        Assert.Equal("two words", env.KeyValues[1].Value);
        Assert.Equal("\"two words\"", env.KeyValues[1].RawValue);
        Assert.Equal((7, 5), (env.KeyValues[1].Location.Line, env.KeyValues[1].Location.Column));
        var from = doc.Stages[0].From;
        Assert.Equal((1, 6), (from.Arguments[0].Location.Line, from.Arguments[0].Location.Column));
        Assert.Equal((1, 18), (from.Arguments[2].Location.Line, from.Arguments[2].Location.Column));
    }

    [Fact]
    public void Heredoc_copy_sources_are_not_expanded_and_final_stage_follows_target()
    {
        var doc = Doc("FROM a AS one\nCOPY <<EOF /etc/conf\n$X\nEOF\nFROM b AS two\n", new DockerfileOptions { Target = "one" });
        Assert.Equal("one", doc.FinalStage!.Name);
        Assert.Equal("$X\n", doc.Stages[0].Instructions[0].Heredocs[0].Content);
    }

    [Fact]
    public void Malformed_heredoc_words_in_copy_are_plain_paths_that_fail_to_expand()
    {
        var doc = DockerfileDocument.Parse("Dockerfile", "FROM a\nCOPY <<'EOF /x\n");
        Assert.Equal(["<<'EOF", "/x"], doc.FinalStage!.Instructions[0].Arguments.Select(a => a.Value));
        Assert.Equal("failed to process \"<<'EOF\": unexpected end of statement while looking for matching single-quote", Assert.Single(doc.Errors).Message);
    }

    [Fact]
    public void Instructions_list_every_instruction_in_order()
    {
        var doc = Doc("ARG A=1\nFROM a\nRUN x\nFROM b\nCMD y\n");
        Assert.Equal(["ARG", "FROM", "RUN", "FROM", "CMD"], doc.Instructions.Select(i => i.Keyword));
        Assert.Null(doc.Instructions[0].Stage);
        Assert.Equal(1, doc.Instructions[4].Stage!.Index);
    }

    [Fact]
    public void Parser_errors_surface_as_document_errors()
    {
        var doc = DockerfileDocument.Parse("x/Dockerfile", "FROM a\nRUN <<EOF\nnever closed\n");
        var error = Assert.Single(doc.Errors);
        Assert.Equal("x/Dockerfile", error.File);
        Assert.Equal(2, error.Line);
        Assert.Empty(doc.Stages);
        Assert.Null(doc.FinalStage);
    }

    public static TheoryData<string> Keywords() =>
        ["ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"];

    /// <summary>instructions/parse_test.go TestNilLinter: odd argument shapes for every keyword never crash.</summary>
    [Theory]
    [MemberData(nameof(Keywords))]
    public void Every_keyword_with_odd_arguments_gives_a_result(string keyword)
    {
        foreach (var args in new[] { " foo=bar", " a", " a b", " a b c", " 0 0", string.Empty, " --x=1", " [\"a\"]", " <<EOF\nx\nEOF" })
        {
            var doc = DockerfileDocument.Parse("Dockerfile", "FROM busybox\n" + keyword + args + "\n");
            Assert.DoesNotContain(doc.Errors, e => e.Message.StartsWith(DockerfileDocument.InternalErrorPrefix, StringComparison.Ordinal));
            var onbuild = DockerfileDocument.Parse("Dockerfile", "FROM busybox\nONBUILD " + keyword + args + "\n");
            Assert.DoesNotContain(onbuild.Errors, e => e.Message.StartsWith(DockerfileDocument.InternalErrorPrefix, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Load_reports_a_missing_file()
    {
        var doc = DockerfileDocument.Load(Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "Dockerfile"));
        Assert.StartsWith("cannot read file", Assert.Single(doc.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Copy_and_add_sources_are_expanded_and_unquoted_as_buildkit_reads_them()
    {
        var doc = Doc("""
            ARG DIST=target/release
            FROM alpine:3.20
            ARG DIST
            ARG INSTALLER=https://example.com/install-2.0.sh
            ARG PLUGIN
            ADD "/target/app.tar.gz" '${DIST}/lib.tar.gz' /opt/app/
            ADD $INSTALLER /tmp/install.sh
            COPY ${PLUGIN}/plugin.so /usr/lib/
            """);
        var (archive, download, copy) = (doc.FinalStage!.Instructions[3], doc.FinalStage.Instructions[4], doc.FinalStage.Instructions[5]);

        Assert.Equal(["/target/app.tar.gz", "${DIST}/lib.tar.gz"], archive.SourcePaths);
        Assert.Empty(archive.UnsetVariables);
        Assert.Equal(["https://example.com/install-2.0.sh"], download.SourcePaths);
        Assert.Empty(download.UnsetVariables);

        // An ARG without a default expands to empty: the source is not known from the file.
        Assert.Equal(["/plugin.so"], copy.SourcePaths);
        Assert.Equal(["PLUGIN"], copy.UnsetVariables);
    }

    [Theory]
    [InlineData("FROM mcr.microsoft.com/windows/servercore:ltsc2022", true)]
    [InlineData("FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022", true)]
    [InlineData("FROM node:20-windowsservercore AS base\nFROM base", true)]
    [InlineData("FROM mcr.microsoft.com/windows:ltsc2019", true)]
    [InlineData("FROM stefanscherer/node-windows:6.0.0", true)]
    [InlineData("FROM mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled", false)]
    [InlineData("FROM debian:12-slim", false)]
    public void Windows_bases_are_recognised_by_repository_or_tag(string dockerfile, bool windows) =>
        Assert.Equal(windows, Doc(dockerfile + "\n").FinalStage!.IsWindowsBase);
}

/// <summary>Ported from instructions/parse_heredoc_test.go.</summary>
public sealed class InstructionHeredocTests
{
    public static TheoryData<string, string, string[], DockerfileSourceContent[]> CopyCases() => new()
    {
        { "COPY /foo /bar", "/bar", ["/foo"], [] },
        { "COPY <<EOF /bar\nEOF", "/bar", [], [new("EOF", string.Empty, true)] },
        { "COPY <<EOF /bar\nTESTING\nEOF", "/bar", [], [new("EOF", "TESTING\n", true)] },
        { "COPY <<-EOF /bar\n\tTESTING\nEOF", "/bar", [], [new("EOF", "TESTING\n", true)] },
        { "COPY <<'EOF' /bar\nTESTING\nEOF", "/bar", [], [new("EOF", "TESTING\n", false)] },
        { "COPY <<EOF1 <<EOF2 /bar\nthis is the first file\nEOF1\nthis is the second file\nEOF2", "/bar", [], [new("EOF1", "this is the first file\n", true), new("EOF2", "this is the second file\n", true)] },
        { "COPY <<EOF foo.txt /bar\nthis is inline\nEOF", "/bar", ["foo.txt"], [new("EOF", "this is inline\n", true)] },
        { "COPY <<EOF /quotes\n\"quotes\"\nEOF", "/quotes", [], [new("EOF", "\"quotes\"\n", true)] },
    };

    [Theory]
    [MemberData(nameof(CopyCases))]
    public void Copy_sources_and_destination(string dockerfile, string destination, string[] paths, DockerfileSourceContent[] contents)
    {
        var doc = DockerfileDocument.Parse("Dockerfile", "FROM scratch\n" + dockerfile);
        Assert.Empty(doc.Errors);
        var copy = doc.FinalStage!.Instructions[0];
        Assert.Equal(destination, copy.Destination);
        Assert.Equal(paths, copy.SourcePaths);
        Assert.Equal(contents, copy.SourceContents);
    }

    [Fact]
    public void Copy_heredoc_destination_is_an_error()
    {
        var doc = DockerfileDocument.Parse("Dockerfile", "FROM scratch\nCOPY /foo <<EOF\nEOF");
        Assert.Contains("COPY cannot accept a heredoc as a destination", Assert.Single(doc.Errors).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RUN [\"ls\", \"/\"]", false, new[] { "ls", "/" }, null, null, false)]
    [InlineData("RUN [\"<<EOF\"]", false, new[] { "<<EOF" }, null, null, false)]
    [InlineData("RUN ls /", true, new[] { "ls /" }, null, null, false)]
    [InlineData("RUN <<EOF\nls /\nwhoami\nEOF", true, new[] { "<<EOF" }, "EOF", "ls /\nwhoami\n", false)]
    [InlineData("RUN <<'EOF' | python\nprint(\"hello\")\nprint(\"world\")\nEOF", true, new[] { "<<'EOF' | python" }, "EOF", "print(\"hello\")\nprint(\"world\")\n", false)]
    [InlineData("RUN <<-EOF\n\techo test\nEOF", true, new[] { "<<-EOF" }, "EOF", "\techo test\n", true)]
    public void Run_heredocs(string dockerfile, bool shell, string[] command, string? file, string? data, bool chomp)
    {
        var doc = DockerfileDocument.Parse("Dockerfile", "FROM scratch\n" + dockerfile);
        Assert.Empty(doc.Errors);
        var run = doc.FinalStage!.Instructions[0];
        Assert.Equal(shell, !run.IsJsonForm);
        Assert.Equal(command, run.Node.ArgumentValues);
        if (file is null)
        {
            Assert.Empty(run.Heredocs);
        }
        else
        {
            var heredoc = Assert.Single(run.Heredocs);
            Assert.Equal((file, data, chomp), (heredoc.Name, heredoc.Content, heredoc.Chomp));
        }
    }
}

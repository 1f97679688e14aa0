using Bulwark.Core.Findings;
using Bulwark.Parsing.Dockerfile;
using Bulwark.Parsing.Shell;

namespace Bulwark.Rules.Internal;

/// <summary>
/// Which parts of a Dockerfile a rule judges, and where its findings point. What ends up in the image (files,
/// caches, permissions, EXPOSE, USER) is judged in the final stage and the stages it is built FROM; what a
/// build does (downloads, sudo, disabled verification) is judged in every stage, since builder stages feed the
/// final image through COPY --from.
/// </summary>
internal static class DockerfileScope
{
    /// <summary>The stages whose layers make up the final image: the final stage and the stages it is built FROM.</summary>
    public static IEnumerable<DockerfileStage> FinalImageStages(DockerfileDocument document)
    {
        var seen = 0;
        for (var stage = document.FinalStage; stage is not null && seen <= document.Stages.Count; stage = stage.BaseStage)
        {
            seen++;
            yield return stage;
        }
    }

    /// <summary>Every simple command the RUN instructions of <paramref name="stages"/> run (heredoc scripts and <c>sh -c</c> included).</summary>
    public static IEnumerable<(DockerfileInstruction Run, ShellCommand Command)> Commands(DockerfileDocument document, IEnumerable<DockerfileStage> stages)
    {
        foreach (var stage in stages)
        {
            foreach (var run in stage.Instructions)
            {
                if (run.Keyword != "RUN")
                {
                    continue;
                }

                foreach (var script in document.ShellScripts(run))
                {
                    foreach (var command in script.Commands)
                    {
                        yield return (run, command);
                    }
                }
            }
        }
    }

    /// <summary>Every simple command of one RUN instruction.</summary>
    public static IEnumerable<ShellCommand> Commands(DockerfileDocument document, DockerfileInstruction run) =>
        document.ShellScripts(run).SelectMany(s => s.Commands);

    public static SourceLocation At(DockerfileDocument document, ShellCommand command, ShellWord? word = null)
    {
        var (line, column) = word is null ? command.Script.PositionOf(command) : command.Script.PositionOf(word);
        return line > 0 ? new SourceLocation(document.File, line, Math.Max(1, column)) : new SourceLocation(document.File, 1, 1);
    }

    /// <summary>Where an argument was written, or the instruction when its text could not be found verbatim.</summary>
    public static SourceLocation At(DockerfileInstruction instruction, DockerfileArgument? argument) =>
        argument is { Location.Column: > 0 } ? argument.Location : instruction.Location;

    public static SourceLocation AtFirstArgument(DockerfileInstruction instruction) =>
        At(instruction, instruction.Arguments.Count > 0 ? instruction.Arguments[0] : null);

    public static SourceLocation At(DockerfileInstruction instruction, DockerfileFlag? flag) =>
        flag is { Location.Column: > 0 } ? flag.Location : instruction.Location;

    /// <summary>The RUN's cache mounts' targets (<c>--mount=type=cache,target=…</c>): caches there never reach the image.</summary>
    public static bool HasCacheMount(DockerfileInstruction run, string pathPrefix) =>
        run.Mounts.Any(m => m.Type is "cache" or "tmpfs" && m.Target is { } t
            && (t.TrimEnd('/').StartsWith(pathPrefix.TrimEnd('/'), StringComparison.Ordinal) || pathPrefix.StartsWith(t.TrimEnd('/') + "/", StringComparison.Ordinal)));

    /// <summary>The value of ENV variable <paramref name="name"/> when <paramref name="instruction"/> runs, or null.</summary>
    public static string? EnvVariable(DockerfileInstruction instruction, string name) =>
        instruction.Environment.IsEnv(name) ? instruction.Environment[name] : null;

    /// <summary>True when some argument of a command in <paramref name="commands"/> other than <paramref name="except"/> starts with <paramref name="path"/>.</summary>
    public static bool Mentions(IEnumerable<ShellCommand> commands, string path, ShellCommand? except = null) =>
        commands.Any(c => !ReferenceEquals(c, except) && c.Arguments.Any(w => w.Value.StartsWith(path, StringComparison.Ordinal)));

    /// <summary>
    /// True when <paramref name="name"/> can be an image reference after ARG resolution: not an unresolved
    /// variable and not a template placeholder (<c>%%BASE_IMAGE%%</c>, <c>{{ image }}</c>) that a generator fills in.
    /// </summary>
    public static bool IsImageName(string? name) =>
        name is { Length: > 0 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/' or ':' or '@');
}

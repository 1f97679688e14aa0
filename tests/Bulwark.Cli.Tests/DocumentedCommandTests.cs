using System.Text;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Cli.Tests;

/// <summary>
/// The commands the documentation shows, run as written and compared with the output it shows, so the README and
/// the examples cannot drift from what Bulwark prints. A documented run is a <c>console</c> code block in
/// <c>README.md</c> or <c>docs/*.md</c>, or a block of comment lines in a file under <c>examples/</c>:
/// <c>$ bulwark ARGS</c> (or <c>$ dotnet run --project src/Bulwark.Cli -- ARGS</c>) followed by its standard output,
/// and <c>$ echo $?</c> followed by the exit code of the command before it. Commands run in-process from the
/// repository root, as a reader would type them there.
/// </summary>
[Collection(WorkingDirectoryCollection.Name)]
public sealed class DocumentedCommandTests
{
    private const string DotnetRun = "dotnet run --project src/Bulwark.Cli -- ";

    public static TheoryData<string, int> Sessions()
    {
        var data = new TheoryData<string, int>();
        foreach (var group in DocumentedSessions().GroupBy(s => s.Source))
        {
            for (var i = 0; i < group.Count(); i++)
            {
                data.Add(group.Key, i);
            }
        }

        return data;
    }

    [Fact]
    public void The_readme_and_the_examples_show_runs()
    {
        var sessions = DocumentedSessions();
        Assert.Contains(sessions, s => s.Source == "README.md" && s.Steps.Any(step => step.Command.Contains("scan examples/", StringComparison.Ordinal)));
        Assert.True(sessions.Count(s => s.Source.StartsWith("examples/", StringComparison.Ordinal)) >= 2, "the examples' comments quote commands with their output");
    }

    [Theory]
    [MemberData(nameof(Sessions))]
    public void A_documented_run_prints_what_the_documentation_shows(string source, int index)
    {
        var session = DocumentedSessions().Where(s => s.Source == source).ElementAt(index);
        var previous = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(RepositoryPaths.Root);
        try
        {
            int? exitCode = null;
            foreach (var step in session.Steps)
            {
                var where = $"{source}:{step.Line}: {step.Command}";
                List<string> actual;
                if (step.Command == "echo $?")
                {
                    Assert.True(exitCode is not null, $"{where}: no command before it");
                    actual = [exitCode.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)];
                }
                else
                {
                    var args = Arguments(step.Command) ?? throw new Xunit.Sdk.XunitException($"{where}: only `bulwark …`, `{DotnetRun}…` and `echo $?` can be checked");
                    var result = CliRunner.Run([.. args]);
                    Assert.True(result.Error.Length == 0, $"{where}: printed on standard error, which the documentation does not show:\n{result.Error}");
                    exitCode = result.ExitCode;
                    actual = Lines(result.Out);
                }

                var expected = Trimmed(step.Expected);
                Assert.True(expected.SequenceEqual(actual, StringComparer.Ordinal),
                    $"{where}: the documentation shows\n{string.Join('\n', expected)}\n\nbut it prints\n{string.Join('\n', actual)}");
            }
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
        }
    }

    /// <summary>The arguments of a bulwark command line; null for any other command. Quotes group words; there is no escaping.</summary>
    private static List<string>? Arguments(string command)
    {
        string rest;
        if (command.StartsWith("bulwark ", StringComparison.Ordinal))
        {
            rest = command["bulwark ".Length..];
        }
        else if (command.StartsWith(DotnetRun, StringComparison.Ordinal))
        {
            rest = command[DotnetRun.Length..];
        }
        else
        {
            return null;
        }

        var args = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in rest)
        {
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    args.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            args.Add(word.ToString());
        }

        return args;
    }

    private static List<string> Lines(string text) => Trimmed(text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'));

    /// <summary>Lines without trailing spaces, and without the empty lines at the end.</summary>
    private static List<string> Trimmed(IEnumerable<string> lines)
    {
        var result = lines.Select(l => l.TrimEnd()).ToList();
        while (result.Count > 0 && result[^1].Length == 0)
        {
            result.RemoveAt(result.Count - 1);
        }

        return result;
    }

    private sealed record Step(int Line, string Command, List<string> Expected);

    private sealed record Session(string Source, List<Step> Steps);

    private static List<Session> DocumentedSessions()
    {
        var sessions = new List<Session>();
        var markdown = new[] { RepositoryPaths.InRepo("README.md") }
            .Concat(Directory.GetFiles(RepositoryPaths.InRepo("docs"), "*.md", SearchOption.TopDirectoryOnly));
        foreach (var path in markdown)
        {
            sessions.AddRange(FromMarkdown(Relative(path), File.ReadAllLines(path)));
        }

        foreach (var path in Directory.GetFiles(RepositoryPaths.InRepo("examples"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            sessions.AddRange(FromComments(Relative(path), File.ReadAllLines(path)));
        }

        return sessions;
    }

    private static string Relative(string path) => Path.GetRelativePath(RepositoryPaths.Root, path).Replace('\\', '/');

    /// <summary>Console code blocks: <c>$ </c> lines are commands, the lines after one its output.</summary>
    private static IEnumerable<Session> FromMarkdown(string source, string[] lines)
    {
        List<Step>? steps = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (steps is null)
            {
                if (line.TrimEnd() == "```console")
                {
                    steps = [];
                }

                continue;
            }

            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                if (steps.Count > 0)
                {
                    yield return new Session(source, steps);
                }

                steps = null;
            }
            else if (line.StartsWith("$ ", StringComparison.Ordinal))
            {
                steps.Add(new Step(i + 1, line[2..].Trim(), []));
            }
            else if (steps.Count > 0)
            {
                steps[^1].Expected.Add(line);
            }
        }
    }

    /// <summary>
    /// Comment lines (<c>#</c>) from a <c># $ command</c> line on: <c># $ </c> lines are commands, the other comment
    /// lines their output; a bare <c>#</c> or a line that is not a comment ends the run.
    /// </summary>
    private static IEnumerable<Session> FromComments(string source, string[] lines)
    {
        List<Step>? steps = null;
        for (var i = 0; i <= lines.Length; i++)
        {
            var line = i < lines.Length ? lines[i] : string.Empty;
            var body = line.StartsWith("# ", StringComparison.Ordinal) ? line[2..] : null;
            if (body is not null && body.StartsWith("$ ", StringComparison.Ordinal))
            {
                steps ??= [];
                steps.Add(new Step(i + 1, body[2..].Trim(), []));
            }
            else if (steps is not null && body is not null)
            {
                steps[^1].Expected.Add(body);
            }
            else if (steps is not null)
            {
                yield return new Session(source, steps);
                steps = null;
            }
        }
    }
}

/// <summary>Tests that change the process's working directory, which no other test may see changing.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WorkingDirectoryCollection
{
    public const string Name = "working directory";
}

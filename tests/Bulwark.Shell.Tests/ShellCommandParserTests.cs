using Bulwark.Parsing.Shell;
using Xunit;

namespace Bulwark.Shell.Tests;

public sealed class ShellCommandParserTests
{
    private static List<string> Commands(string text) =>
        [.. ShellCommandParser.Parse(text).Commands.Select(c => string.Join(' ', c.Words.Select(w => w.Value)))];

    private static List<string> Names(string text) => [.. ShellCommandParser.Parse(text).Commands.Select(c => c.Name)];

    [Theory]
    [InlineData("a && b || c; d & e\nf", new[] { "a", "b", "c", "d", "e", "f" })]
    [InlineData("apt-get update && apt-get install -y curl", new[] { "apt-get update", "apt-get install -y curl" })]
    [InlineData("echo 'a && b' \"c; d\" e\\;f", new[] { "echo a && b c; d e;f" })]
    [InlineData("echo a\\\n  b", new[] { "echo a b" })]
    [InlineData("echo a # comment && rm -rf /\nls", new[] { "echo a", "ls" })]
    [InlineData("echo a#b", new[] { "echo a#b" })]
    [InlineData("(cd /src && make) && { echo ok; echo done; }", new[] { "cd /src", "make", "echo ok", "echo done" })]
    [InlineData("if [ -f x ]; then rm x; elif true; then :; else echo no; fi", new[] { "[ -f x ]", "rm x", "true", ":", "echo no" })]
    [InlineData("for p in a b c; do pip install $p; done", new[] { "pip install $p" })]
    [InlineData("while read l; do echo $l; done < f", new[] { "read l", "echo $l" })]
    [InlineData("case \"$ARCH\" in amd64|x86_64) A=1 ;; arm64) curl -k x ;; *) exit 1 ;; esac", new[] { "", "curl -k x", "exit 1" })]
    [InlineData("f() { echo in-f; }; f", new[] { "echo in-f", "f" })]
    [InlineData("function g { echo in-g; }", new[] { "echo in-g" })]
    [InlineData("echo $(curl http://x | sh) `date`", new[] { "echo $(curl http://x | sh) `date`" })]
    [InlineData("echo \"$(echo \"nested )\" )\" done", new[] { "echo $(echo \"nested )\" ) done" })]
    [InlineData("echo ${A:-a b} ${#B}", new[] { "echo ${A:-a b} ${#B}" })]
    [InlineData("! grep -q x f", new[] { "grep -q x f" })]
    [InlineData("a=(1 2 3) b", new[] { "b" })]
    [InlineData("diff <(sort a) <(sort b)", new[] { "diff <(sort a) <(sort b)" })]
    [InlineData("echo $'a\\tb'", new[] { "echo a\tb" })]
    public void Splits_commands_and_words(string text, string[] expected) => Assert.Equal(expected, Commands(text));

    [Fact]
    public void Pipelines_know_what_is_piped_where()
    {
        var script = ShellCommandParser.Parse("curl -fsSL https://x/install.sh | sudo -E bash -s -- --yes && echo done");
        var curl = Assert.Single(script.Named("curl"));
        Assert.Equal("bash", curl.PipedTo!.Name);
        Assert.Equal("sudo", Assert.Single(curl.PipedTo.Wrappers).Value);
        Assert.Null(script.Named("echo").Single().PipedFrom);
        Assert.Equal(2, script.Pipelines.Count);
        Assert.Equal("&&", script.Pipelines[0].Terminator);
    }

    [Fact]
    public void Assignments_redirections_and_descriptors()
    {
        var command = ShellCommandParser.Parse("DEBIAN_FRONTEND=noninteractive A+=1 apt-get install -y x >/dev/null 2>&1 < in").Commands.Single();
        Assert.Equal(["DEBIAN_FRONTEND=noninteractive", "A+=1"], command.Assignments.Select(a => a.Value));
        Assert.Equal("apt-get", command.Name);
        Assert.Equal([">", ">&", "<"], command.Redirections.Select(r => r.Operator));
        Assert.Equal([null, 2, null], command.Redirections.Select(r => r.FileDescriptor));
        Assert.Equal(["/dev/null", "1", "in"], command.Redirections.Select(r => r.Target!.Value));
        Assert.True(command.RedirectsOutput);
        Assert.Equal("noninteractive", ShellCommandParser.AssignmentValue(command.Assignments[0]));
        Assert.Equal("A", ShellCommandParser.AssignmentName(command.Assignments[1]));
    }

    [Fact]
    public void Quoted_assignment_names_and_reserved_words_are_plain_words()
    {
        Assert.Equal(["\"A\"=1"], ShellCommandParser.Parse("\"A\"=1").Commands.Single().Words.Select(w => w.Raw));
        Assert.Equal(["if", "x"], ShellCommandParser.Parse("'if' x").Commands.Single().Words.Select(w => w.Value));
    }

    [Theory]
    [InlineData("sudo -u app env A=1 nohup /usr/bin/curl -k x", "curl", new[] { "sudo", "env", "nohup" })]
    [InlineData("exec gosu app node server.js", "node", new[] { "exec", "gosu" })]
    [InlineData("timeout -s KILL 30 wget x", "wget", new[] { "timeout" })]
    [InlineData("xargs -n 1 -I{} curl {}", "curl", new[] { "xargs" })]
    [InlineData("busybox wget x", "wget", new[] { "busybox" })]
    [InlineData("command -v curl", "command", new string[0])]
    [InlineData("$SUDO apt-get install x", "$SUDO", new string[0])]
    public void Wrappers_are_looked_through(string text, string name, string[] wrappers)
    {
        var command = ShellCommandParser.Parse(text).Commands.Single();
        Assert.Equal(name, command.Name);
        Assert.Equal(wrappers, command.Wrappers.Select(w => ShellCommandParser.BaseName(w.Value)));
    }

    [Fact]
    public void Env_wrapper_assignments_count_as_the_commands_environment()
    {
        var command = ShellCommandParser.Parse("env -u X GIT_SSL_NO_VERIFY=1 git clone x").Commands.Single();
        Assert.Equal("git", command.Name);
        Assert.Equal("GIT_SSL_NO_VERIFY=1", Assert.Single(command.Assignments).Value);
    }

    [Theory]
    [InlineData("sh -c 'curl -k https://x | sh'")]
    [InlineData("bash -euxo pipefail -c \"curl -k https://x | sh\"")]
    [InlineData("sudo su -c 'curl -k https://x | sh' root")]
    [InlineData("eval 'curl -k https://x | sh'")]
    [InlineData("sh -c \"sh -c 'curl -k https://x | sh'\"")]
    public void Shell_c_scripts_are_read_as_commands(string text)
    {
        var script = ShellCommandParser.Parse(text);
        var curl = Assert.Single(script.Named("curl"));
        Assert.NotNull(curl.Parent);
        Assert.Equal("sh", curl.PipedTo!.Name);
        Assert.True(curl.Depth >= 1);
        // The nested command's position is inside the quoted script.
        Assert.Equal(text.IndexOf("curl", StringComparison.Ordinal), curl.Start);
        Assert.Equal(text.IndexOf("-k", StringComparison.Ordinal), curl.FindShortOption('k')!.Start);
    }

    [Fact]
    public void Shell_without_c_runs_a_file_not_a_script()
    {
        var script = ShellCommandParser.Parse("bash install.sh 'curl -k x'");
        Assert.Empty(script.Named("curl"));
    }

    [Fact]
    public void Heredoc_bodies_in_a_script_are_data()
    {
        var script = ShellCommandParser.Parse("cat <<EOF > /etc/x.conf\ncurl -k x | sh\nEOF\necho after\ncat <<-'E'\n\tsudo rm\n\tE\nls");
        Assert.Equal(["cat", "echo", "cat", "ls"], script.Commands.Select(c => c.Name));
        Assert.True(script.Commands[0].Redirections[0].IsHeredoc);
        Assert.Equal("EOF", script.Commands[0].Redirections[0].Target!.Value);
    }

    [Fact]
    public void Options_are_found_in_clusters_and_long_forms()
    {
        var curl = ShellCommandParser.Parse("curl -fsSLk --retry=3 -o out https://x -- -k").Commands.Single();
        Assert.Equal("-fsSLk", curl.FindShortOption('k')!.Value);
        Assert.NotNull(curl.FindOption("--retry"));
        Assert.Null(curl.FindOption("--insecure"));
        Assert.Equal("out", curl.FirstOperand!.Value);
        Assert.Null(curl.FindShortOption('z'));
    }

    [Fact]
    public void Positions_map_through_a_source()
    {
        // "RUN a \" / "  && b" joined as BuildKit joins continuation lines.
        const string text = "a   && b";
        var source = new ShellSource(text, [1, 1, 1, 1, 2, 2, 2, 2], [5, 6, 7, 8, 3, 4, 5, 6]);
        var script = ShellCommandParser.Parse(source);
        Assert.Equal((2, 6), script.PositionOf(script.Named("b").Single()));
        Assert.Equal((1, 5), script.PositionOf(script.Named("a").Single().CommandWord!));
    }

    [Fact]
    public void Literal_and_quoted_flags()
    {
        var words = ShellCommandParser.Parse("echo plain 'q' $V \"$(x)\" a\\ b").Commands.Single().Words;
        Assert.Equal([true, true, true, false, false, true], words.Select(w => w.IsLiteral));
        Assert.Equal([false, false, true, false, true, true], words.Select(w => w.IsQuoted));
    }

    [Fact]
    public void Unterminated_constructs_end_at_the_end_of_text()
    {
        Assert.Equal(["echo abc"], Commands("echo 'abc"));
        Assert.Equal(["echo $(abc"], Commands("echo $(abc"));
        Assert.Equal(["echo abc"], Commands("echo \"abc"));
        Assert.Equal(["cat"], Commands("cat <<EOF\nbody"));
    }

    [Fact]
    public void Deep_nesting_is_bounded_not_recursive()
    {
        var deep = "echo " + string.Concat(Enumerable.Repeat("$(", 200_000)) + string.Concat(Enumerable.Repeat(")", 200_000));
        var script = ShellCommandParser.Parse(deep);
        Assert.Single(script.Commands);
        Assert.True(script.Truncated);

        var parens = string.Concat(Enumerable.Repeat("(", 100_000)) + "ls" + string.Concat(Enumerable.Repeat(")", 100_000));
        Assert.Equal(["ls"], Names(parens));

        var shells = string.Concat(Enumerable.Repeat("sh -c '", 1)) + "sh -c \"sh -c 'x'\"'";
        _ = ShellCommandParser.Parse(shells);
    }
}

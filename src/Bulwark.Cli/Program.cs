using System.CommandLine;
using Bulwark.Cli.Commands;

namespace Bulwark.Cli;

public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error, Console.OpenStandardInput);

    /// <summary>Runs the CLI with explicit streams (tests call this in-process).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, Func<Stream> stdin)
    {
        var io = new ConsoleIo(stdout, stderr, stdin);
        var root = new RootCommand("Bulwark: container-security checks for Kubernetes manifests, against one hardening checklist.")
        {
            ScanCommand.Create(io),
            ImageCommand.Create(io),
            SbomCommand.Create(io),
            PssCommand.Create(io),
            RulesCommand.Create(io),
            RbacCommand.Create(io),
            DebugCommand.Create(io),
            NetpolCommand.Create(io),
            DbCommand.Create(io),
        };

        root.Options.Add(CommonOptions.NoColor);

        var parse = root.Parse(args);
        var usage = UsageErrors.Of(parse);
        if (usage.Count > 0)
        {
            foreach (var message in usage)
            {
                stderr.WriteLine($"bulwark: {message}");
            }

            stderr.WriteLine($"Run '{UsageErrors.CommandPath(parse.CommandResult)} --help' for usage.");
            return ExitCodes.Error;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A report that cannot be written (disk full, no permission) is the user's environment, not a crash.
            stderr.WriteLine($"bulwark: {ex.Message}");
            return ExitCodes.Error;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A crash is a bug in Bulwark, not in the input; say so plainly instead of dumping a stack trace.
            stderr.WriteLine($"bulwark: internal error: {ex.GetBaseException().Message}");
            stderr.WriteLine("Please report it with the command line and, if you can, the input that caused it.");
            return ExitCodes.Error;
        }
    }
}

/// <summary>The process's streams, passed explicitly so commands never touch <see cref="Console"/> directly.</summary>
public sealed record ConsoleIo(TextWriter Out, TextWriter Error, Func<Stream> OpenInput)
{
    /// <summary>The process environment (Compose interpolation reads it, as docker compose does).</summary>
    public Func<IReadOnlyDictionary<string, string>> Environment { get; init; } = ProcessEnvironment;

    public bool IsRealConsole => ReferenceEquals(Out, Console.Out);

    /// <summary>Colour only on a terminal, and not when NO_COLOR is set to a non-empty value (no-color.org).</summary>
    public bool UseColor => IsRealConsole && !Console.IsOutputRedirected && string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable("NO_COLOR"));

    private static Dictionary<string, string> ProcessEnvironment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string ?? string.Empty;
        }

        return variables;
    }
}

using System.CommandLine;
using Bulwark.Parsing.Dockerfile;

namespace Bulwark.Cli.Commands;

/// <summary>Tools for looking at how Bulwark reads an input.</summary>
public static class DebugCommand
{
    public static Command Create(ConsoleIo io)
    {
        var file = new Argument<string>("FILE") { Description = "The Dockerfile to parse." };
        var ast = new Command("dockerfile-ast", "Print a Dockerfile's syntax tree in BuildKit's dump format.") { file };
        ast.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                io.Error.WriteLine($"bulwark: no such file: {path}");
                return ExitCodes.Error;
            }

            var result = DockerfileParser.Parse(path, File.ReadAllBytes(path));
            if (!result.Succeeded)
            {
                io.Error.WriteLine($"bulwark: {result.Error}");
                return ExitCodes.Error;
            }

            io.Out.Write(DockerfileAstDumper.DumpWithNewline(result.Root!));
            return ExitCodes.Success;
        });

        return new Command("debug", "Show how Bulwark reads an input.") { ast };
    }
}

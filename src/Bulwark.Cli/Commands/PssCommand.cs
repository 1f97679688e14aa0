using System.CommandLine;

namespace Bulwark.Cli.Commands;

public static class PssCommand
{
    public static Command Create(ConsoleIo io)
    {
        var command = new Command("pss", "Evaluate objects against a Pod Security Standards level, exactly as the API server's PodSecurity admission does.");
        command.SetAction(_ =>
        {
            io.Error.WriteLine("bulwark: the pss command is not available in this build yet");
            return ExitCodes.Error;
        });
        return command;
    }
}

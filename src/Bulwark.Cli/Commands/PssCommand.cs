using System.CommandLine;
using Bulwark.Kubernetes.PodSecurity;
using Bulwark.Reporting;
using Bulwark.Scanning;

namespace Bulwark.Cli.Commands;

public static class PssCommand
{
    public static Command Create(ConsoleIo io)
    {
        var policyArgument = new Argument<string>("LEVEL[:VERSION]") { Description = "privileged, baseline or restricted, optionally with a version: latest or v1.N (e.g. restricted:v1.30)." };
        var paths = new Argument<string[]>("PATH") { Description = "Files or folders to evaluate; - reads standard input.", Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--format", "-f") { Description = "Output format.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong(PodSecurityReportWriter.Formats);
        var output = CommonOptions.Output();
        var inputs = new InputOptions();

        var command = new Command("pss", "Evaluate pods and pod templates against a Pod Security Standards level, exactly as the API server's PodSecurity admission does.")
        {
            policyArgument, paths, format, output,
        };
        inputs.AddTo(command);

        command.SetAction(parse =>
        {
            var policyText = parse.GetValue(policyArgument)!;
            if (!PodSecurityPolicy.TryParse(policyText, out var policy, out var error))
            {
                io.Error.WriteLine($"bulwark: {error}");
                return ExitCodes.Error;
            }

            var options = inputs.Apply(parse, new ScanOptions
            {
                Paths = parse.GetValue(paths) ?? [],
                StandardInput = io.OpenInput,
            });
            var result = PodSecurityScan.Run(options, policy!);
            var outputFile = parse.GetValue(output);
            OutputTarget.Write(io, outputFile, stream => PodSecurityReportWriter.Write(result, parse.GetValue(format) ?? "text", stream));
            if (result.Errors.Count > 0)
            {
                foreach (var inputError in result.Errors)
                {
                    io.Error.WriteLine($"bulwark: {inputError}");
                }

                return ExitCodes.Error;
            }

            return result.Verdicts.All(v => v.Allowed) ? ExitCodes.Success : ExitCodes.Findings;
        });

        return command;
    }
}

using System.CommandLine;
using System.Globalization;

namespace Bulwark.Cli.Commands;

/// <summary>
/// Options that mean the same in every command, built in one place so they are spelt, parsed and checked alike:
/// an output file, lists that take commas as well as repetition, sizes with units, colour.
/// </summary>
internal static class CommonOptions
{
    /// <summary><c>--no-color</c>, on every command (as is <c>NO_COLOR</c> when set and not empty).</summary>
    public static Option<bool> NoColor { get; } = new("--no-color")
    {
        Description = "Never colour the output (so does a non-empty NO_COLOR variable).",
        Recursive = true,
    };

    /// <summary>
    /// <c>-o/--output FILE</c>. A folder that does not exist, or a path that is a folder, is a usage error before
    /// any work is done, not a crash after it.
    /// </summary>
    public static Option<string?> Output(string description = "Write the report to this file instead of standard output.")
    {
        var option = new Option<string?>("--output", "-o") { Description = description };
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 0)
            {
                return;
            }

            var path = result.Tokens[0].Value;
            if (Directory.Exists(path))
            {
                result.AddError($"--output: {path} is a folder; name a file");
                return;
            }

            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is not null && !Directory.Exists(folder))
            {
                result.AddError($"--output: the folder {folder} does not exist");
            }
        });
        return option;
    }

    /// <summary>A list option: repeatable, and each value may itself be a comma-separated list (<c>--rule A,B --rule C</c>).</summary>
    public static Option<string[]> List(string name, string description) =>
        new(name)
        {
            Description = description,
            AllowMultipleArgumentsPerToken = false,
            CustomParser = result => [.. result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
        };

    /// <summary>A size in bytes, with an optional unit: <c>65536</c>, <c>64KiB</c>, <c>64MiB</c>, <c>1GiB</c> (K, M, G alone are binary too; KB, MB, GB are decimal).</summary>
    public static Option<long?> Size(string name, string description) =>
        new(name)
        {
            Description = description,
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
                if (TryParseSize(text, out var bytes, out var problem))
                {
                    return bytes;
                }

                result.AddError($"{name}: {problem}");
                return null;
            },
        };

    public static bool TryParseSize(string text, out long bytes, out string problem)
    {
        bytes = 0;
        problem = string.Empty;
        var trimmed = text.Trim();
        var split = 0;
        while (split < trimmed.Length && (char.IsAsciiDigit(trimmed[split]) || trimmed[split] is '.' or '-' or '+'))
        {
            split++;
        }

        var unit = trimmed[split..].Trim().ToUpperInvariant();
        long multiplier = unit switch
        {
            "" or "B" => 1,
            "K" or "KI" or "KIB" => 1L << 10,
            "M" or "MI" or "MIB" => 1L << 20,
            "G" or "GI" or "GIB" => 1L << 30,
            "KB" => 1_000,
            "MB" => 1_000_000,
            "GB" => 1_000_000_000,
            _ => 0,
        };
        if (multiplier == 0 || !decimal.TryParse(trimmed[..split], NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            problem = $"\"{text}\" is not a size (a number of bytes, or with a unit: 512KiB, 64MiB, 1GiB)";
            return false;
        }

        if (number <= 0)
        {
            problem = $"\"{text}\": the size must be more than zero";
            return false;
        }

        if (number * multiplier > long.MaxValue)
        {
            problem = $"\"{text}\" is too large";
            return false;
        }

        bytes = (long)decimal.Ceiling(number * multiplier);
        return true;
    }
}

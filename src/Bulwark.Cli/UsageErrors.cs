using System.CommandLine;
using System.CommandLine.Parsing;
using Bulwark.Core.Text;

namespace Bulwark.Cli;

/// <summary>
/// What is wrong with a command line, worded for the user: the parser's errors, plus the mistakes it would let
/// through. A mistyped option (<c>--formt json</c>) lands in a command's PATH argument and would be "scanned" as a
/// missing file, or worse, pass; here it is an unknown option with a suggestion. <c>--</c> ends options, so a path
/// that starts with '-' can still be named.
/// </summary>
internal static class UsageErrors
{
    public static List<string> Of(ParseResult parse)
    {
        var messages = new List<string>();
        var command = parse.CommandResult.Command;
        var unmatched = parse.UnmatchedTokens;
        if (unmatched.Count > 0 && command.Subcommands.Count > 0 && !unmatched[0].StartsWith('-'))
        {
            // `bulwark scna x`: the parser's "Required command was not provided" and one error per token say less.
            messages.Add($"unknown command \"{unmatched[0]}\" for '{CommandPath(parse.CommandResult)}'"
                + Suggestions.DidYouMean(unmatched[0], command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name)));
            return messages;
        }

        // After an unknown option, the unmatched words that follow are most likely its value: one message says it all.
        var unknownOption = unmatched.Any(t => t.StartsWith('-'));
        foreach (var error in parse.Errors)
        {
            var token = unmatched.FirstOrDefault(t => error.Message.Contains($"'{t}'", StringComparison.Ordinal));
            if (token is not null && token.StartsWith('-'))
            {
                messages.Add(UnknownOption(token, parse));
            }
            else if (token is null || !unknownOption)
            {
                messages.Add(error.Message);
            }
        }

        if (messages.Count > 0)
        {
            return messages;
        }

        var doubleDash = IndexOf(parse.Tokens, t => t.Type == TokenType.DoubleDash);
        foreach (var argument in parse.CommandResult.Children.OfType<ArgumentResult>())
        {
            foreach (var token in argument.Tokens)
            {
                var at = IndexOf(parse.Tokens, t => ReferenceEquals(t, token));
                if (token.Value.Length > 1 && token.Value[0] == '-' && (doubleDash < 0 || at < doubleDash))
                {
                    messages.Add(UnknownOption(token.Value, parse));
                }
            }
        }

        return messages;
    }

    public static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? current = result; current is not null; current = current.Parent)
        {
            if (current is CommandResult c)
            {
                names.Insert(0, c.Parent is null ? "bulwark" : c.Command.Name);
            }
        }

        return string.Join(' ', names);
    }

    private static string UnknownOption(string token, ParseResult parse)
    {
        var name = token.Split('=', 2)[0];
        var options = OptionsOf(parse.CommandResult).SelectMany(o => (IEnumerable<string>)[o.Name, .. o.Aliases]).Where(n => n.StartsWith("--", StringComparison.Ordinal));
        var hint = Suggestions.DidYouMean(name, options.Distinct());
        return $"unknown option {name} for '{CommandPath(parse.CommandResult)}'{hint}"
            + (hint.Length == 0 ? "; a path that starts with '-' goes after --" : string.Empty);
    }

    private static IEnumerable<Option> OptionsOf(CommandResult result)
    {
        foreach (var option in result.Command.Options.Where(o => !o.Hidden))
        {
            yield return option;
        }

        for (var parent = result.Parent as CommandResult; parent is not null; parent = parent.Parent as CommandResult)
        {
            foreach (var option in parent.Command.Options.Where(o => o.Recursive && !o.Hidden))
            {
                yield return option;
            }
        }
    }

    private static int IndexOf(IReadOnlyList<Token> tokens, Func<Token, bool> match)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            if (match(tokens[i]))
            {
                return i;
            }
        }

        return -1;
    }
}

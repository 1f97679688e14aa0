using System.CommandLine;
using System.Text;
using Bulwark.Core.Findings;
using Bulwark.Reporting;
using Bulwark.Scanning;

namespace Bulwark.Cli.Commands;

public static class RulesCommand
{
    public static Command Create(ConsoleIo io)
    {
        var list = new Command("list", "List every rule.");
        var listFormat = new Option<string>("--format", "-f") { Description = "Output format.", DefaultValueFactory = _ => "table" };
        listFormat.AcceptOnlyFromAmong("table", "json", "md");
        var listOutput = CommonOptions.Output("Write the list to this file instead of standard output.");
        list.Add(listFormat);
        list.Add(listOutput);
        list.SetAction(parse =>
        {
            var rules = RuleCatalog.Descriptors;
            OutputTarget.Write(io, parse.GetValue(listOutput), stream =>
            {
                if (parse.GetValue(listFormat) == "json")
                {
                    RuleCatalogJson.Write(rules, stream);
                    return;
                }

                using var text = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
                if (parse.GetValue(listFormat) == "md")
                {
                    text.Write(RuleDocRenderer.RenderIndex(rules));
                    return;
                }

                text.WriteLine($"{"ID",-6}  {"DEFAULT",-8}  {"RANGE",-13}  {"SLUG",-36}  TITLE");
                foreach (var rule in rules)
                {
                    var range = rule.SeverityVaries ? SeverityNames.RangeName(rule.MinimumSeverity, rule.MaximumSeverity) : string.Empty;
                    var note = rule.RequiresOption is { } option ? $"  (only with {option})" : rule.EnabledByDefault ? string.Empty : "  (off by default)";
                    text.WriteLine($"{rule.Id}  {rule.Severity.ToName(),-8}  {range,-13}  {rule.Slug,-36}  {rule.Title}{note}");
                }

                text.WriteLine($"{rules.Count} rules; a finding's severity is DEFAULT unless its context moves it within RANGE ('bulwark rules explain RULE' says how)");
            });

            return ExitCodes.Success;
        });

        var explainRule = new Argument<string>("RULE") { Description = "Rule ID or slug." };
        var explain = new Command("explain", "Explain a rule: why it matters, how to fix it, examples.") { explainRule };
        explain.SetAction(parse =>
        {
            var name = parse.GetValue(explainRule)!;
            var rule = RuleCatalog.Find(name);
            if (rule is null)
            {
                io.Error.WriteLine($"bulwark: {RuleCatalog.Unknown(name)}");
                return ExitCodes.Error;
            }

            io.Out.Write(RuleDocRenderer.Render(rule, RuleCatalog.Descriptors));
            return ExitCodes.Success;
        });

        var docsDir = new Argument<string>("DIR") { Description = "Folder to write one Markdown page per rule into (docs/rules)." };
        var docs = new Command("docs", "Generate the rule reference pages from the rule declarations.") { docsDir };
        docs.SetAction(parse =>
        {
            var dir = parse.GetValue(docsDir)!;
            if (File.Exists(dir))
            {
                io.Error.WriteLine($"bulwark: rules docs: {dir} is a file; name a folder (it is created if missing)");
                return ExitCodes.Error;
            }

            Directory.CreateDirectory(dir);
            foreach (var rule in RuleCatalog.Descriptors)
            {
                File.WriteAllText(Path.Combine(dir, rule.Id + ".md"), RuleDocRenderer.Render(rule, RuleCatalog.Descriptors));
            }

            File.WriteAllText(Path.Combine(dir, "README.md"), RuleDocRenderer.RenderIndex(RuleCatalog.Descriptors));
            io.Out.WriteLine($"wrote {RuleCatalog.Descriptors.Count + 1} files to {dir}");
            return ExitCodes.Success;
        });

        return new Command("rules", "List and explain rules.") { list, explain, docs };
    }
}

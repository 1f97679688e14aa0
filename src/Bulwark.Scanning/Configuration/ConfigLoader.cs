using Bulwark.Core.Findings;
using Bulwark.Parsing.Documents;
using Bulwark.Scanning.Inputs;

namespace Bulwark.Scanning.Configuration;

/// <summary>Finds and reads <c>.bulwark.yaml</c>.</summary>
public static class ConfigLoader
{
    public static readonly string[] FileNames = [".bulwark.yaml", ".bulwark.yml"];

    /// <summary>The first config file found in <paramref name="start"/>'s folder or any folder above it.</summary>
    public static string? FindUpward(string start)
    {
        var dir = Directory.Exists(start) ? Path.GetFullPath(start) : Path.GetDirectoryName(Path.GetFullPath(start));
        while (dir is not null)
        {
            foreach (var name in FileNames)
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            dir = Path.GetDirectoryName(dir);
        }

        return null;
    }

    /// <summary>Reads a config file; problems come back as errors naming the file and line.</summary>
    public static BulwarkConfig Load(string path, List<InputError> errors)
    {
        var file = SourceFile.Load(path, DocumentLimits.Default);
        errors.AddRange(file.Errors);
        if (!file.IsComplete)
        {
            return BulwarkConfig.Empty with { File = path };
        }

        var root = file.Documents.FirstOrDefault()?.Root;
        if (root is null)
        {
            return BulwarkConfig.Empty with { File = path };
        }

        if (root is not DocMapping map)
        {
            errors.Add(new InputError(path, root.Line, root.Column, "configuration must be a mapping"));
            return BulwarkConfig.Empty with { File = path };
        }

        var config = new BulwarkConfig { File = path };
        foreach (var entry in map.Entries)
        {
            switch (entry.KeyText)
            {
                case "rules":
                    config = ReadRules(path, entry.Value, config, errors);
                    break;
                case "exclude":
                    config = config with { Excludes = [.. Strings(path, entry.Value, errors).Select(s => new GlobPattern(s))] };
                    break;
                case "exemptions":
                    config = config with { Exemptions = ReadExemptions(path, entry.Value, errors) };
                    break;
                case "failOn":
                    if (FailThreshold.TryParse((entry.Value as DocScalar)?.Value, out var failOn))
                    {
                        config = config with { FailOn = failOn };
                    }
                    else
                    {
                        errors.Add(Error(path, entry.Value, "failOn must be one of " + FailThreshold.Expected));
                    }

                    break;
                case "podSecurity":
                    config = config with { PodSecurity = (entry.Value as DocScalar)?.Value };
                    break;
                case "helpBaseUrl":
                    if ((entry.Value as DocScalar)?.Value is { } helpBaseUrl
                        && Uri.TryCreate(helpBaseUrl, UriKind.Absolute, out var helpUri) && helpUri.Scheme is "https" or "http")
                    {
                        config = config with { HelpBaseUrl = helpBaseUrl };
                    }
                    else
                    {
                        errors.Add(Error(path, entry.Value, "helpBaseUrl must be an http or https URL (rule pages are linked as URL/BW1001.md, or with {id} or {slug} filled in)"));
                    }

                    break;
                case "admission":
                    config = config with { Admission = AdmissionConfig.Read(path, entry.Value, errors) };
                    break;
                default:
                    errors.Add(Error(path, entry.Key, $"unknown configuration key \"{entry.KeyText}\" (expected rules, exclude, exemptions, failOn, podSecurity, helpBaseUrl, admission)"));
                    break;
            }
        }

        return config;
    }

    private static BulwarkConfig ReadRules(string path, DocNode node, BulwarkConfig config, List<InputError> errors)
    {
        if (node is not DocMapping rules)
        {
            errors.Add(Error(path, node, "rules must be a mapping with disable, enable and severity"));
            return config;
        }

        foreach (var entry in rules.Entries)
        {
            switch (entry.KeyText)
            {
                case "disable":
                    config = config with { DisabledRules = RuleNames(path, entry.Value, "rules.disable", errors) };
                    break;
                case "enable":
                    config = config with { EnabledRules = RuleNames(path, entry.Value, "rules.enable", errors) };
                    break;
                case "severity":
                    {
                        var overrides = new Dictionary<string, Severity>(StringComparer.OrdinalIgnoreCase);
                        foreach (var item in (entry.Value as DocMapping)?.Entries ?? [])
                        {
                            if (item.KeyText is { } rule && RuleCatalog.Unknown(rule) is { } unknown)
                            {
                                errors.Add(Error(path, item.Key, $"rules.severity: {unknown}"));
                            }
                            else if (item.KeyText is { } known && SeverityNames.TryParse((item.Value as DocScalar)?.Value, out var severity))
                            {
                                overrides[known] = severity;
                            }
                            else
                            {
                                errors.Add(Error(path, item.Value, "a severity override is RULE: info|low|medium|high|critical"));
                            }
                        }

                        config = config with { SeverityOverrides = overrides };
                        break;
                    }

                default:
                    errors.Add(Error(path, entry.Key, $"unknown key rules.{entry.KeyText} (expected disable, enable, severity)"));
                    break;
            }
        }

        return config;
    }

    private static List<Exemption> ReadExemptions(string path, DocNode node, List<InputError> errors)
    {
        var list = new List<Exemption>();
        if (node is not DocSequence seq)
        {
            errors.Add(Error(path, node, "exemptions must be a list"));
            return list;
        }

        foreach (var item in seq.Items)
        {
            if (item is not DocMapping map)
            {
                errors.Add(Error(path, item, "an exemption must be a mapping"));
                continue;
            }

            var exemption = new Exemption { Line = map.Line };
            foreach (var entry in map.Entries)
            {
                var text = (entry.Value as DocScalar)?.Value;
                switch (entry.KeyText)
                {
                    case "rule" or "rules":
                        exemption = exemption with { Rules = RuleNames(path, entry.Value, "exemptions[].rules", errors) };
                        break;
                    case "namespace":
                        exemption = exemption with { Namespace = text is null ? null : new GlobPattern(text) };
                        break;
                    case "kind":
                        exemption = exemption with { Kind = text is null ? null : new GlobPattern(text) };
                        break;
                    case "name":
                        exemption = exemption with { Name = text is null ? null : new GlobPattern(text) };
                        break;
                    case "path":
                        exemption = exemption with { Path = text is null ? null : new GlobPattern(text) };
                        break;
                    case "reason":
                        exemption = exemption with { Reason = text };
                        break;
                    case "vulnerability" or "vulnerabilities":
                        exemption = exemption with { Vulnerabilities = Strings(path, entry.Value, errors) };
                        break;
                    case "package" or "packages":
                        exemption = exemption with { Packages = [.. Strings(path, entry.Value, errors).Select(p => new GlobPattern(p))] };
                        break;
                    case "expires":
                        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var expires))
                        {
                            exemption = exemption with { Expires = expires };
                        }
                        else
                        {
                            errors.Add(Error(path, entry.Value, $"expires must be a date written YYYY-MM-DD, not \"{text}\""));
                        }

                        break;
                    default:
                        errors.Add(Error(path, entry.Key, $"unknown exemption key \"{entry.KeyText}\" (expected rules, namespace, kind, name, path, vulnerabilities, packages, expires, reason)"));
                        break;
                }
            }

            list.Add(exemption);
        }

        return list;
    }

    /// <summary>A list of rule IDs or slugs; a name the catalog does not know is an error at its line.</summary>
    internal static List<string> RuleNames(string path, DocNode node, string where, List<InputError> errors)
    {
        var names = Strings(path, node, errors);
        foreach (var name in names)
        {
            if (RuleCatalog.Unknown(name) is { } unknown)
            {
                var at = node is DocSequence seq ? seq.Items.FirstOrDefault(i => (i as DocScalar)?.Value == name) ?? node : node;
                errors.Add(Error(path, at, $"{where}: {unknown}"));
            }
        }

        return names;
    }

    internal static List<string> Strings(string path, DocNode node, List<InputError> errors)
    {
        switch (node)
        {
            case DocScalar { IsNull: true }:
                return [];
            case DocScalar s:
                return [.. s.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            case DocSequence seq:
                return [.. seq.Items.OfType<DocScalar>().Select(x => x.Value)];
            default:
                errors.Add(Error(path, node, "expected a string or a list of strings"));
                return [];
        }
    }

    private static InputError Error(string path, DocNode node, string message) => new(path, node.Line, node.Column, message);
}

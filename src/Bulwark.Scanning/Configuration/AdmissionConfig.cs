using Bulwark.Core.Findings;
using Bulwark.Kubernetes.PodSecurity;
using Bulwark.Parsing.Documents;

namespace Bulwark.Scanning.Configuration;

/// <summary>What the admission webhook does with a Bulwark rule's finding.</summary>
public enum AdmissionRuleMode
{
    /// <summary>Not judged at admission.</summary>
    Off,

    /// <summary>Allowed, with a warning the client (kubectl) prints.</summary>
    Warn,

    /// <summary>Denied.</summary>
    Enforce,
}

/// <summary>
/// The <c>admission</c> section of <c>.bulwark.yaml</c>: what <c>bulwark serve</c> enforces. The Pod Security exemptions
/// mirror the API server's <c>PodSecurityConfiguration</c> (exact names, no patterns), so a cluster's existing
/// exemptions carry over unchanged.
/// </summary>
public sealed record AdmissionConfig
{
    public static AdmissionConfig Default { get; } = new();

    /// <summary>The Pod Security policy <c>POST /validate</c> enforces (each <c>/validate/pss/LEVEL/VERSION</c> names its own).</summary>
    public PodSecurityPolicy PodSecurity { get; init; } = new(PodSecurityLevel.Restricted, null);

    public IReadOnlyList<string> ExemptUsernames { get; init; } = [];

    public IReadOnlyList<string> ExemptNamespaces { get; init; } = [];

    public IReadOnlyList<string> ExemptRuntimeClasses { get; init; } = [];

    /// <summary>The mode of every enabled rule the lists below do not name.</summary>
    public AdmissionRuleMode DefaultRuleMode { get; init; } = AdmissionRuleMode.Warn;

    public IReadOnlyList<string> EnforcedRules { get; init; } = [];

    public IReadOnlyList<string> WarnedRules { get; init; } = [];

    public IReadOnlyList<string> OffRules { get; init; } = [];

    /// <summary>
    /// Whether a request whose object cannot be decoded is allowed (with a warning and an audit annotation) instead
    /// of denied. Denied by default: an object Bulwark cannot read is an object it has not checked.
    /// </summary>
    public bool AllowUndecodable { get; init; }

    /// <summary>The line of the section, for messages.</summary>
    public int Line { get; init; }

    /// <summary>The mode of a rule: the first list naming it (enforce, then warn, then off), else the default.</summary>
    public AdmissionRuleMode ModeOf(Core.Rules.RuleDescriptor rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (EnforcedRules.Any(rule.IsNamed))
        {
            return AdmissionRuleMode.Enforce;
        }

        if (WarnedRules.Any(rule.IsNamed))
        {
            return AdmissionRuleMode.Warn;
        }

        return OffRules.Any(rule.IsNamed) ? AdmissionRuleMode.Off : DefaultRuleMode;
    }

    internal static AdmissionConfig Read(string path, DocNode node, List<InputError> errors)
    {
        if (node is not DocMapping map)
        {
            errors.Add(Error(path, node, "admission must be a mapping with podSecurity, exemptions, rules and undecodable"));
            return Default;
        }

        var config = new AdmissionConfig { Line = map.Line };
        foreach (var entry in map.Entries)
        {
            var text = (entry.Value as DocScalar)?.Value;
            switch (entry.KeyText)
            {
                case "podSecurity":
                    {
                        string? problem = "expected LEVEL[:VERSION], e.g. restricted:latest";
                        if (text is not null && PodSecurityPolicy.TryParse(text, out var policy, out problem))
                        {
                            config = config with { PodSecurity = policy! };
                        }
                        else
                        {
                            errors.Add(Error(path, entry.Value, $"admission.podSecurity: {problem}"));
                        }
                    }


                    break;
                case "exemptions":
                    config = ReadExemptions(path, entry.Value, config, errors);
                    break;
                case "rules":
                    config = ReadRules(path, entry.Value, config, errors);
                    break;
                case "undecodable":
                    switch (text)
                    {
                        case "deny": config = config with { AllowUndecodable = false }; break;
                        case "allow": config = config with { AllowUndecodable = true }; break;
                        default: errors.Add(Error(path, entry.Value, "admission.undecodable must be deny or allow")); break;
                    }

                    break;
                default:
                    errors.Add(Error(path, entry.Key, $"unknown key admission.{entry.KeyText} (expected podSecurity, exemptions, rules, undecodable)"));
                    break;
            }
        }

        return config;
    }

    private static AdmissionConfig ReadExemptions(string path, DocNode node, AdmissionConfig config, List<InputError> errors)
    {
        if (node is not DocMapping map)
        {
            errors.Add(Error(path, node, "admission.exemptions must be a mapping with usernames, namespaces and runtimeClasses"));
            return config;
        }

        foreach (var entry in map.Entries)
        {
            var names = ConfigLoader.Strings(path, entry.Value, errors);
            switch (entry.KeyText)
            {
                case "usernames": config = config with { ExemptUsernames = names }; break;
                case "namespaces": config = config with { ExemptNamespaces = names }; break;
                case "runtimeClasses": config = config with { ExemptRuntimeClasses = names }; break;
                default:
                    errors.Add(Error(path, entry.Key, $"unknown key admission.exemptions.{entry.KeyText} (expected usernames, namespaces, runtimeClasses)"));
                    break;
            }
        }

        return config;
    }

    private static AdmissionConfig ReadRules(string path, DocNode node, AdmissionConfig config, List<InputError> errors)
    {
        if (node is not DocMapping map)
        {
            errors.Add(Error(path, node, "admission.rules must be a mapping with default, enforce, warn and off"));
            return config;
        }

        foreach (var entry in map.Entries)
        {
            switch (entry.KeyText)
            {
                case "default":
                    if (ParseMode((entry.Value as DocScalar)?.Value) is { } mode)
                    {
                        config = config with { DefaultRuleMode = mode };
                    }
                    else
                    {
                        errors.Add(Error(path, entry.Value, "admission.rules.default must be enforce, warn or off"));
                    }

                    break;
                case "enforce":
                    config = config with { EnforcedRules = ConfigLoader.RuleNames(path, entry.Value, "admission.rules.enforce", errors) };
                    break;
                case "warn":
                    config = config with { WarnedRules = ConfigLoader.RuleNames(path, entry.Value, "admission.rules.warn", errors) };
                    break;
                case "off":
                    config = config with { OffRules = ConfigLoader.RuleNames(path, entry.Value, "admission.rules.off", errors) };
                    break;
                default:
                    errors.Add(Error(path, entry.Key, $"unknown key admission.rules.{entry.KeyText} (expected default, enforce, warn, off)"));
                    break;
            }
        }

        return config;
    }

    private static AdmissionRuleMode? ParseMode(string? text) => text switch
    {
        "enforce" => AdmissionRuleMode.Enforce,
        "warn" => AdmissionRuleMode.Warn,
        "off" => AdmissionRuleMode.Off,
        _ => null,
    };

    private static InputError Error(string path, DocNode node, string message) => new(path, node.Line, node.Column, message);
}

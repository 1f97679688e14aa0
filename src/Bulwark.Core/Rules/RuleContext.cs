using Bulwark.Core.Findings;

namespace Bulwark.Core.Rules;

/// <summary>
/// What a rule sees besides its target: a sink for findings and the other objects of the scan
/// (for rules that need them, such as a NetworkPolicy rule reading the namespace's pods).
/// </summary>
public abstract class RuleContext
{
    public abstract void Report(Finding finding);

    /// <summary>A scan-wide service such as the object graph; null when this scan has none.</summary>
    public virtual T? Get<T>()
        where T : class => null;

    public void Report(
        RuleDescriptor rule,
        IScanTarget target,
        SourceLocation at,
        string message,
        string? container = null,
        Severity? severity = null,
        string? remediation = null) =>
        Report(new Finding
        {
            Rule = rule,
            Severity = severity ?? rule.Severity,
            Message = message,
            Location = at,
            Document = target.Document,
            Object = target.Object,
            Container = container,
            Remediation = remediation,
        });
}

/// <summary>A context that collects findings in a list.</summary>
public sealed class CollectingRuleContext : RuleContext
{
    private readonly Dictionary<Type, object> _services = [];

    public List<Finding> Findings { get; } = [];

    public override void Report(Finding finding) => Findings.Add(finding);

    public CollectingRuleContext With<T>(T service)
        where T : class
    {
        _services[typeof(T)] = service;
        return this;
    }

    public override T? Get<T>()
        where T : class => _services.TryGetValue(typeof(T), out var s) ? (T)s : null;
}

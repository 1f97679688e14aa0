namespace Bulwark.Core.Rules;

/// <summary>A standard's control a rule implements, e.g. ("CIS Kubernetes Benchmark", "5.2.1", url).</summary>
public sealed record RuleReference(string Standard, string Control, string? Url = null)
{
    public override string ToString() => $"{Standard} {Control}";
}

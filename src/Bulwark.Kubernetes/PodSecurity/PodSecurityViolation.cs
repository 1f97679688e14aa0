using Bulwark.Core.Findings;

namespace Bulwark.Kubernetes.PodSecurity;

/// <summary>
/// One failed check, worded as upstream pod-security-admission words it (<see cref="Reason"/> is the
/// forbidden reason, <see cref="Detail"/> the forbidden detail). <see cref="Locations"/> are the offending
/// fields (or their nearest existing parents), first one first.
/// </summary>
public sealed record PodSecurityViolation(string CheckId, string Reason, string Detail, IReadOnlyList<SourceLocation> Locations)
{
    public string Text => Detail.Length > 0 ? $"{Reason} ({Detail})" : Reason;
}

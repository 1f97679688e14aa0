using Bulwark.Core.Findings;
using Bulwark.Kubernetes.PodSecurity;

namespace Bulwark.Scanning;

/// <summary>The verdict on one pod-bearing object at one Pod Security Standards policy.</summary>
public sealed record PodSecurityVerdict(string File, int Document, int Line, ObjectReference Object, IReadOnlyList<PodSecurityViolation> Violations)
{
    public bool Allowed => Violations.Count == 0;
}

public sealed record PodSecurityScanResult(PodSecurityPolicy Policy, List<PodSecurityVerdict> Verdicts, List<InputError> Errors);

/// <summary><c>bulwark pss</c>: every pod-bearing object of the inputs, judged as PodSecurity admission would.</summary>
public static class PodSecurityScan
{
    public static PodSecurityScanResult Run(ScanOptions options, PodSecurityPolicy policy)
    {
        var (outcomes, errors) = ScanEngine.ForEachInput(options, input =>
        {
            var verdicts = new List<PodSecurityVerdict>();
            foreach (var obj in input.Objects)
            {
                if (obj.PodTemplate is not null)
                {
                    verdicts.Add(new PodSecurityVerdict(obj.File, obj.Document, obj.Root.Line, obj.Object, PodSecurityEvaluator.Evaluate(policy, obj)));
                }
            }

            return (Verdicts: verdicts, input.Errors);
        });

        foreach (var outcome in outcomes)
        {
            errors.AddRange(outcome.Errors);
        }

        return new PodSecurityScanResult(policy, [.. outcomes.SelectMany(o => o.Verdicts)], errors);
    }
}

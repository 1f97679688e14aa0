using Bulwark.TestSupport;
using Xunit;
using static Bulwark.Admission.Tests.Reviewer.AdmissionReviews;

namespace Bulwark.Admission.Tests.Reviewer;

/// <summary>
/// Every upstream pod-security-admission fixture, sent as a Pod CREATE review to the route of its level and
/// version, gets upstream's verdict, in upstream's words: a denial is a 403 whose message is the API server's.
/// </summary>
public sealed class PodSecurityConformanceTests
{
    private static readonly AdmissionReviewer Reviewer = new(AdmissionSettings.Default);

    [SharedDataFact]
    public void Every_fixture_gets_upstream_verdict_through_the_webhook()
    {
        var folder = RepositoryPaths.InShared("conformance", "pss");
        var rows = File.ReadAllLines(Path.Combine(folder, "index.tsv")).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')).ToList();
        Assert.Equal(4537, rows.Count);
        var wrong = new List<string>();
        foreach (var row in rows)
        {
            var (path, level, version, expectAllowed) = (row[0], row[1], row[2], row[3] == "allow");
            Assert.True(AdmissionRoute.TryParse(level, version, out var route, out var error), error);
            var pod = Manifest(File.ReadAllText(Path.Combine(folder, path)));
            var outcome = Reviewer.Review(Review(pod, resource: "pods"), route!);
            var response = Response(outcome);
            if (Allowed(response) != expectAllowed)
            {
                wrong.Add($"{path}: expected {(expectAllowed ? "allowed" : "denied")}, got {Message(response) ?? "allowed"}");
                continue;
            }

            Assert.Equal("705ab4f5-6393-11e8-b7cc-42010a800002", response["uid"]!.GetValue<string>());
            Assert.Equal($"{level}:{version}", Annotation(response, "enforce-policy"));
            if (!expectAllowed)
            {
                var name = pod!["metadata"]!["name"]!.GetValue<string>();
                Assert.StartsWith($"pods \"{name}\" is forbidden: violates PodSecurity \"{level}:{version}\": ", Message(response));
                Assert.Equal(403, response["status"]!["code"]!.GetValue<int>());
                Assert.Equal("Forbidden", response["status"]!["reason"]!.GetValue<string>());
                Assert.Empty(Warnings(response));
                Assert.Equal(AdmissionDecision.Denied, outcome.Decision);
                Assert.NotEmpty(outcome.Rules);
            }
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} of {rows.Count} fixtures got another verdict:\n" + string.Join('\n', wrong.Take(30)));
    }
}

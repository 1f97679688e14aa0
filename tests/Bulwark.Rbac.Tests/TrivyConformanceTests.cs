using Bulwark.Parsing.Documents;
using Bulwark.Rules;
using Bulwark.TestSupport;
using Xunit;

namespace Bulwark.Rbac.Tests;

/// <summary>
/// Trivy's Kubernetes RBAC check cases (<c>conformance/rbac/trivy-checks/cases</c>, read in place): for each Trivy
/// check whose meaning matches a Bulwark rule, the rule fires on every <c>deny</c> case and stays silent on every
/// <c>pass</c> case, except the cases listed in <see cref="ExcludedCases"/> with the reason Bulwark differs.
/// Checks with no Bulwark rule of the same meaning are in <see cref="LeftOut"/>, with the reason.
/// </summary>
public sealed class TrivyConformanceTests
{
    public const int TotalCases = 178;

    /// <summary>Trivy check → the Bulwark rule (slug) with the same meaning.</summary>
    private static readonly Dictionary<string, string> Mapping = new(StringComparer.Ordinal)
    {
        ["KSV-0041"] = "rbac-secrets-access",
        ["KSV-0113"] = "rbac-secrets-access",
        ["KSV-0043"] = "rbac-escalation-verbs",
        ["KSV-0044"] = "rbac-wildcard",
        ["KSV-0045"] = "rbac-wildcard",
        ["KSV-0046"] = "rbac-wildcard",
        ["KSV-0112"] = "rbac-wildcard",
        ["KSV-0047"] = "rbac-nodes-proxy",
        ["KSV-0048"] = "rbac-workload-create",
        ["KSV-0053"] = "rbac-pod-exec",
        ["KSV-0054"] = "rbac-pod-exec",
        ["KSV-0114"] = "rbac-webhook-config-write",
        ["KSV-0122"] = "rbac-anonymous-binding",
        ["KSV-0123"] = "rbac-cluster-admin-binding",
    };

    /// <summary>Trivy checks no Bulwark rule matches in meaning.</summary>
    private static readonly Dictionary<string, string> LeftOut = new(StringComparer.Ordinal)
    {
        ["KSV-0042"] = "deleting pod logs: Bulwark has no rule about log tampering",
        ["KSV-0049"] = "managing ConfigMaps: Bulwark has no ConfigMap rule (the EKS aws-auth case is KSV-0115)",
        ["KSV-0050"] = "spans rbac-escalation-verbs (escalate, bind) and rbac-rbac-write, and passes create/update on roles, which rbac-rbac-write reports",
        ["KSV-0051"] = "fires only on create rolebindings together with bind; rbac-escalation-verbs reports bind on its own",
        ["KSV-0052"] = "fires only on create clusterrolebindings together with bind; rbac-escalation-verbs reports bind on its own",
        ["KSV-0055"] = "fires only on get together with patch on rolebindings; rbac-rbac-write reports patch on its own",
        ["KSV-0056"] = "managing Services, Endpoints, Ingresses and NetworkPolicies: Bulwark has no networking-write rule",
        ["KSV-0111"] = "matches roleRef names (cluster-admin, admin) whatever the roleRef kind; rbac-cluster-admin-binding resolves the roleRef exactly (a Role named cluster-admin is not the ClusterRole) and does not count admin",
        ["KSV-0115"] = "the EKS aws-auth ConfigMap: Bulwark has no provider-specific rule",
        ["KSV-01011"] = "specific to GKE versions (its pass case is the same binding on a non-GKE version); rbac-anonymous-binding reports system:authenticated on every platform",
    };

    /// <summary>Cases of mapped checks where Bulwark knowingly differs, by check and case name.</summary>
    private static readonly Dictionary<(string Check, string Case), string> ExcludedCases = new()
    {
        [("KSV-0041", "manage_verb_update")] = WritesSecrets,
        [("KSV-0041", "manage_secret_verb_update")] = WritesSecrets,
        [("KSV-0041", "manage_secret_verb_patch")] = WritesSecrets,
        [("KSV-0041", "manage_secret_verb_deletecollection")] = WritesSecrets,
        [("KSV-0041", "manage_secret_verb_impersonate")] = WritesSecrets,
        [("KSV-0113", "manage_verb_update")] = WritesSecrets,
        [("KSV-0113", "manage_secret_verb_update")] = WritesSecrets,
        [("KSV-0113", "manage_secret_verb_patch")] = WritesSecrets,
        [("KSV-0113", "manage_secret_verb_deletecollection")] = WritesSecrets,
        [("KSV-0113", "manage_secret_verb_impersonate")] = WritesSecrets,
        [("KSV-0044", "any_any_role_not_api_group")] = "rbac-wildcard reports `*` in verbs or resources on its own; Trivy only `*` verbs with `*` resources",
        [("KSV-0044", "any_any_role_no_resource")] = "rbac-wildcard reports `*` in apiGroups and verbs on its own",
        [("KSV-0044", "any_any_role_no_resource_no_verbs")] = "rbac-wildcard reports `*` in apiGroups and resources on its own",
        [("KSV-0045", "any_verb_role_no_specific_resource")] = "rbac-wildcard reports `*` verbs on any resource; Trivy only on its list of sensitive resources",
        [("KSV-0045", "any_verb_role_no_any_verb")] = "rbac-wildcard reports `*` in resources and apiGroups, not only in verbs",
        [("KSV-0046", "resource_resource_role_no_specific_verb")] = "rbac-wildcard reports `*` in apiGroups, which the case has",
        [("KSV-0112", "resource_resource_role_no_specific_verb")] = "rbac-wildcard reports `*` in apiGroups, which the case has",
        [("KSV-0048", "update_malicious_pod_deletecollection")] = "deleting CronJobs runs no pod as anyone; rbac-workload-create is about create, update and patch",
        [("KSV-0114", "manageWebhookConfig_verb_impersonate")] = "the API server never asks for impersonate on webhook configurations, so the rule grants nothing there",
        [("KSV-0122", "cluster_role_binding_with_anonymous_user_binding")] = NotAKind,
        [("KSV-0123", "cluster_role_binding_with_system_masters_binding")] = NotAKind,
    };

    private const string WritesSecrets = "writes Secrets without reading them; rbac-secrets-access is about reading Secret contents (get, list, watch)";
    private const string NotAKind = "kind ClusterRolebinding (lower-case b) is no Kubernetes kind: the API server rejects the object, so it binds nothing";

    private sealed record Case(string Check, string Name, bool Deny, string Input);

    private static readonly Lazy<List<Case>> All = new(Load);

    /// <summary>Reads every case file; each case's <c>input</c> block is taken from the file's text as written and de-indented.</summary>
    private static List<Case> Load()
    {
        var cases = new List<Case>();
        foreach (var path in Directory.GetFiles(RbacInputs.Conformance("trivy-checks", "cases"), "*.yaml").Order(StringComparer.Ordinal))
        {
            var lines = File.ReadAllLines(path);
            var check = lines.Single(l => l.StartsWith("  id: ", StringComparison.Ordinal))[6..].Trim();
            string? name = null;
            bool? deny = null;
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i];
                if (line.StartsWith("- name: ", StringComparison.Ordinal))
                {
                    name = line[8..].Trim();
                    deny = null;
                }
                else if (line.StartsWith("  expect: ", StringComparison.Ordinal))
                {
                    deny = line[10..].Trim() switch { "deny" => true, "pass" => false, var other => throw new InvalidDataException($"{path}: expect {other}") };
                }
                else if (line == "  input:")
                {
                    var block = new List<string>();
                    while (i + 1 < lines.Length && lines[i + 1].StartsWith("    ", StringComparison.Ordinal))
                    {
                        block.Add(lines[++i][4..]);
                    }

                    cases.Add(new Case(check, name!, deny!.Value, string.Join('\n', block) + "\n"));
                }
            }

            // The text reading must agree with a YAML reading of the same file.
            Assert.Equal(RbacInputs.Yaml(path).MappingsOf("cases").Count(), cases.Count(c => c.Check == check));
        }

        return cases;
    }

    public static TheoryData<string, string> MappedCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in All.Value.Where(c => Mapping.ContainsKey(c.Check) && !ExcludedCases.ContainsKey((c.Check, c.Name))))
        {
            data.Add(c.Check, c.Name);
        }

        return data;
    }

    private static int Findings(Case c) =>
        TestScans.Run(BuiltInRules.All.Single(r => r.Descriptor.Slug == Mapping[c.Check]), c.Input).Count;

    [SharedDataFact]
    public void Every_case_is_read_and_every_check_is_mapped_or_left_out_with_a_reason()
    {
        Assert.Equal(TotalCases, All.Value.Count);
        var checks = All.Value.Select(c => c.Check).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(24, checks.Count);
        Assert.DoesNotContain(checks, c => Mapping.ContainsKey(c) == LeftOut.ContainsKey(c));
        Assert.All(Mapping.Values, slug => Assert.Single(BuiltInRules.All, r => r.Descriptor.Slug == slug));
    }

    [SharedDataTheory]
    [MemberData(nameof(MappedCases))]
    public void Mapped_rule_fires_on_deny_and_is_silent_on_pass(string check, string name)
    {
        var c = All.Value.Single(x => x.Check == check && x.Name == name);
        var count = Findings(c);
        if (c.Deny)
        {
            Assert.True(count > 0, $"{Mapping[check]} is silent on deny case {check}/{name}:\n{c.Input}");
        }
        else
        {
            Assert.True(count == 0, $"{Mapping[check]} fires on pass case {check}/{name}:\n{c.Input}");
        }
    }

    [SharedDataFact]
    public void Excluded_cases_exist_and_really_differ()
    {
        foreach (var ((check, name), reason) in ExcludedCases)
        {
            var c = Assert.Single(All.Value, x => x.Check == check && x.Name == name);
            Assert.False(string.IsNullOrWhiteSpace(reason));
            var fires = Findings(c) > 0;
            Assert.True(fires != c.Deny, $"{check}/{name} no longer differs; remove it from the exclusions");
        }
    }
}

using Bulwark.Core.Findings;
using Bulwark.Core.Model;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Documents;

namespace Bulwark.Parsing.Seccomp;

/// <summary>
/// A seccomp profile in the JSON format Docker, Podman, containerd and the kubelet read: a default action
/// and rules naming system calls (<c>names</c>, or the older single <c>name</c>) with an action and
/// optional argument filters and capability/architecture conditions.
/// </summary>
public sealed class SeccompProfile : IScanTarget
{
    public required string File { get; init; }

    public required DocMapping Root { get; init; }

    public Located<string>? DefaultAction { get; init; }

    public required IReadOnlyList<SeccompRule> Rules { get; init; }

    public SourceKind Source => SourceKind.SeccompProfile;

    public SourceLocation Location => new(File, Root.Line, Root.Column);

    public int Document => 0;

    public ObjectReference Object => new(null, "SeccompProfile", null, System.IO.Path.GetFileName(File));

    /// <summary>True for a document that is a seccomp profile: a mapping with a string <c>defaultAction</c>.</summary>
    public static bool IsProfile(DocNode? root) =>
        root is DocMapping map && map["defaultAction"] is DocScalar { IsNull: false } && map["apiVersion"] is null;

    public static SeccompProfile? TryRead(SourceDocument document)
    {
        if (!IsProfile(document.Root))
        {
            return null;
        }

        var root = (DocMapping)document.Root!;
        SourceLocation At(DocNode node) => new(document.File, node.Line, node.Column);
        var defaultEntry = root.Entry("defaultAction");
        var rules = new List<SeccompRule>();
        foreach (var item in root.MappingsOf("syscalls"))
        {
            var names = new List<Located<string>>();
            foreach (var name in item.ItemsOf("names").OfType<DocScalar>())
            {
                names.Add(new Located<string>(name.Value, At(name)));
            }

            if (item.Entry("name") is { Value: DocScalar single } nameEntry)
            {
                names.Add(new Located<string>(single.Value, At(nameEntry.Value)));
            }

            var includes = item.Mapping("includes");
            rules.Add(new SeccompRule(
                names,
                item.String("action") ?? string.Empty,
                item.ItemsOf("args").Any(),
                [.. includes.ItemsOf("caps").OfType<DocScalar>().Select(c => c.Value)],
                At(item)));
        }

        return new SeccompProfile
        {
            File = document.File,
            Root = root,
            DefaultAction = defaultEntry is { Value: DocScalar action } e ? new Located<string>(action.Value, At(e.Key)) : null,
            Rules = rules,
        };
    }

    /// <summary>True for actions that let the call through (logging or not).</summary>
    public static bool Allows(string action) => action is "SCMP_ACT_ALLOW" or "SCMP_ACT_LOG";
}

/// <summary>
/// One entry of <c>syscalls</c>. <see cref="HasArgumentFilter"/>: the action applies only when arguments match;
/// <see cref="RequiredCapabilities"/>: the entry applies only to containers holding those capabilities.
/// </summary>
public sealed record SeccompRule(IReadOnlyList<Located<string>> Names, string Action, bool HasArgumentFilter, IReadOnlyList<string> RequiredCapabilities, SourceLocation Location)
{
    public bool IsUnconditional => !HasArgumentFilter && RequiredCapabilities.Count == 0;
}

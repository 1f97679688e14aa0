using Bulwark.Core.Findings;
using Bulwark.Images.Sbom;
using Bulwark.Images.Vulnerabilities;

namespace Bulwark.Scanning.Images;

/// <summary>
/// OpenVEX documents (<c>--vex</c>) as a source of suppressions: a vulnerability finding whose deciding statement
/// says <c>not_affected</c> or <c>fixed</c> is suppressed, with the statement's justification as the reason. The
/// products a finding belongs to (the image's names, tags and digests, or the SBOM's subject) come from the command
/// that read them.
/// </summary>
public sealed class VexSuppression(VexDocument document, Func<Finding, IReadOnlyList<string>> productsOf)
{
    public VexDocument Document { get; } = document;

    /// <summary>The suppression for <paramref name="finding"/>, or null when no statement that suppresses applies.</summary>
    public Suppression? For(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        if (finding.Vulnerability is not { } v)
        {
            return null;
        }

        var package = v.Purl is { } purl && PackageUrl.TryParse(purl, out var parsed) ? parsed : null;
        if (Document.Find(v.Id, v.Aliases, package, productsOf(finding)) is not { Suppresses: true } statement)
        {
            return null;
        }

        var status = statement.Status == VexStatus.NotAffected ? "not_affected" : "fixed";
        var why = statement.Justification ?? statement.ImpactStatement;
        return new Suppression("vex", Document.File, why is null ? status : $"{status}: {why}");
    }
}

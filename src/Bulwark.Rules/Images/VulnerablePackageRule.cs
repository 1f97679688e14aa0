using System.Globalization;
using Bulwark.Core.Findings;
using Bulwark.Core.Rules;
using Bulwark.Parsing.Images;

namespace Bulwark.Rules.Images;

public sealed class VulnerablePackageRule : Rule<ContainerImage, SbomDocument>
{
    public override RuleDescriptor Descriptor { get; } = new()
    {
        Id = "BW2013",
        Slug = "vulnerable-package",
        Title = "Installed package has a known vulnerability",
        Severity = Severity.Medium,
        MinimumSeverity = Severity.Info,
        MaximumSeverity = Severity.Critical,
        SeverityNote = """
            The advisory's severity: critical, high, medium and low as published (Debian's urgency, the CVSS rating of
            an OSV or Node.js advisory); Debian's "unimportant" is info. An advisory that gives no severity (Go's
            vulnerability database never does) is medium, and the finding says the severity is unknown.
            """,
        Category = "Images",
        Sources = [SourceKind.Image, SourceKind.Sbom],
        Rationale = """
            A package with a published vulnerability is the most direct way into a container: exploits for known
            vulnerabilities are public, and scanners on the attacker's side find them as easily as ours do. The
            packages an image holds (its distribution's packages and the language packages and binaries in its
            layers) are matched against the vulnerability database (`bulwark db update` or `bulwark db import`).
            A distribution's packages are judged by the distribution's own feed, on their source package and for
            their release (Debian's security tracker by codename, Alpine's secdb by branch), so a fix a distribution
            backported is recognised; language packages are judged by their ecosystem's advisories (OSV, the Node.js
            security working group). `bulwark sbom` judges the packages an SBOM lists the same way. Without a database
            no vulnerability is reported, and the scan says so.
            """,
        Remediation = "Upgrade the package to the fixed version (rebuild on an updated base image, or upgrade it in the Dockerfile); when no fix is published, remove the package if the image does not need it, or record why it does not matter (an ignore with a reason and an expiry date in `.bulwark.yaml`, or a VEX statement).",
        References =
        [
            new("CIS Docker Benchmark", "4.4: Ensure images are scanned and rebuilt to include security patches"),
            new("OSV schema", "Open Source Vulnerability format", "https://ossf.github.io/osv-schema/"),
            new("Debian security tracker", "Per-package vulnerability status", "https://security-tracker.debian.org/tracker/"),
        ],
    };

    // In an image, a finding points at the file that recorded the package (the dpkg database, the Go binary).
    public override void Evaluate(ContainerImage target, RuleContext context) =>
        Report(target, target.Vulnerabilities, v => new SourceLocation("/" + v.Path.TrimStart('/'), v.Line, v.Line > 0 ? 1 : 0), context);

    // An SBOM is the file the user has: findings point at it (the detail's path names the component).
    public override void Evaluate(SbomDocument target, RuleContext context) =>
        Report(target, target.Vulnerabilities, _ => target.Location, context);

    private void Report(IScanTarget target, IReadOnlyList<VulnerabilityDetail> vulnerabilities, Func<VulnerabilityDetail, SourceLocation> at, RuleContext context)
    {
        foreach (var vulnerability in vulnerabilities)
        {
            context.Report(new Finding
            {
                Rule = Descriptor,
                Severity = SeverityOf(vulnerability.SeverityName),
                Message = Message(vulnerability),
                Location = at(vulnerability),
                Document = target.Document,
                Object = target.Object,
                Remediation = Remediation(vulnerability),
                Vulnerability = vulnerability,
            });
        }
    }

    /// <summary>The finding severity of an advisory's severity word.</summary>
    public static Severity SeverityOf(string severityName) => severityName switch
    {
        "critical" => Severity.Critical,
        "high" => Severity.High,
        "low" => Severity.Low,
        "negligible" => Severity.Info,
        _ => Severity.Medium,
    };

    private static string Message(VulnerabilityDetail v)
    {
        var source = v.MatchedName != v.Package || v.MatchedVersion != v.InstalledVersion
            ? $" (source package {v.MatchedName} {v.MatchedVersion})"
            : string.Empty;
        var rating = v.CvssScore is { } score
            ? $"{v.SeverityName}, CVSS {score.ToString("0.0", CultureInfo.InvariantCulture)}"
            : v.SeverityName == "unknown" ? "severity unknown" : v.SeverityName;
        var layer = v.Layer is { } index ? $", in layer {index + 1}" : string.Empty;
        var aliases = v.Aliases.Count > 0 ? $" ({string.Join(", ", v.Aliases.Take(3))}{(v.Aliases.Count > 3 ? ", …" : string.Empty)})" : string.Empty;
        var title = string.IsNullOrWhiteSpace(v.Title) ? string.Empty : ": " + v.Title.Trim().TrimEnd('.');
        var fix = v.FixedVersion is { } fixedIn ? $"; fixed in {fixedIn}" : $"; no fix published ({v.Status})";
        return $"{v.Package} {v.InstalledVersion}{source}{layer} is affected by {v.Id}{aliases} [{rating}]{title}{fix}.";
    }

    private static string Remediation(VulnerabilityDetail v) => v.FixedVersion is { } fixedIn
        ? v.MatchedName != v.Package
            ? $"Upgrade {v.Package} to the build of source package {v.MatchedName} {fixedIn} or later (rebuild on an updated base image, or run the package manager's upgrade in the Dockerfile)."
            : $"Upgrade {v.Package} to {fixedIn} or later."
        : $"No fixed version of {v.Package} is published yet: remove it if the image does not need it, or record why it does not matter here (an ignore with a reason and an expiry date in `.bulwark.yaml`, or a VEX statement), and watch for a fix.";
}

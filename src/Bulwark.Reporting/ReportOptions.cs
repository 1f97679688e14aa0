using System.Reflection;
using Bulwark.Core.Rules;

namespace Bulwark.Reporting;

public sealed record ReportOptions
{
    /// <summary>Include suppressed findings (marked as such).</summary>
    public bool ShowSuppressed { get; init; }

    /// <summary>ANSI colours in the table.</summary>
    public bool Color { get; init; }

    /// <summary>List documents that were skipped and why (table only).</summary>
    public bool Verbose { get; init; }

    public string ToolVersion { get; init; } = ToolInfo.Version;

    /// <summary>
    /// The directory report paths are made relative to (SARIF's <c>%SRCROOT%</c>); null means the current
    /// directory. Tests set it so that reports do not depend on where they run.
    /// </summary>
    public string? BaseDirectory { get; init; }

    /// <summary>Where the rule pages are (<c>helpBaseUrl</c> in <c>.bulwark.yaml</c>); null: the repository's, at this version.</summary>
    public string? HelpBaseUrl { get; init; }

    /// <summary>The link to <paramref name="rule"/>'s page: under <see cref="HelpBaseUrl"/>, else in the repository at <see cref="ToolVersion"/>.</summary>
    public string HelpUri(RuleDescriptor rule) => RuleHelpLinks.For(rule, HelpBaseUrl ?? RuleHelpLinks.BaseUrl(ToolVersion));
}

public static class ToolInfo
{
    public const string Name = "bulwark";

    /// <summary>
    /// The project's repository when the build does not name one (builds set it with the MSBuild property
    /// <c>BulwarkRepositoryUrl</c>, which reaches the assemblies as the metadata <c>RepositoryUrl</c>). A reserved
    /// <c>.invalid</c> name, as the build's own placeholder: it can never resolve, so it is never someone else's site.
    /// </summary>
    public const string FallbackRepositoryUrl = "https://bulwark.invalid/placeholder-repository";

    public static string Version { get; } =
        typeof(ToolInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static string RepositoryUrl { get; } =
        typeof(ToolInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryUrl" && !string.IsNullOrWhiteSpace(a.Value))?.Value!.Trim().TrimEnd('/')
        ?? FallbackRepositoryUrl;
}

/// <summary>
/// The link to a rule's page that reports carry (<c>helpUri</c>): the page under <c>docs/rules/</c> in the repository
/// at the release tag of this version, so a link never shows a rule as a later version changed it; or, with
/// <c>helpBaseUrl</c>, a mirror of those pages.
/// </summary>
public static class RuleHelpLinks
{
    /// <summary>The folder of the rule pages of <paramref name="version"/>: <c>docs/rules/</c> at its release tag.</summary>
    public static string BaseUrl(string version) => $"{ToolInfo.RepositoryUrl}/blob/v{version}/docs/rules/";

    /// <summary>
    /// The page of <paramref name="rule"/> under <paramref name="baseUrl"/>: the base followed by <c>BW1001.md</c>, or,
    /// when the base has <c>{id}</c> or <c>{slug}</c> in it, the base with those filled in (for sites that name pages
    /// otherwise, e.g. <c>https://wiki.example.com/bulwark/{slug}.html</c>).
    /// </summary>
    public static string For(RuleDescriptor rule, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(baseUrl);
        var url = baseUrl;
        if (url.Contains("{id}", StringComparison.Ordinal) || url.Contains("{slug}", StringComparison.Ordinal))
        {
            return url.Replace("{id}", rule.Id, StringComparison.Ordinal).Replace("{slug}", rule.Slug, StringComparison.Ordinal);
        }

        return (url.EndsWith('/') ? url : url + "/") + rule.Id + ".md";
    }
}

namespace Bulwark.Images.Vulnerabilities;

/// <summary>Every feed format <c>bulwark db import</c> reads, in the order they are offered each file (the first that recognises it reads it).</summary>
public static class AdvisoryFormats
{
    public static IReadOnlyList<IAdvisoryFormat> All { get; } =
    [
        OsvFormat.Json,
        OsvFormat.Yaml,
        new DebianTrackerFormat(),
        new AlpineSecdbFormat(),
        new NodeSecurityWgFormat(),
    ];
}

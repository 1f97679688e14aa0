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
}

public static class ToolInfo
{
    public const string Name = "bulwark";

    public const string InformationUri = "https://bulwark.dev";

    public static string Version { get; } =
        typeof(ToolInfo).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}

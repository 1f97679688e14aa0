namespace Bulwark.Cli;

/// <summary>Process exit codes, documented in the README.</summary>
public static class ExitCodes
{
    /// <summary>No finding at or above the fail-on severity, and every input was read.</summary>
    public const int Success = 0;

    /// <summary>At least one finding at or above the fail-on severity.</summary>
    public const int Findings = 1;

    /// <summary>A usage error, or an input that could not be read or parsed (after everything else was scanned and reported).</summary>
    public const int Error = 2;
}

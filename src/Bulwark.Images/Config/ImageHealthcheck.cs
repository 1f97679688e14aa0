namespace Bulwark.Images.Config;

/// <summary>
/// <c>config.Healthcheck</c>. A <see cref="Test"/> of <c>["NONE"]</c> disables a healthcheck inherited from the base
/// image, which rules must tell apart from having one.
/// </summary>
public sealed record ImageHealthcheck(IReadOnlyList<string> Test, long? IntervalNanoseconds, long? TimeoutNanoseconds, long? StartPeriodNanoseconds, int? Retries)
{
    public bool Disabled => Test.Count > 0 && Test[0] == "NONE";
}

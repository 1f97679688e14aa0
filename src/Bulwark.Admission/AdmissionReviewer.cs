namespace Bulwark.Admission;

/// <summary>
/// Judges AdmissionReview requests with the scan engine's rules and Pod Security evaluator: bytes in, the
/// response out. Thread-safe; one instance serves every request. No rule logic lives here.
/// </summary>
public sealed class AdmissionReviewer(AdmissionSettings settings)
{
    public AdmissionSettings Settings { get; } = settings;

    /// <summary>Judges one request body (already bounded in size by the server). Never throws for bad input.</summary>
    public AdmissionOutcome Review(ReadOnlySpan<byte> body, AdmissionRoute route) =>
        throw new NotImplementedException("the lead engineer implements this");
}

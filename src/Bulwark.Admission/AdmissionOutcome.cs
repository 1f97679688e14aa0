namespace Bulwark.Admission;

/// <summary>How a review ended, for logs and metrics.</summary>
public enum AdmissionDecision
{
    /// <summary>Allowed with nothing to say.</summary>
    Allowed,

    /// <summary>Allowed, with warnings for the client (a workload template that would violate, a rule in warn mode).</summary>
    Warned,

    /// <summary>Denied (403 in the response's status): an enforced check or rule failed, or the object could not be decoded.</summary>
    Denied,

    /// <summary>Allowed without evaluation: an exempt user, namespace or runtime class.</summary>
    Exempt,

    /// <summary>Allowed without evaluation: an operation or subresource Pod Security admission does not judge (DELETE, CONNECT, status).</summary>
    Skipped,

    /// <summary>Not an AdmissionReview at all (HTTP 400): no response could be made.</summary>
    BadRequest,
}

/// <summary>
/// The answer to one HTTP request: a status code and body for the client, and what logs and metrics record. Never
/// carries object contents.
/// </summary>
public sealed record AdmissionOutcome
{
    /// <summary>200 with an AdmissionReview, or 400 when the body was not one.</summary>
    public required int StatusCode { get; init; }

    /// <summary>The response body: an AdmissionReview (JSON, UTF-8) for 200, a one-line reason (text) for 400.</summary>
    public required byte[] Body { get; init; }

    /// <summary><c>application/json</c> or <c>text/plain; charset=utf-8</c>.</summary>
    public required string ContentType { get; init; }

    public required AdmissionDecision Decision { get; init; }

    /// <summary>The one-line reason of a 400, or of a denial for an object that could not be decoded.</summary>
    public string? Error { get; init; }

    public string? Uid { get; init; }

    /// <summary>The request's kind as <c>group/version/Kind</c> (<c>v1/Pod</c> for the core group), or null when unknown.</summary>
    public string? Kind { get; init; }

    public string? Namespace { get; init; }

    public string? Name { get; init; }

    public string? User { get; init; }

    public string? Operation { get; init; }

    public string? SubResource { get; init; }

    public bool DryRun { get; init; }

    /// <summary>The IDs of the rules and Pod Security checks that fired (denied or warned), once each.</summary>
    public IReadOnlyList<string> Rules { get; init; } = [];
}

using System.Buffers;
using System.Text.Json;

namespace Bulwark.Admission;

/// <summary>A refusal as the API server's <c>metav1.Status</c>: code, reason and message, and what it is about.</summary>
internal sealed record AdmissionDenial(int Code, string Reason, string Message, string? Name = null, string? Group = null, string? Resource = null);

/// <summary>
/// The <c>response</c> of an AdmissionReview, written as the API server checks it: same <c>uid</c>, exactly
/// <c>admission.k8s.io/v1</c> and <c>AdmissionReview</c>, no <c>patch</c> fields (a validating webhook may not send
/// them), empty members left out.
/// </summary>
internal sealed class AdmissionResponse(string uid)
{
    public string Uid { get; } = uid;

    public AdmissionDenial? Denial { get; set; }

    public List<string> Warnings { get; } = [];

    public SortedDictionary<string, string> AuditAnnotations { get; } = new(StringComparer.Ordinal);

    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        // Relaxed escaping: the API server decodes JSON, not HTML; quotes in messages stay readable in logs and audit events.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("apiVersion", "admission.k8s.io/v1");
            json.WriteString("kind", "AdmissionReview");
            json.WriteStartObject("response");
            json.WriteString("uid", Uid);
            json.WriteBoolean("allowed", Denial is null);
            if (Denial is { } denial)
            {
                json.WriteStartObject("status");
                json.WriteStartObject("metadata");
                json.WriteEndObject();
                json.WriteString("status", "Failure");
                json.WriteString("message", denial.Message);
                json.WriteString("reason", denial.Reason);
                if (denial.Name is not null || denial.Resource is not null)
                {
                    json.WriteStartObject("details");
                    if (!string.IsNullOrEmpty(denial.Name))
                    {
                        json.WriteString("name", denial.Name);
                    }

                    if (!string.IsNullOrEmpty(denial.Group))
                    {
                        json.WriteString("group", denial.Group);
                    }

                    if (!string.IsNullOrEmpty(denial.Resource))
                    {
                        json.WriteString("kind", denial.Resource);
                    }

                    json.WriteEndObject();
                }

                json.WriteNumber("code", denial.Code);
                json.WriteEndObject();
            }

            if (Warnings.Count > 0)
            {
                json.WriteStartArray("warnings");
                foreach (var warning in Warnings)
                {
                    json.WriteStringValue(warning);
                }

                json.WriteEndArray();
            }

            if (AuditAnnotations.Count > 0)
            {
                json.WriteStartObject("auditAnnotations");
                foreach (var (key, value) in AuditAnnotations)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}

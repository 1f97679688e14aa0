using System.Text.Json;
using Bulwark.Core.Findings;

namespace Bulwark.Reporting;

/// <summary>The <c>errors</c> (and <c>warnings</c>) arrays every JSON report shares.</summary>
public static class InputErrorJson
{
    public static void WriteErrors(Utf8JsonWriter json, IEnumerable<InputError> errors)
    {
        json.WriteStartArray("errors");
        foreach (var error in errors)
        {
            json.WriteStartObject();
            json.WriteString("file", error.File);
            json.WriteNumber("line", error.Line);
            json.WriteNumber("column", error.Column);
            json.WriteString("message", error.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    public static void WriteWarnings(Utf8JsonWriter json, IEnumerable<InputWarning> warnings)
    {
        json.WriteStartArray("warnings");
        foreach (var warning in warnings)
        {
            json.WriteStartObject();
            if (string.IsNullOrEmpty(warning.Location.File))
            {
                json.WriteNull("file");
            }
            else
            {
                json.WriteString("file", warning.Location.File);
            }

            json.WriteNumber("line", warning.Location.Line);
            json.WriteNumber("column", warning.Location.Column);
            json.WriteString("subject", warning.Subject);
            json.WriteString("message", warning.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}

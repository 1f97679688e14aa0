using System.Text.Json;
using Bulwark.Core.Findings;

namespace Bulwark.Reporting;

/// <summary>The <c>errors</c> array every JSON report shares.</summary>
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
}

using System.Text.Json;

namespace Bulwark.Reporting;

/// <summary>
/// <see cref="Utf8JsonWriter"/> over a stream keeps everything it wrote in memory until it is flushed; a report
/// of 100,000 findings would be held whole (and copied as its buffer grows). Writers call this between items.
/// </summary>
internal static class JsonStreaming
{
    private const int FlushThreshold = 64 * 1024;

    public static void FlushIfLarge(this Utf8JsonWriter json)
    {
        if (json.BytesPending > FlushThreshold)
        {
            json.Flush();
        }
    }
}

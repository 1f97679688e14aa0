using System.Buffers;
using System.Text.Json;

namespace Bulwark.Reporting;

/// <summary>
/// Helpers for reports of 100,000 findings: flush as they go (<see cref="Utf8JsonWriter"/> over a stream keeps
/// everything until flushed), and serialize the items of a long array on every core.
/// </summary>
internal static class JsonStreaming
{
    private const int FlushThreshold = 64 * 1024;
    private const int ChunkSize = 256;

    public static void FlushIfLarge(this Utf8JsonWriter json)
    {
        if (json.BytesPending > FlushThreshold)
        {
            json.Flush();
        }
    }

    /// <summary>
    /// Writes <paramref name="items"/> as elements of the array <paramref name="json"/> has open, exactly as writing
    /// them one by one would (same separators and indentation), but serialized in chunks on several threads and
    /// copied in order; a bounded window of chunks is held at a time. <paramref name="newState"/> gives each chunk
    /// its own state (caches that are not thread-safe).
    /// </summary>
    public static void WriteItemsInParallel<T, TState>(this Utf8JsonWriter json, IReadOnlyList<T> items, JsonWriterOptions options,
        Func<TState> newState, Action<Utf8JsonWriter, T, TState> write)
    {
        var depth = json.CurrentDepth;
        var chunks = (items.Count + ChunkSize - 1) / ChunkSize;
        var window = Math.Max(2, Environment.ProcessorCount * 4);
        var buffers = new ArrayBufferWriter<byte>[Math.Min(window, chunks)];
        var offsets = new int[buffers.Length];
        for (var first = 0; first < chunks; first += window)
        {
            var count = Math.Min(window, chunks - first);
            Parallel.For(0, count, k =>
            {
                var buffer = buffers[k] ??= new ArrayBufferWriter<byte>(64 * 1024);
                buffer.ResetWrittenCount();
                using var writer = new Utf8JsonWriter(buffer, options with { SkipValidation = true });

                // Open as many arrays as the real writer has containers open, so items get the same indentation.
                for (var d = 0; d < depth; d++)
                {
                    writer.WriteStartArray();
                }

                writer.Flush();
                offsets[k] = buffer.WrittenCount;
                var state = newState();
                var start = (first + k) * ChunkSize;
                var end = Math.Min(items.Count, start + ChunkSize);
                for (var i = start; i < end; i++)
                {
                    write(writer, items[i], state);
                }

                writer.Flush();
            });

            for (var k = 0; k < count; k++)
            {
                // The chunk's bytes start with what precedes its first item (a newline and indentation when
                // indented); the real writer adds the comma between chunks.
                json.WriteRawValue(buffers[k].WrittenSpan[offsets[k]..], skipInputValidation: true);
                json.FlushIfLarge();
            }
        }
    }
}

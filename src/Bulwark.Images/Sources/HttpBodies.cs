namespace Bulwark.Images.Sources;

/// <summary>
/// Reads small response bodies (manifests, configs, engine metadata, error messages) within a size bound, whatever
/// Content-Length claims: a hostile server must not make the scanner buffer gigabytes it calls "metadata".
/// </summary>
internal static class HttpBodies
{
    /// <summary>The body, or an <see cref="ImageReadException"/> when it is larger than <paramref name="max"/>.</summary>
    public static byte[] ReadBounded(HttpResponseMessage response, long max, string describe, CancellationToken cancellation)
    {
        if (response.Content.Headers.ContentLength > max)
        {
            throw new ImageReadException($"{describe}: the response is {response.Content.Headers.ContentLength} bytes, more than the {max} allowed for image metadata");
        }

        using var body = response.Content.ReadAsStream(cancellation);
        using var buffer = new MemoryStream();
        var chunk = new byte[1 << 16];
        int read;
        while ((read = body.ReadAsync(chunk, cancellation).AsTask().GetAwaiter().GetResult()) > 0)
        {
            if (buffer.Length + read > max)
            {
                throw new ImageReadException($"{describe}: the response is more than the {max} bytes allowed for image metadata");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>The start of an error response's body as text, for a message (engines and registries explain there).</summary>
    public static string ErrorText(HttpResponseMessage response, CancellationToken cancellation)
    {
        try
        {
            var bytes = ReadBounded(response, 64 * 1024, "error", cancellation);
            var text = System.Text.Encoding.UTF8.GetString(bytes).Trim();
            return text.Length > 400 ? text[..400] + "…" : text;
        }
        catch (Exception e) when (e is ImageReadException or IOException or HttpRequestException or OperationCanceledException)
        {
            return string.Empty;
        }
    }
}

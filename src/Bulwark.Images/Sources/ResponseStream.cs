using Bulwark.Images.Layers;

namespace Bulwark.Images.Sources;

/// <summary>A streamed response body that releases its response (and so its connection) when closed.</summary>
internal sealed class ResponseStream(Stream body, HttpResponseMessage response) : ReadOnlyPassThroughStream(body)
{
    public override int Read(Span<byte> buffer) => Inner.Read(buffer);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            response.Dispose();
        }
    }
}

using Bulwark.Images.Layers;

namespace Bulwark.Images.Sources;

/// <summary>
/// A response body whose every read must deliver within a time limit: an engine or registry that stops sending in
/// the middle of a layer would otherwise hang the scan forever (HttpClient's own timeout cannot cover a stream of
/// unknown length without also cutting off a slow but live 2 GB layer). A stall becomes an <see cref="IOException"/>,
/// which the layer reader reports naming the layer.
/// </summary>
internal sealed class IdleTimeoutStream(Stream body, TimeSpan idle, Func<string> describe) : ReadOnlyPassThroughStream(body)
{
    private byte[] _buffer = [];

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_buffer.Length < buffer.Length)
        {
            _buffer = new byte[Math.Max(buffer.Length, 1 << 16)];
        }

        using var cancel = new CancellationTokenSource(idle);
        int read;
        try
        {
            read = Inner.ReadAsync(_buffer.AsMemory(0, buffer.Length), cancel.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException e) when (cancel.IsCancellationRequested)
        {
            throw new IOException($"{describe()}: no data received for {idle.TotalSeconds:0} s; the connection was given up", e);
        }
        catch (HttpRequestException e)
        {
            throw new IOException($"{describe()}: the connection broke off: {e.Message}", e);
        }

        _buffer.AsSpan(0, read).CopyTo(buffer);
        return read;
    }
}

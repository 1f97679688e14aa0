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
    // Readers above ask for tar blocks of 512 bytes: one timed network read fills this for many of them.
    private readonly byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_start == _end)
        {
            _start = 0;
            _end = Fill();
            if (_end == 0)
            {
                return 0;
            }
        }

        var count = Math.Min(buffer.Length, _end - _start);
        _buffer.AsSpan(_start, count).CopyTo(buffer);
        _start += count;
        return count;
    }

    private int Fill()
    {
        using var cancel = new CancellationTokenSource(idle);
        try
        {
            return Inner.ReadAsync(_buffer, cancel.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException e) when (cancel.IsCancellationRequested)
        {
            throw new IOException($"{describe()}: no data received for {idle.TotalSeconds:0} s; the connection was given up", e);
        }
        catch (HttpRequestException e)
        {
            throw new IOException($"{describe()}: the connection broke off: {e.Message}", e);
        }
    }
}

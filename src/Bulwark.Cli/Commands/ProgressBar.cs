using Bulwark.Images.Layers;

namespace Bulwark.Cli.Commands;

/// <summary>
/// One status line on standard error while an image's layers are read, redrawn at most ten times a second and
/// erased when done. Shown only when standard error is a terminal, so logs and CI output never carry it.
/// </summary>
public sealed class ProgressBar : IProgress<LayerProgress>, IDisposable
{
    private readonly TextWriter _error;
    private readonly string _name;
    private readonly Lock _lock = new();
    private readonly Dictionary<int, (long Read, long? Size, bool Done)> _layers = [];
    private long _lastDraw;
    private int _drawnWidth;

    private ProgressBar(TextWriter error, string name)
    {
        _error = error;
        _name = name;
    }

    /// <summary>A bar on the terminal, or null (report nothing) when standard error is not one.</summary>
    public static ProgressBar? OnTerminal(ConsoleIo io, string name, bool enabled) =>
        enabled && io.IsRealConsole && !Console.IsErrorRedirected ? new ProgressBar(io.Error, name) : null;

    public void Report(LayerProgress value)
    {
        lock (_lock)
        {
            _layers[value.Layer.Index] = (value.BytesRead, value.Layer.Size, value.State != LayerProgressState.Reading);
            var now = Environment.TickCount64;
            if (now - _lastDraw < 100 && value.State == LayerProgressState.Reading)
            {
                return;
            }

            _lastDraw = now;
            var count = value.Layer.Count;
            var done = _layers.Values.Count(l => l.Done);
            var read = _layers.Values.Sum(l => l.Done ? l.Size ?? l.Read : l.Read);
            var total = _layers.Count == count && _layers.Values.All(l => l.Size is not null) ? _layers.Values.Sum(l => l.Size!.Value) : (long?)null;
            var width = 24;
            var filled = total is > 0 ? (int)(width * Math.Min(1.0, (double)read / total.Value)) : width * done / Math.Max(1, count);
            var line = $"{_name}  [{new string('#', filled)}{new string('.', width - filled)}] layer {done}/{count}  {Mib(read)}{(total is { } t ? " / " + Mib(t) : string.Empty)}";
            Draw(line);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            Draw(string.Empty);
        }
    }

    private void Draw(string line)
    {
        var padded = line.Length < _drawnWidth ? line + new string(' ', _drawnWidth - line.Length) : line;
        _error.Write("\r" + padded + (line.Length == 0 ? "\r" : string.Empty));
        _error.Flush();
        _drawnWidth = line.Length;
    }

    private static string Mib(long bytes) => $"{bytes / 1048576.0:F1} MiB";
}

using System.Collections.Concurrent;
using System.Diagnostics;

namespace Bulwark.Scanning;

/// <summary>
/// How long each stage of a scan took (<c>bulwark scan --timings</c>): wall time, and the process's CPU time
/// over the same span. Cluster rules run side by side, so their own times overlap.
/// </summary>
public sealed class ScanTimings
{
    private readonly ConcurrentQueue<StageTiming> _stages = new();

    public IReadOnlyList<StageTiming> Stages => [.. _stages];

    /// <summary>Starts timing a stage; it is recorded when the returned scope is disposed.</summary>
    public Scope Measure(string stage) => new(this, stage);

    public readonly struct Scope : IDisposable
    {
        private readonly ScanTimings _owner;
        private readonly string _stage;
        private readonly long _start;
        private readonly TimeSpan _cpu;
        private readonly int _gen2;
        private readonly TimeSpan _paused;

        internal Scope(ScanTimings owner, string stage)
        {
            _owner = owner;
            _stage = stage;
            _start = Stopwatch.GetTimestamp();
            _cpu = ProcessCpu();
            _gen2 = GC.CollectionCount(2);
            _paused = GC.GetTotalPauseDuration();
        }

        public void Dispose() =>
            _owner?._stages.Enqueue(new StageTiming(_stage, Stopwatch.GetElapsedTime(_start), ProcessCpu() - _cpu)
            {
                FullCollections = GC.CollectionCount(2) - _gen2,
                Paused = GC.GetTotalPauseDuration() - _paused,
            });
    }

    private static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}

/// <param name="Stage">What ran: <c>parse and per-file rules</c>, <c>cluster rules</c>, a cluster rule's slug, …</param>
/// <param name="Wall">Elapsed time.</param>
/// <param name="Cpu">CPU time of the whole process over the same span (every thread).</param>
public sealed record StageTiming(string Stage, TimeSpan Wall, TimeSpan Cpu)
{
    /// <summary>Full (gen2) garbage collections during the stage.</summary>
    public int FullCollections { get; init; }

    /// <summary>Time the garbage collector paused the process during the stage.</summary>
    public TimeSpan Paused { get; init; }
}

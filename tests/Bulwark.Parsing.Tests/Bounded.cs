using Xunit;

namespace Bulwark.Parsing.Tests;

/// <summary>
/// Runs a parse on its own thread with a small stack, so deep recursion anywhere in the parsers shows up as
/// a failure here instead of passing on a big test-host stack, and measures what that thread allocated.
/// The join timeout is only a hang guard: costs are asserted as allocated bytes, which do not depend on the
/// machine's speed or load.
/// </summary>
public static class Bounded
{
    private const int StackBytes = 256 * 1024;

    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    public static (T Result, long AllocatedBytes) Run<T>(Func<T> work)
    {
        T result = default!;
        long allocated = 0;
        Exception? failure = null;
        var thread = new Thread(
            () =>
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    result = work();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    failure = ex;
                }

                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            },
            StackBytes)
        {
            IsBackground = true,
            Name = "bounded-parse",
        };

        thread.Start();
        Assert.True(thread.Join(HangGuard), $"did not finish within {HangGuard} (hang guard)");
        if (failure is not null)
        {
            throw new InvalidOperationException("the parse threw instead of reporting an error", failure);
        }

        return (result, allocated);
    }

    /// <summary>Asserts that <paramref name="allocatedBytes"/> stays under <paramref name="maxMiB"/> MiB.</summary>
    public static void AssertAllocatedBelow(long allocatedBytes, int maxMiB) =>
        Assert.True(allocatedBytes < maxMiB * 1024L * 1024, $"allocated {allocatedBytes / (1024.0 * 1024):F1} MiB, over the {maxMiB} MiB bound");
}

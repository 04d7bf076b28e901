using VrrpPS.Engine;
using VrrpPS.Platform.Linux;
using Xunit;

namespace VrrpPS.Tests.Hosting;

/// <summary>Issue 16: the engine reports its longest loop iteration (wall time between two waits), per window: the USR2 stats
/// dump and the starvation bench read it. A command that holds the loop for a known time is the busy stretch.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LoopStatsTests
{
    [Fact]
    public void The_longest_iteration_covers_a_command_that_holds_the_loop_and_each_take_starts_a_new_window()
    {
        var engine = new VrrpEngine(new LinuxNetworkPlatform()); // the real loop, no instance: nothing is sent
        try
        {
            HoldTheLoop(engine, 60);
            long first = engine.TakeLongestIteration();
            Assert.InRange(first, 60_000, 60_000_000);
            HoldTheLoop(engine, 120);
            Assert.InRange(engine.LongestIterationMicroseconds, 120_000, 60_000_000);
        }
        finally { engine.Dispose(); }
    }

    /// <summary>A command that sleeps on the loop, then commands until the next iteration has begun: the held one has been
    /// measured by then (a command queued while the loop still drains the queue runs in the same iteration). Bounded: 5 s.</summary>
    private static void HoldTheLoop(VrrpEngine engine, int milliseconds)
    {
        long held = engine.Invoke(_ => { Thread.Sleep(milliseconds); return engine.Iterations; });
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (engine.Iterations <= held && sw.ElapsedMilliseconds < 5000)
        {
            engine.Invoke(_ => 0);
        }
        Assert.True(engine.Iterations > held, "the loop did not start another iteration");
    }
}

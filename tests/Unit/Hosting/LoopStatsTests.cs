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
            engine.Invoke(_ => { Thread.Sleep(60); return 0; });
            engine.Invoke(_ => 0); // one more iteration: the busy stretch above has been measured
            long first = engine.TakeLongestIteration();
            Assert.InRange(first, 60_000, 60_000_000);
            engine.Invoke(_ => { Thread.Sleep(120); return 0; });
            engine.Invoke(_ => 0);
            Assert.InRange(engine.LongestIterationMicroseconds, 120_000, 60_000_000);
        }
        finally { engine.Dispose(); }
    }
}

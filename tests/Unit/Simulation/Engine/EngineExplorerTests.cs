using Xunit;
using Xunit.Abstractions;

namespace VrrpPS.Tests.Simulation.Engine;

/// <summary>
/// The explorer: random clusters under random fault schedules on the real engine code, in simulated
/// time. Each run draws a fresh base seed (printed) and explores as many schedules as fit its time
/// budget; VRRPPS_EXPLORER_SEED=N replays one schedule. Seeds that once found a defect stay as cases.
/// </summary>
public sealed class EngineExplorerTests(ITestOutputHelper output)
{
    /// <summary>Seeds that found a defect (the note says which), replayed on every run.</summary>
    [Theory]
    [InlineData(2051)] // a link-monitor read error escaped the loop (in production: every instance stopped)
    [InlineData(1010)] // a stopped sync-group member was forced into FAULT after STOP by its sibling's reaction
    [InlineData(2131)] // a released instance rejoined the election when its interface was re-created
    [InlineData(2831)] // a released instance rejoined the election when a reload restarted it
    public void SeedsThatFoundDefects(int seed) => EngineExplorer.Run(seed);

    [Fact]
    public void RandomClustersUnderRandomFaultsKeepEveryInvariant()
    {
        if (Environment.GetEnvironmentVariable("VRRPPS_EXPLORER_SEED") is { } replay)
        {
            EngineExplorer.Trace = Console.WriteLine;
            EngineExplorer.Run(int.Parse(replay, System.Globalization.CultureInfo.InvariantCulture));
            return;
        }
        int baseSeed = Environment.GetEnvironmentVariable("VRRPPS_EXPLORER_BASE") is { } b
            ? int.Parse(b, System.Globalization.CultureInfo.InvariantCulture) : Random.Shared.Next(1, int.MaxValue / 2);
        double budget = double.TryParse(Environment.GetEnvironmentVariable("VRRPPS_EXPLORER_SECONDS"), out var s) ? s : 45;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var kinds = new HashSet<Fault>();
        long steps = 0;
        int runs = 0, faults = 0;
        for (; runs < 100_000 && clock.Elapsed.TotalSeconds < budget; runs++)
        {
            var r = EngineExplorer.Run(baseSeed + runs);
            kinds.UnionWith(r.Kinds);
            steps += r.Steps;
            faults += r.Faults;
        }
        output.WriteLine($"explorer: base seed {baseSeed}, {runs} schedules, {faults} faults, {steps} steps, {kinds.Count}/{Enum.GetValues<Fault>().Length} fault kinds, {clock.Elapsed.TotalSeconds:0.0} s");
        Console.WriteLine($"Explorer: base seed {baseSeed}, {runs} schedules, {faults} faults, {steps} steps in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(runs >= 200, $"only {runs} schedules fit the time budget");
        Assert.Equal(Enum.GetValues<Fault>().Length, kinds.Count);
    }
}

using VrrpPS.Engine;
using VrrpPS.Hosting;
using VrrpPS.Tests.Engine;
using VrrpPS.Tests.Simulation.Engine;
using Xunit;

namespace VrrpPS.Tests.Hosting;

/// <summary>
/// Issue 16: a SIGHUP reload (or Sync-VrrpConfiguration) that changes vrrp_rt_priority, vrrp_priority,
/// vrrp_rlimit_rttime or vrrp_no_swap changes how the engine thread is scheduled, as a restart would;
/// an unchanged configuration leaves the scheduling alone.
/// </summary>
public sealed class ReloadSchedulingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vrrpps-reload-").FullName;
    private readonly EngineSimulator _sim = new(1);
    private readonly RecordingScheduler _scheduler = new();

    public void Dispose()
    {
        _sim.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static string Config(string globals) =>
        "global_defs {\n" + globals + "}\n" +
        "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    priority 100\n    advert_int 0.1\n" +
        "    virtual_ipaddress {\n        198.51.100.100/24\n    }\n}\n";

    /// <summary>Starts VI_1 from <paramref name="path"/> the way Start-VrrpInstance -Wait does: instances, then the scheduling.</summary>
    private VrrpEngine Start(string path, int realtimePriority = 0, bool noSwap = false)
    {
        var engine = _sim.AddNode("198.51.100.11").Engine;
        engine.Scheduler = _scheduler;
        var errors = new List<string>();
        var batch = ConfigBatch.Reread([(path, null)], errors) ?? throw new InvalidOperationException(string.Join("; ", errors));
        engine.Start(batch.ToDefinitions().ToList());
        if (batch.Scheduling(realtimePriority, noSwap) is { } scheduling)
        {
            engine.ApplyScheduling(scheduling);
        }
        PastStartup();
        return engine;
    }

    private void Reload(ConfigReloader reloader, string path, string globals)
    {
        File.WriteAllText(path, Config(globals));
        var result = reloader.Reload(["VI_1"], ReloadRequest.Reread);
        Assert.Equal(["VI_1"], result.Unchanged); // the instance itself did not change: scheduling alone
        PastStartup();
    }

    /// <summary>
    /// Past the real-time start-up budget (RealtimeStartupTests): the configured limit is what the thread runs with. The
    /// budget lasts at least 5 s and two Master_Down_Intervals of the slowest instance: VI_1 is VRRPv2 (keepalived's
    /// default version), so its 0.1 s advert_int is a whole second: 2 × 3.61 s.
    /// </summary>
    private void PastStartup() => _sim.RunFor(TimeSpan.FromSeconds(8));

    [Fact]
    public void A_reload_applies_changed_scheduling_keywords_to_the_engine_thread()
    {
        string path = Path.Combine(_dir, "keepalived.conf");
        File.WriteAllText(path, Config("    vrrp_rt_priority 50\n"));
        var engine = Start(path);
        var reloader = new ConfigReloader(engine, [(path, null)], d => d);
        Assert.Equal(new EngineSchedulingOptions { RealtimePriority = 50 }, _scheduler.Applied[^1]);

        Reload(reloader, path, "    vrrp_rt_priority 20\n    vrrp_rlimit_rttime 50000\n    vrrp_no_swap\n");
        Assert.Equal(new EngineSchedulingOptions { RealtimePriority = 20, RealtimeLimitMicroseconds = 50000, NoSwap = true }, _scheduler.Applied[^1]);

        Reload(reloader, path, "    vrrp_priority -5\n");
        Assert.Equal(new EngineSchedulingOptions { Nice = -5 }, _scheduler.Applied[^1]);

        Reload(reloader, path, "");
        Assert.Equal(new EngineSchedulingOptions(), _scheduler.Applied[^1]); // back to normal scheduling
        int applied = _scheduler.Applied.Count;

        Reload(reloader, path, "");
        Assert.Equal(applied, _scheduler.Applied.Count); // unchanged: not applied again
    }

    [Fact]
    public void A_reload_from_a_file_without_scheduling_keywords_changes_nothing()
    {
        string path = Path.Combine(_dir, "keepalived.conf");
        File.WriteAllText(path, Config(""));
        var engine = Start(path);
        var reloader = new ConfigReloader(engine, [(path, null)], d => d);

        Reload(reloader, path, "    router_id node1\n");

        Assert.Empty(_scheduler.Applied);
    }

    /// <summary>-RealtimePriority and -NoSwap on the command line win over the file at a reload as they did at start.</summary>
    [Fact]
    public void The_command_line_settings_still_win_after_a_reload()
    {
        string path = Path.Combine(_dir, "keepalived.conf");
        File.WriteAllText(path, Config("    vrrp_rt_priority 50\n"));
        var engine = Start(path, realtimePriority: 30, noSwap: true);
        var reloader = new ConfigReloader(engine, [(path, null)], d => d, b => b.Scheduling(30, true));

        Reload(reloader, path, "    vrrp_rt_priority 70\n    vrrp_rlimit_rttime 20000\n");

        Assert.Equal(new EngineSchedulingOptions { RealtimePriority = 30, RealtimeLimitMicroseconds = 20000, NoSwap = true }, _scheduler.Applied[^1]);
    }
}

using System.Text.Json;
using VrrpPS.Engine;

namespace VrrpPS.Hosting;

/// <summary>
/// SIGUSR1 / SIGUSR2 dumps, keepalived's data and stats files as JSON: &lt;runtime directory&gt;/vrrpps.data.json
/// (every instance's full state: addresses, master, trackers, history) and vrrpps.stats.json (per
/// instance: state and counters). The runtime directory is $RUNTIME_DIRECTORY (systemd's
/// RuntimeDirectory=, /run/vrrpps in the shipped unit), else the control socket's directory.
/// Written atomically (a temporary file renamed), mode 0600.
/// </summary>
internal static class DaemonDumps
{
    public const string DataFile = "vrrpps.data.json";
    public const string StatsFile = "vrrpps.stats.json";

    public static string RuntimeDirectory(string controlSocket)
    {
        string? env = Environment.GetEnvironmentVariable("RUNTIME_DIRECTORY");
        if (!string.IsNullOrEmpty(env))
        {
            return env.Split(':')[0];
        }
        return Path.GetDirectoryName(Path.GetFullPath(controlSocket)) ?? "/run/vrrpps";
    }

    public static string WriteData(string dir, IReadOnlyList<VrrpInstanceState> states) =>
        Write(Path.Combine(dir, DataFile), new { time = DateTime.UtcNow, processId = Environment.ProcessId, instances = states });

    /// <summary>engine.longestIterationMicroseconds covers the time since the previous stats dump (or the start).</summary>
    public static string WriteStats(string dir, IReadOnlyList<VrrpInstanceState> states, VrrpEngine? engine = null) =>
        Write(Path.Combine(dir, StatsFile), new
        {
            time = DateTime.UtcNow,
            processId = Environment.ProcessId,
            engine = engine is null ? null : new { iterations = engine.Iterations, longestIterationMicroseconds = engine.TakeLongestIteration() },
            runtime = Runtime(),
            instances = states.Select(s => new { name = s.Name, state = s.State, effectivePriority = s.EffectivePriority, counters = s.Counters }),
        });

    /// <summary>What the process's memory holds, for footprint work: the GC heap (after the last collection), what the GC has
    /// committed, and the JIT's work so far.</summary>
    private static object Runtime()
    {
        var gc = GC.GetGCMemoryInfo();
        return new
        {
            gcHeapSizeBytes = gc.HeapSizeBytes,
            gcFragmentedBytes = gc.FragmentedBytes,
            gcCommittedBytes = gc.TotalCommittedBytes,
            gcCollections = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) },
            jitCompiledMethods = System.Runtime.JitInfo.GetCompiledMethodCount(),
            jitCompiledILBytes = System.Runtime.JitInfo.GetCompiledILBytes(),
            workingSetBytes = Environment.WorkingSet,
        };
    }

    private static string Write(string path, object value)
    {
        string tmp = path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(value, new JsonSerializerOptions(ControlProtocol.JsonOptions) { WriteIndented = true }));
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Move(tmp, path, overwrite: true);
        return path;
    }
}

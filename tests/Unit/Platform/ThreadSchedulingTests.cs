using System.Runtime.InteropServices;
using VrrpPS.Engine;
using VrrpPS.Platform.Linux;
using Xunit;

namespace VrrpPS.Tests.Platform;

/// <summary>
/// Issue 16, deadlines under starvation: keepalived's vrrp_rt_priority / vrrp_rlimit_rttime / vrrp_priority / vrrp_no_swap act
/// on the ENGINE THREAD (its tid, read back from /proc/self/task/&lt;tid&gt;/stat), not on the thread that asked. Needs root
/// (SCHED_RR, a lower nice, mlockall). The engine has no instance: nothing is sent. What the test changes in the test
/// process (RLIMIT_RTTIME, the memory lock) is put back in finally.
/// </summary>
[Trait(TestCategories.Key, TestCategories.Root)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ThreadSchedulingTests
{
    private const int SchedOther = 0, SchedRr = 2;

    [Fact]
    public void Realtime_priority_puts_the_engine_thread_alone_in_SCHED_RR_with_the_RTTIME_guard()
    {
        string limitsBefore = RealtimeLimitLine();
        var engine = NewEngine();
        var log = engine.Log.Subscribe();
        try
        {
            engine.RealtimeStartupMicroseconds = 200_000;
            var outcome = engine.ApplyScheduling(new EngineSchedulingOptions { RealtimePriority = 10, RealtimeLimitMicroseconds = 30000 });
            Assert.Empty(outcome.Warnings);
            Assert.Equal("VrrpPS engine", Comm(outcome.ThreadId)); // the engine's own thread…
            Assert.Equal((SchedRr, 10), Policy(outcome.ThreadId));
            Assert.Equal((SchedOther, 0), Policy(gettid()));       // …and not the caller's
            Assert.Matches(@"^Max realtime timeout\s+1000000\s+unlimited\s+us", RealtimeLimitLine()); // the start-up budget first
            Assert.Contains(log, l => l.Message.Contains("SCHED_RR priority 10", StringComparison.Ordinal));

            // then the configured limit, set by the engine thread itself (it wakes at least once a second): SIGXCPU at the limit, never SIGKILL
            var sw = System.Diagnostics.Stopwatch.StartNew();
            while (!RealtimeLimitLine().Contains(" 30000 ", StringComparison.Ordinal) && sw.ElapsedMilliseconds < 5000)
            {
                Thread.Sleep(20);
            }
            Assert.Matches(@"^Max realtime timeout\s+30000\s+unlimited\s+us", RealtimeLimitLine());
            Assert.Equal((SchedRr, 10), Policy(outcome.ThreadId));

            var back = engine.ApplyScheduling(new EngineSchedulingOptions());
            Assert.Equal((SchedOther, 0), Policy(back.ThreadId));
        }
        finally
        {
            engine.Dispose();
            var unlimited = new RLimit { Current = ulong.MaxValue, Maximum = ulong.MaxValue };
            setrlimit(15, ref unlimited);
        }
        Assert.NotEqual("", limitsBefore);
    }

    /// <summary>The guard at work: a SCHED_RR thread that runs past the limit without blocking is put back to normal
    /// scheduling by the SIGXCPU handler (which also keeps SIGXCPU's default action, ending the process, from happening),
    /// and the warning says so. The thread spins at most 5 s.</summary>
    [Fact]
    public void A_realtime_thread_that_runs_past_the_limit_without_blocking_drops_to_normal_scheduling()
    {
        var warnings = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var scheduler = new LinuxThreadScheduler(warnings.Enqueue);
        (int Policy, int RtPriority) during = default, after = default;
        SchedulingOutcome? outcome = null;
        var spinner = new Thread(() =>
        {
            outcome = scheduler.ApplyToCurrentThread(new EngineSchedulingOptions { RealtimePriority = 5, RealtimeLimitMicroseconds = 20000 });
            int tid = gettid();
            during = Policy(tid);
            var sw = System.Diagnostics.Stopwatch.StartNew();
            while (sw.ElapsedMilliseconds < 5000 && warnings.IsEmpty) { } // CPU without a blocking call
            after = Policy(tid);
        });
        try
        {
            spinner.Start();
            Assert.True(spinner.Join(10000), "the spinning thread did not end");
            Assert.Empty(outcome!.Warnings);
            Assert.Equal((SchedRr, 5), during);
            Assert.Contains(warnings, w => w.Contains("real-time limit", StringComparison.Ordinal));
            Assert.Equal((SchedOther, 0), after);
        }
        finally
        {
            var unlimited = new RLimit { Current = ulong.MaxValue, Maximum = ulong.MaxValue };
            setrlimit(15, ref unlimited);
        }
    }

    [Fact]
    public void Process_priority_sets_the_nice_value_of_the_engine_thread_only()
    {
        var engine = NewEngine();
        try
        {
            int callerNice = Nice(gettid());
            int want = callerNice == -5 ? -4 : -5;
            var outcome = engine.ApplyScheduling(new EngineSchedulingOptions { Nice = want });
            Assert.Empty(outcome.Warnings);
            Assert.Equal(want, Nice(outcome.ThreadId));
            Assert.Equal(callerNice, Nice(gettid()));

            // a reload that drops vrrp_priority: the engine thread is back at the value it started with (the caller's)
            engine.ApplyScheduling(new EngineSchedulingOptions());
            Assert.Equal(callerNice, Nice(outcome.ThreadId));
        }
        finally { engine.Dispose(); }
    }

    [Fact]
    public void No_swap_locks_the_process_memory()
    {
        var engine = NewEngine();
        try
        {
            var outcome = engine.ApplyScheduling(new EngineSchedulingOptions { NoSwap = true });
            Assert.Empty(outcome.Warnings);
            Assert.True(LockedKiB() > 0, "VmLck is 0 after mlockall");

            // a reload that drops vrrp_no_swap: the memory is unlocked again
            engine.ApplyScheduling(new EngineSchedulingOptions());
            Assert.Equal(0, LockedKiB());
        }
        finally
        {
            engine.Dispose();
            munlockall();
        }
    }

    private static VrrpEngine NewEngine()
    {
        var engine = new VrrpEngine(new LinuxNetworkPlatform());
        engine.Scheduler = new LinuxThreadScheduler(w => engine.Log.Warning(null, w));
        return engine;
    }

    private static string Comm(int tid) => File.ReadAllText($"/proc/self/task/{tid}/comm").Trim();

    /// <summary>/proc/[pid]/task/[tid]/stat fields 40 (rt_priority) and 41 (policy); field 19 is nice.</summary>
    private static string[] StatFields(int tid)
    {
        string stat = File.ReadAllText($"/proc/self/task/{tid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // [0] is field 3 (state)
    }

    private static (int Policy, int RtPriority) Policy(int tid)
    {
        var f = StatFields(tid);
        return (int.Parse(f[41 - 3]), int.Parse(f[40 - 3]));
    }

    private static int Nice(int tid) => int.Parse(StatFields(tid)[19 - 3]);

    private static string RealtimeLimitLine() =>
        File.ReadLines("/proc/self/limits").First(l => l.StartsWith("Max realtime timeout", StringComparison.Ordinal));

    private static long LockedKiB() =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmLck:", StringComparison.Ordinal)).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[1]);

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [DllImport("libc")]
    private static extern int gettid();

    [DllImport("libc")]
    private static extern int setrlimit(int resource, ref RLimit rlim);

    [DllImport("libc")]
    private static extern int munlockall();
}

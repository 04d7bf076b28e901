using System.Runtime.InteropServices;
using VrrpPS.Engine;

namespace VrrpPS.Platform.Linux;

/// <summary>
/// Real-time scheduling for the calling thread, as keepalived's VRRP process sets it for itself: SCHED_RR with
/// SCHED_RESET_ON_FORK (threads and processes it starts run normally), nice when not real-time,
/// mlockall(MCL_CURRENT|MCL_FUTURE|MCL_ONFAULT). Only the calling thread's policy changes (sched_setscheduler and
/// setpriority on its tid); the rlimit and the memory lock are per process by nature.
/// The guard differs from keepalived's on purpose: keepalived sets RLIMIT_RTTIME soft = half the limit (a log line)
/// and hard = the limit (SIGKILL). In pwsh a first-time JIT of a code path on the engine thread can take more than
/// 10 ms of CPU, and a SIGKILL would end the whole host without releasing the VIPs; so here the soft limit is the
/// limit and the hard limit stays unlimited: SIGXCPU (the thread ran that long without blocking) is caught, the
/// thread drops to normal scheduling and a warning says so. The kernel's RT throttling (sched_rt_runtime_us) leaves
/// the signal thread the CPU it needs even on one core.
/// </summary>
internal sealed class LinuxThreadScheduler : IThreadScheduler
{
    private const int SchedOther = 0, SchedRr = 2, SchedResetOnFork = 0x40000000;
    private const int PrioProcess = 0, RlimitRttime = 15, Sigxcpu = 24;
    private const int MclCurrent = 1, MclFuture = 2, MclOnFault = 4;
    private const int Eperm = 1;

    private readonly Action<string> _warn;
    private PosixSignalRegistration? _sigxcpu;
    private volatile int _realtimeTid;
    private int? _niceBefore;
    private bool _locked;

    public LinuxThreadScheduler(Action<string> warn) => _warn = warn;

    public SchedulingOutcome ApplyToCurrentThread(EngineSchedulingOptions options)
    {
        int tid = gettid();
        var warnings = new List<string>();
        if (options.RealtimePriority > 0)
        {
            SetRealtime(tid, options, warnings);
        }
        else
        {
            var none = new SchedParam { Priority = 0 };
            if (_realtimeTid == tid && sched_setscheduler(tid, SchedOther, ref none) == 0)
            {
                _realtimeTid = 0;
            }
            // 0 = unchanged; after a reload that dropped vrrp_priority, the thread's own value from before is put back
            if (options.Nice != 0 || _niceBefore is not null)
            {
                _niceBefore ??= getpriority(PrioProcess, (uint)tid);
                int nice = options.Nice != 0 ? options.Nice : _niceBefore.Value;
                if (setpriority(PrioProcess, (uint)tid, nice) != 0)
                {
                    warnings.Add(Denied($"Cannot set the engine thread's nice value to {nice}", Marshal.GetLastPInvokeError()));
                }
                else if (options.Nice == 0)
                {
                    _niceBefore = null;
                }
            }
        }
        if (options.NoSwap)
        {
            if (mlockall(MclCurrent | MclFuture | MclOnFault) != 0)
            {
                warnings.Add(Denied("Cannot lock the process in memory (no_swap)", Marshal.GetLastPInvokeError()));
            }
            else
            {
                _locked = true;
            }
        }
        else if (_locked && munlockall() == 0)
        {
            _locked = false; // a reload dropped vrrp_no_swap
        }
        return new SchedulingOutcome(tid, warnings);
    }

    private void SetRealtime(int tid, EngineSchedulingOptions options, List<string> warnings)
    {
        // the guard first: no moment of SCHED_RR without it
        _sigxcpu ??= PosixSignalRegistration.Create((PosixSignal)Sigxcpu, OnCpuLimit);
        ulong limit = (ulong)Math.Max(2, options.RealtimeLimitMicroseconds);
        var rlim = new RLimit { Current = limit, Maximum = ulong.MaxValue };
        if (setrlimit(RlimitRttime, ref rlim) != 0)
        {
            // without CAP_SYS_RESOURCE the hard limit cannot be raised: keep it, the soft limit below it
            int errno = Marshal.GetLastPInvokeError();
            if (getrlimit(RlimitRttime, out var old) != 0 || setrlimit(RlimitRttime, ref Below(ref rlim, old.Maximum)) != 0)
            {
                warnings.Add(Denied($"Cannot set RLIMIT_RTTIME to {limit} µs; the engine thread stays at normal priority", errno));
                return;
            }
        }
        var param = new SchedParam { Priority = options.RealtimePriority };
        if (sched_setscheduler(tid, SchedRr | SchedResetOnFork, ref param) != 0)
        {
            warnings.Add(Denied($"Cannot run the engine thread SCHED_RR priority {options.RealtimePriority}; it runs at normal priority", Marshal.GetLastPInvokeError()));
            return;
        }
        _realtimeTid = tid;
    }

    private static ref RLimit Below(ref RLimit rlim, ulong hard)
    {
        rlim.Current = Math.Min(rlim.Current, hard);
        rlim.Maximum = hard;
        return ref rlim;
    }

    private void OnCpuLimit(PosixSignalContext context)
    {
        context.Cancel = true; // the default action of SIGXCPU would end pwsh
        int tid = _realtimeTid;
        var none = new SchedParam { Priority = 0 };
        if (tid != 0 && sched_setscheduler(tid, SchedOther, ref none) == 0)
        {
            _realtimeTid = 0;
        }
        _warn($"The engine thread ran past its real-time limit (RLIMIT_RTTIME) without blocking; it now runs at normal priority (raise vrrp_rlimit_rttime if this repeats).");
    }

    private static string Denied(string what, int errno) =>
        $"{what}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}){(errno == Eperm ? " — needs root or CAP_SYS_NICE / CAP_IPC_LOCK, or a raised RLIMIT_RTPRIO" : "")}.";

    [StructLayout(LayoutKind.Sequential)]
    private struct SchedParam
    {
        public int Priority;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int gettid();

    [DllImport("libc", SetLastError = true)]
    private static extern int sched_setscheduler(int pid, int policy, ref SchedParam param);

    [DllImport("libc", SetLastError = true)]
    private static extern int setpriority(int which, uint who, int prio);

    [DllImport("libc", SetLastError = true)]
    private static extern int getpriority(int which, uint who);

    [DllImport("libc", SetLastError = true)]
    private static extern int setrlimit(int resource, ref RLimit rlim);

    [DllImport("libc", SetLastError = true)]
    private static extern int getrlimit(int resource, out RLimit rlim);

    [DllImport("libc", SetLastError = true)]
    private static extern int mlockall(int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int munlockall();
}

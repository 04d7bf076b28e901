namespace VrrpPS.Engine;

/// <summary>
/// The operating system's scheduler, for the engine thread (Platform/Linux: sched_setscheduler, setpriority,
/// setrlimit, mlockall on the calling thread's tid). What the system does not allow (EPERM, RLIMIT_RTPRIO 0)
/// comes back as a warning, never as an exception: the engine runs on at normal priority.
/// </summary>
internal interface IThreadScheduler
{
    /// <summary>Applies <paramref name="options"/> to the calling thread; returns its kernel thread id and the warnings.</summary>
    SchedulingOutcome ApplyToCurrentThread(EngineSchedulingOptions options);
}

/// <summary>What <see cref="IThreadScheduler.ApplyToCurrentThread"/> did: the thread's tid and what could not be done.</summary>
internal sealed record SchedulingOutcome(int ThreadId, IReadOnlyList<string> Warnings);

using VrrpPS.Engine.Tracking;

namespace VrrpPS.Engine;

/// <summary>
/// What an engine has until its composition root (Hosting/EngineHost, or a test) gives it the
/// operating system's services: programs do not run and no process is seen, each with a clear reason.
/// The engine itself never reaches for a platform implementation.
/// </summary>
internal static class Unconfigured
{
    public static readonly IProcessRunner Runner = new NoRunner();
    public static readonly IProcessTable Processes = new NoProcesses();
    public static readonly IThreadScheduler Scheduler = new NoScheduler();

    private sealed class NoScheduler : IThreadScheduler
    {
        public SchedulingOutcome ApplyToCurrentThread(EngineSchedulingOptions options) =>
            new(0, options.IsDefault ? [] : ["no thread scheduler configured for this engine: scheduling options not applied"]);
    }

    private sealed class NoRunner : IProcessRunner
    {
        public Task<ProcessOutcome> RunAsync(ProcessRequest request, CancellationToken cancel = default) =>
            Task.FromResult(new ProcessOutcome(false, -1, false, null, "no process runner configured for this engine"));
    }

    private sealed class NoProcesses : IProcessTable
    {
        public IReadOnlyList<ProcessEntry> Read(bool withCommandLine) =>
            throw new InvalidOperationException("no process table configured for this engine");
    }
}

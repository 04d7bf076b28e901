using VrrpPS.Engine;

namespace VrrpPS.Tests.Engine;

/// <summary>A thread scheduler that records what the engine thread was asked to run with, and allows it all.</summary>
internal sealed class RecordingScheduler : IThreadScheduler
{
    public List<EngineSchedulingOptions> Applied { get; } = [];

    public SchedulingOutcome ApplyToCurrentThread(EngineSchedulingOptions options)
    {
        Applied.Add(options);
        return new SchedulingOutcome(1, []);
    }
}

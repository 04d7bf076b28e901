using System.Collections.Concurrent;
using VrrpPS.Engine.Notify;
using VrrpPS.Engine;
using VrrpPS.StateMachine;
using Xunit;

namespace VrrpPS.Tests.Tracking;

/// <summary>
/// A flapping instance with a slow notify program must not queue runs without limit: the queue is
/// capped, the oldest waiting runs are dropped (counted and logged), the order of the rest is kept and
/// the newest transition is always delivered, last.
/// </summary>
public sealed class NotifyQueueTests
{
    /// <summary>Records every run; the first one blocks until released.</summary>
    private sealed class BlockingRunner : IProcessRunner
    {
        public readonly TaskCompletionSource Release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource FirstStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly ConcurrentQueue<IReadOnlyList<string>> Runs = new();

        public async Task<ProcessOutcome> RunAsync(ProcessRequest request, CancellationToken cancel = default)
        {
            Runs.Enqueue(request.Arguments);
            FirstStarted.TrySetResult();
            await Release.Task.ConfigureAwait(false);
            return new ProcessOutcome(true, 0, false, null, null);
        }
    }

    [Fact]
    public async Task TenThousandTransitionsBehindASlowProgramStayBoundedInOrderAndEndWithTheLastState()
    {
        const int transitions = 10_000;
        var runner = new BlockingRunner();
        var log = new EngineLog();
        var lines = log.Subscribe();
        using var dispatcher = new NotifyDispatcher(log, () => throw new InvalidOperationException("no ScriptBlock here"), runner);
        var def = new NotifyDefinition { Any = ["/usr/local/bin/notify"] };
        int maxPending = 0;
        for (int i = 0; i < transitions; i++)
        {
            var to = i % 2 == 0 ? VrrpState.Master : VrrpState.Backup;
            dispatcher.Transition("INSTANCE", "VI_1", def, new VrrpTransition { From = VrrpState.Backup, To = to, Priority = 1 + i % 250 });
            if (i == 0)
            {
                await runner.FirstStarted.Task.WaitAsync(TimeSpan.FromSeconds(10)); // the first run is going on, blocked
            }
            maxPending = Math.Max(maxPending, dispatcher.PendingFor("INSTANCE", "VI_1"));
        }
        Assert.InRange(maxPending, 1, NotifyDispatcher.QueueCapacity);
        runner.Release.SetResult();
        dispatcher.Flush(TimeSpan.FromSeconds(30));

        static string Word(int i) => i % 2 == 0 ? "MASTER" : "BACKUP";
        static string Prio(int i) => (1 + i % 250).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var delivered = runner.Runs.Select(a => $"{a[3]} {a[4]}").ToList();
        // The run that was going on, then the newest ones that fit the queue, oldest first.
        var expected = new[] { 0 }.Concat(Enumerable.Range(transitions - NotifyDispatcher.QueueCapacity, NotifyDispatcher.QueueCapacity))
            .Select(i => $"{Word(i)} {Prio(i)}").ToList();
        Assert.Equal(expected, delivered);
        Assert.Equal(transitions - 1 - NotifyDispatcher.QueueCapacity, dispatcher.DroppedNotifications);
        Assert.Contains(lines, l => l.Level == EngineLogLevel.Warning && l.Instance == "VI_1"
            && l.Message.Contains($"{transitions - 1 - NotifyDispatcher.QueueCapacity} notifications dropped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ALowerPriorityNotifyDroppedFromAFullQueueDoesNotSilenceTheNextOne()
    {
        var runner = new BlockingRunner();
        using var dispatcher = new NotifyDispatcher(new EngineLog(), () => throw new InvalidOperationException(), runner);
        var def = new NotifyDefinition { Any = ["/n"], MasterRxLowerPriority = ["/lower"] };
        dispatcher.Transition("INSTANCE", "VI_1", def, new VrrpTransition { To = VrrpState.Master, Priority = 100 });
        await runner.FirstStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        dispatcher.MasterReceivedLowerPriority("VI_1", def); // queued behind the blocked run ...
        for (int i = 0; i < NotifyDispatcher.QueueCapacity; i++)
        {
            dispatcher.Transition("INSTANCE", "VI_1", def, new VrrpTransition { To = VrrpState.Master, Priority = 100 }); // ... and pushed out
        }
        runner.Release.SetResult();
        dispatcher.Flush(TimeSpan.FromSeconds(10));
        dispatcher.MasterReceivedLowerPriority("VI_1", def);
        dispatcher.Flush(TimeSpan.FromSeconds(10));
        Assert.Equal("/lower", runner.Runs.Last()[0]);
    }
}

using VrrpPS.Engine;
using VrrpPS.StateMachine;

namespace VrrpPS.Tests.Simulation.Engine;

/// <summary>Blocking work done at once, on the simulator's thread (deterministic).</summary>
internal sealed class InlineWork : IBlockingWork
{
    public static readonly InlineWork Instance = new();

    public Task<T> Run<T>(Func<T> work) => Task.FromResult(work());
}

/// <summary>One simulated machine: a host and the real engine on it, driven step by step.</summary>
internal sealed class SimNode
{
    public SimNode(SimNetwork network, int id, string address)
    {
        Host = new SimHost(network, id, address);
        Runner = new SimProcessRunner(network.Clock);
        Engine = new VrrpEngine(Host, EngineDriver.Manual) { ProcessRunner = Runner, BlockingWork = InlineWork.Instance };
        Engine.TransitionObserved += (_, name, t) =>
        {
            Transitions.Add((name, t.From, t.To));
            if (t.To == VrrpState.Master && t.Reason.StartsWith("master down timer", StringComparison.Ordinal) && Host.Sockets.Any(s => s.HasData))
            {
                // Input was waiting while Master_Down fired: a stall turned a queued advert into a takeover.
                TakeoversWithInputPending.Add($"{name} at {network.Clock.NowMicroseconds} µs");
            }
        };
    }

    public SimHost Host { get; }
    public VrrpEngine Engine { get; }
    public SimProcessRunner Runner { get; }
    /// <summary>The engine thread is starved until then (no step runs; input queues up).</summary>
    public long StalledUntil { get; set; }
    public List<(string Name, VrrpState From, VrrpState To)> Transitions { get; } = [];
    public List<string> TakeoversWithInputPending { get; } = [];

    public VrrpInstanceState State(string name = "VI_1") => Engine.GetStates().Single(s => s.Name == name);
}

/// <summary>
/// Deterministic simulation of engines on one LAN: the simulator owns the clock, moves it to the next
/// event (a delivery, an engine deadline, a program finishing, a scheduled fault), and steps every
/// engine that is not stalled. A run is a pure function of its seed; <see cref="AfterStep"/> checks
/// invariants after every step.
/// </summary>
internal sealed class EngineSimulator : IDisposable
{
    private readonly PriorityQueue<Action, (long, long)> _events = new();
    private long _sequence;

    public EngineSimulator(int seed)
    {
        Seed = seed;
        Network = new SimNetwork(new Random(seed));
    }

    public int Seed { get; }
    public SimNetwork Network { get; }
    public List<SimNode> Nodes { get; } = [];
    public long Now => Network.Clock.NowMicroseconds;
    public long Steps { get; private set; }
    public Action<EngineSimulator>? AfterStep { get; set; }

    public SimNode AddNode(string address)
    {
        var node = new SimNode(Network, Nodes.Count + 1, address);
        Network.Hosts.Add(node.Host);
        Nodes.Add(node);
        return node;
    }

    /// <summary>Runs <paramref name="action"/> at simulated time <paramref name="at"/>.</summary>
    public void At(long at, Action action) => _events.Enqueue(action, (at, _sequence++));

    public void RunFor(TimeSpan span) => RunUntil(Now + (long)span.TotalMicroseconds);

    /// <summary>Runs in 1 ms slices until <paramref name="done"/> holds (or <paramref name="within"/> of simulated time passed); returns whether it holds.</summary>
    public bool RunUntil(Func<bool> done, TimeSpan within)
    {
        long until = Now + (long)within.TotalMicroseconds;
        while (!done() && Now < until)
        {
            RunUntil(Math.Min(until, Now + 1_000));
        }
        return done();
    }

    public void RunUntil(long until, int maxSteps = 2_000_000)
    {
        for (int i = 0; i < maxSteps; i++)
        {
            long next = Math.Min(until, Math.Min(Network.NextDelivery, _events.TryPeek(out _, out var key) ? key.Item1 : long.MaxValue));
            foreach (var n in Nodes)
            {
                long due = Math.Min(n.Engine.NextDeadline, Math.Min(n.Runner.NextCompletion, n.Host.Sockets.Any(s => s.HasData) || n.Host.LinkMonitor.HasData ? Now : long.MaxValue));
                next = Math.Min(next, Math.Max(due, n.StalledUntil));
            }
            Network.Clock.NowMicroseconds = Math.Max(Now, next);
            Network.DeliverDue();
            while (_events.TryPeek(out _, out var k) && k.Item1 <= Now)
            {
                _events.Dequeue()();
            }
            foreach (var n in Nodes)
            {
                n.Runner.CompleteDue();
                if (n.StalledUntil <= Now && !n.Engine.IsStopped)
                {
                    n.Engine.RunOnce();
                }
            }
            Steps++;
            AfterStep?.Invoke(this);
            if (Now >= until)
            {
                return;
            }
        }
        throw new InvalidOperationException($"seed {Seed}: the simulation did not reach {until} µs in {maxSteps} steps (stuck at {Now} µs)");
    }

    public void Dispose()
    {
        foreach (var n in Nodes)
        {
            n.Engine.Dispose();
        }
    }
}

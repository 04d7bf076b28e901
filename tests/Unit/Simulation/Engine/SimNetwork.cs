using VrrpPS.Engine;
using VrrpPS.Protocol;

namespace VrrpPS.Tests.Simulation.Engine;

/// <summary>
/// The simulated LAN: a bridge with multicast. Each send becomes deliveries scheduled in simulated
/// time (latency plus seeded jitter, so reordering happens), with seeded loss and duplication, and
/// per-host cable cuts. Deterministic for a given seed.
/// </summary>
internal sealed class SimNetwork(Random random)
{
    private readonly PriorityQueue<Delivery, (long, long)> _pending = new();
    private long _sequence;

    private sealed record Delivery(SimSocket To, byte[] Data, IpAddressValue Source, IpAddressValue Destination);

    public SimClock Clock { get; } = new();
    public List<SimHost> Hosts { get; } = [];
    public Random Random { get; } = random;
    public long LatencyMicroseconds { get; set; } = 100;
    public long JitterMicroseconds { get; set; }
    public double Loss { get; set; }
    public double Duplication { get; set; }
    public HashSet<SimHost> Cut { get; } = [];
    /// <summary>Hosts that send but do not receive (a one-way fault: a firewall dropping inbound VRRP).</summary>
    public HashSet<SimHost> Deaf { get; } = [];

    /// <summary>Every advert put on the wire: (time, sender host, VRID, priority, the VRRP message).</summary>
    public List<(long At, int Host, byte Vrid, byte Priority, byte[] Data)> Wire { get; } = [];

    public long NextDelivery => _pending.TryPeek(out _, out var key) ? key.Item1 : long.MaxValue;

    public void Send(SimSocket from, ReadOnlySpan<byte> payload, IpAddressValue destination)
    {
        if (Cut.Contains(from.Host) || !from.Host.Interface.IsUp || !from.Host.Interface.Exists || from.Options.InterfaceIndex != from.Host.Interface.Index)
        {
            return;
        }
        byte[] data = payload.ToArray();
        Wire.Add((Clock.NowMicroseconds, from.Host.Id, data.Length > 1 ? data[1] : (byte)0, data.Length > 2 ? data[2] : (byte)0, data));
        foreach (var host in Hosts)
        {
            if (host == from.Host || Cut.Contains(host) || Deaf.Contains(host) || !host.Interface.IsUp)
            {
                continue;
            }
            foreach (var s in host.Sockets)
            {
                bool wants = !s.Options.SendOnly && (destination.IsMulticast ? s.Options.MulticastGroup is not null && s.Options.MulticastGroup == destination : host.Owns(destination));
                if (!wants || s.Options.InterfaceIndex != host.Interface.Index || s.Options.Family != from.Options.Family)
                {
                    continue;
                }
                int copies = Random.NextDouble() < Loss ? 0 : Random.NextDouble() < Duplication ? 2 : 1;
                for (int c = 0; c < copies; c++)
                {
                    long at = Clock.NowMicroseconds + LatencyMicroseconds + (JitterMicroseconds > 0 ? Random.NextInt64(JitterMicroseconds) : 0);
                    _pending.Enqueue(new Delivery(s, data, from.Source, destination), (at, _sequence++));
                }
            }
        }
    }

    /// <summary>Puts every delivery due by now into its socket (a socket closed meanwhile drops it).</summary>
    public void DeliverDue()
    {
        while (_pending.TryPeek(out var d, out var key) && key.Item1 <= Clock.NowMicroseconds)
        {
            _pending.Dequeue();
            if (!d.To.Disposed && !Cut.Contains(d.To.Host) && !Deaf.Contains(d.To.Host))
            {
                d.To.Enqueue(d.Data, d.Source, d.Destination);
            }
        }
    }

    /// <summary>A raw packet from outside the engines (hostile or misconfigured node) to every socket of a host.</summary>
    public void Inject(SimHost to, byte[] data, IpAddressValue source, IpAddressValue destination)
    {
        foreach (var s in to.Sockets.Where(s => !s.Options.SendOnly)) // a send-only socket drops everything (its kernel filter)
        {
            _pending.Enqueue(new Delivery(s, data, source, destination), (Clock.NowMicroseconds, _sequence++));
        }
    }
}

/// <summary>
/// Track scripts and notify programs in simulated time: each program (by argv[0]) succeeds, fails
/// or hangs as the test says; a hung one ends with a timeout when its timeout has passed. Notify
/// programs are started from the notify queues' pool threads, so the run list is locked.
/// </summary>
internal sealed class SimProcessRunner(SimClock clock) : IProcessRunner
{
    private readonly object _gate = new();
    private readonly List<(long At, TaskCompletionSource<ProcessOutcome> Done, ProcessOutcome Outcome)> _running = [];
    private readonly List<IReadOnlyList<string>> _started = [];

    public Dictionary<string, ProgramBehaviour> Programs { get; } = [];
    public int Started { get { lock (_gate) return _started.Count; } }
    /// <summary>The argument arrays of every run, in the order they started.</summary>
    public IReadOnlyList<IReadOnlyList<string>> StartedRuns { get { lock (_gate) return [.. _started]; } }
    public long NextCompletion { get { lock (_gate) return _running.Count == 0 ? long.MaxValue : _running.Min(r => r.At); } }

    public Task<ProcessOutcome> RunAsync(ProcessRequest request, CancellationToken cancel = default)
    {
        var done = new TaskCompletionSource<ProcessOutcome>();
        lock (_gate)
        {
            _started.Add([.. request.Arguments]);
            var behaviour = Programs.GetValueOrDefault(request.Arguments[0], ProgramBehaviour.Succeed);
            var (after, outcome) = behaviour switch
            {
                ProgramBehaviour.Succeed => (1_000L, new ProcessOutcome(true, 0, false, null, null)),
                ProgramBehaviour.Fail => (1_000L, new ProcessOutcome(false, 1, false, null, "exit code 1")),
                _ => ((long)request.Timeout.TotalMicroseconds, new ProcessOutcome(false, -1, true, null, "timed out")),
            };
            _running.Add((clock.NowMicroseconds + after, done, outcome));
        }
        return done.Task;
    }

    /// <summary>Completes the runs that are due (continuations run here, on the simulator's thread).</summary>
    public void CompleteDue()
    {
        List<(long At, TaskCompletionSource<ProcessOutcome> Done, ProcessOutcome Outcome)> due;
        lock (_gate)
        {
            due = _running.Where(r => r.At <= clock.NowMicroseconds).ToList();
            _running.RemoveAll(r => r.At <= clock.NowMicroseconds);
        }
        foreach (var r in due)
        {
            r.Done.SetResult(r.Outcome);
        }
    }
}

internal enum ProgramBehaviour
{
    Succeed,
    Fail,
    Hang,
}

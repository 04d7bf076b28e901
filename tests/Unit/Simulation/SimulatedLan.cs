using VrrpPS.Protocol;
using VrrpPS.StateMachine;

namespace VrrpPS.Tests.Simulation;

/// <summary>One transition seen on the simulated LAN.</summary>
internal readonly record struct SimTransition(long At, int Node, VrrpState From, VrrpState To, TransitionCause Cause);

/// <summary>One VRRP router on the simulated LAN; implements the engine side of the state machine.</summary>
internal sealed class SimNode : IRouterActions
{
    private readonly SimulatedLan _lan;

    public SimNode(SimulatedLan lan, int index, VirtualRouterOptions options)
    {
        _lan = lan;
        Index = index;
        Options = options;
        Router = new VirtualRouter(options);
    }

    public int Index { get; }
    public VirtualRouterOptions Options { get; }
    public VirtualRouter Router { get; private set; }
    /// <summary>False after a crash (no release sent); the machine is gone until restarted.</summary>
    public bool Alive { get; private set; } = true;
    public bool HoldsVips { get; private set; }
    public long LastAdvertAt { get; private set; } = long.MinValue;
    public int AdvertsSent { get; private set; }
    public IpAddressValue Address => Options.PrimaryAddress;

    /// <summary>Up and taking part in the election (Backup or Master).</summary>
    public bool Eligible => Alive && Router.State is VrrpState.Backup or VrrpState.Master;

    public void Crash()
    {
        Alive = false;
        HoldsVips = false;
    }

    /// <summary>A crashed machine boots again: a fresh router with the configured settings.</summary>
    public void Reboot()
    {
        Alive = true;
        Router = new VirtualRouter(Options);
    }

    public void SendAdvertisement(long now, byte priority)
    {
        LastAdvertAt = now;
        AdvertsSent++;
        _lan.Broadcast(this, priority);
    }

    public void AddVirtualAddresses(long now) => HoldsVips = true;
    public void RemoveVirtualAddresses(long now) => HoldsVips = false;
    public void AnnounceVirtualAddresses(long now) { }

    public void StateChanged(long now, VrrpState from, VrrpState to, TransitionCause cause, IpAddressValue peer, byte peerPriority) =>
        _lan.Record(new SimTransition(now, Index, from, to, cause));
}

/// <summary>
/// Deterministic discrete-event simulation of N virtual routers (same VRID) on one LAN: a virtual
/// clock in µs, adverts delivered to every other node with a random latency in [0, MaxLatency]
/// (never reordered on a link), per-link loss, partitions, crashes. Same seed and schedule → same trace.
/// </summary>
internal sealed class SimulatedLan
{
    private const int MaxSteps = 2_000_000;
    private readonly Random _rng;
    private readonly PriorityQueue<Action, (long At, long Seq)> _queue = new();
    private long _seq;
    private int[] _group = [];
    private long[,] _lastDelivery = new long[0, 0];

    public SimulatedLan(int seed, long maxLatencyUs)
    {
        _rng = new Random(seed);
        MaxLatencyUs = maxLatencyUs;
    }

    public long Now { get; private set; }
    public long MaxLatencyUs { get; }
    public List<SimNode> Nodes { get; } = [];
    public List<SimTransition> Trace { get; } = [];
    /// <summary>Loss probability per directed link [from, to]; null = lossless.</summary>
    public double[,]? Loss { get; set; }
    /// <summary>Called after every step; throw to fail.</summary>
    public Action<SimulatedLan>? Invariant { get; set; }

    public SimNode Add(VirtualRouterOptions options)
    {
        var node = new SimNode(this, Nodes.Count, options);
        Nodes.Add(node);
        _group = new int[Nodes.Count];
        _lastDelivery = new long[Nodes.Count, Nodes.Count];
        return node;
    }

    /// <summary>Nodes with the same group number hear each other; Heal() puts all in group 0.</summary>
    public void Partition(int[] groups) => _group = (int[])groups.Clone();
    public void Heal() => _group = new int[Nodes.Count];

    public void At(long time, Action action) => _queue.Enqueue(action, (time, _seq++));

    public void Record(SimTransition t) => Trace.Add(t);

    public void Broadcast(SimNode sender, byte priority)
    {
        var adv = new ReceivedAdvertisement(priority, sender.Router.AdvertisementIntervalCentiseconds, sender.Address);
        foreach (SimNode target in Nodes)
        {
            if (target == sender || _group[target.Index] != _group[sender.Index])
            {
                continue;
            }
            if (Loss is not null && _rng.NextDouble() < Loss[sender.Index, target.Index])
            {
                continue;
            }
            // one LAN segment: random latency, but a link never reorders (FIFO per sender → receiver)
            long latency = MaxLatencyUs == 0 ? 0 : _rng.NextInt64(0, MaxLatencyUs + 1);
            long at = Math.Max(Now + latency, _lastDelivery[sender.Index, target.Index]);
            _lastDelivery[sender.Index, target.Index] = at;
            At(at, () =>
            {
                if (target.Alive)
                {
                    target.Router.OnAdvertisement(Now, adv, target);
                }
            });
        }
    }

    /// <summary>Runs every queued event and due timer up to and including <paramref name="end"/>.</summary>
    public void RunUntil(long end)
    {
        for (int steps = 0; ; steps++)
        {
            if (steps > MaxSteps)
            {
                throw new InvalidOperationException($"Simulation did not finish by t={Now}: runaway event loop.");
            }
            long nextEvent = _queue.TryPeek(out _, out var key) ? key.At : long.MaxValue;
            SimNode? timerNode = null;
            long nextTimer = long.MaxValue;
            foreach (SimNode n in Nodes)
            {
                if (n.Alive && n.Router.NextDeadline < nextTimer)
                {
                    nextTimer = n.Router.NextDeadline;
                    timerNode = n;
                }
            }
            long t = Math.Min(nextEvent, nextTimer);
            if (t > end)
            {
                break;
            }
            if (t < Now)
            {
                throw new InvalidOperationException($"Time went backwards: {t} < {Now}.");
            }
            Now = t;
            if (nextEvent <= nextTimer)
            {
                _queue.Dequeue()();
            }
            else
            {
                timerNode!.Router.OnTimer(t, timerNode);
            }
            Invariant?.Invoke(this);
        }
        Now = end;
    }

    public int MasterCount()
    {
        int c = 0;
        foreach (SimNode n in Nodes)
        {
            if (n.Alive && n.Router.State == VrrpState.Master)
            {
                c++;
            }
        }
        return c;
    }

    /// <summary>DESIGN invariant: a live node holds the VIPs exactly while it is Master.</summary>
    public static void VipsOnlyOnMaster(SimulatedLan lan)
    {
        foreach (SimNode n in lan.Nodes)
        {
            if (n.Alive && n.HoldsVips != (n.Router.State == VrrpState.Master))
            {
                throw new InvalidOperationException($"Node {n.Index} at t={lan.Now}: VIPs={n.HoldsVips}, state={n.Router.State}.");
            }
        }
    }
}

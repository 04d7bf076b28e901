using VrrpPS.Engine;
using VrrpPS.Protocol;
using static VrrpPS.Tests.Simulation.Engine.SimDefinitions;

namespace VrrpPS.Tests.Simulation.Engine;

/// <summary>
/// A random cluster and a random fault schedule, both from one seed: 2–5 engines, v2/v3, IPv4/IPv6,
/// multicast/unicast, 10 ms–1 s adverts, optional sync group (two VRIDs per node), script trackers;
/// faults: loop stalls, loss/duplication/reordering, link flaps, interface re-creation, link monitor
/// overruns, tracker flaps and hung checks, release/resume (also of instances not released),
/// priority changes, reloads (unchanged, changed, refused) and platform calls that throw.
/// </summary>
internal sealed class ClusterScenario
{
    public const string CheckProgram = "/bin/true";

    private readonly Random _rng;

    public ClusterScenario(int seed)
    {
        Seed = seed;
        _rng = new Random(seed);
        Nodes = _rng.Next(2, 6);
        Version = _rng.Next(3) == 0 ? VrrpVersion.V2 : VrrpVersion.V3;
        IPv6 = Version == VrrpVersion.V3 && _rng.Next(3) == 0;
        Unicast = _rng.Next(4) == 0;
        IntervalCs = Version == VrrpVersion.V2 ? 100 : new[] { 1, 2, 5, 10, 20, 100 }[_rng.Next(6)];
        SyncGroup = _rng.Next(5) == 0;
        Preempt = _rng.Next(4) != 0;
        Priorities = Enumerable.Range(0, Nodes).Select(_ => _rng.Next(1, 255)).ToArray();
        Weights = Enumerable.Range(0, Nodes).Select(_ => _rng.Next(3) switch { 0 => 0, 1 => _rng.Next(-60, 61), _ => int.MinValue }).ToArray();
    }

    public int Seed { get; }
    public int Nodes { get; }
    public VrrpVersion Version { get; }
    public bool IPv6 { get; }
    public bool Unicast { get; }
    public int IntervalCs { get; }
    public bool SyncGroup { get; }
    public bool Preempt { get; }
    public int[] Priorities { get; }
    /// <summary>Per node: the track script's weight, or int.MinValue for no tracker.</summary>
    public int[] Weights { get; }
    public long IntervalUs => IntervalCs * 10_000L;
    public string[] InstanceNames => SyncGroup ? ["VI_1", "VI_2"] : ["VI_1"];

    public string Address(int node) => IPv6 ? $"2001:db8::{node + 11:x}" : $"198.51.100.{node + 11}";
    private string Vip(int vrid) => IPv6 ? $"2001:db8::{vrid:x}:1" : $"203.0.113.{vrid}";
    public IpAddressValue VipOf(string instance) => IpAddressValue.Parse(Vip(instance == "VI_1" ? 51 : 52));

    public InstanceDefinition Definition(int node, string name, int? priority = null, int? intervalCs = null)
    {
        int vrid = name == "VI_1" ? 51 : 52;
        var d = Instance(name, priority ?? Priorities[node], vrid, intervalCs ?? IntervalCs, Vip(vrid), Version) with
        {
            Preempt = Preempt,
            SyncGroup = SyncGroup ? "G1" : null,
            TrackScripts = Weights[node] == int.MinValue ? [] : [Script(CheckProgram, Weights[node], interval: Math.Max(0.05, IntervalUs * 2 / 1e6))],
        };
        if (Unicast)
        {
            d = d with
            {
                UnicastPeers = Enumerable.Range(0, Nodes).Where(n => n != node).Select(n => IpAddressValue.Parse(IPv6 ? LinkLocal(n) : Address(n))).ToList(),
            };
        }
        return d;
    }

    public static string LinkLocal(int node) => $"fe80::{node + 1}";

    public IReadOnlyList<InstanceDefinition> Definitions(int node) => InstanceNames.Select(n => Definition(node, n)).ToList();

    /// <summary>The fault schedule: (time offset µs, fault) pairs over <paramref name="span"/>.</summary>
    public List<(long At, Fault Fault, int Node, long Length)> Schedule(long span)
    {
        var list = new List<(long, Fault, int, long)>();
        int count = _rng.Next(3, 16);
        for (int i = 0; i < count; i++)
        {
            list.Add((_rng.NextInt64(span), (Fault)_rng.Next(Enum.GetValues<Fault>().Length), _rng.Next(Nodes), _rng.NextInt64(IntervalUs, 6 * IntervalUs)));
        }
        return list;
    }

    public int Next(int max) => _rng.Next(max);
}

internal enum Fault
{
    Stall,
    Loss,
    Duplicate,
    Reorder,
    LinkFlap,
    RecreateInterface,
    LinkMonitorOverrun,
    TrackerFlap,
    HungCheck,
    ReleaseResume,
    ResumeNotReleased,
    PriorityChange,
    ReloadUnchanged,
    ReloadChanged,
    ReloadRefused,
    PlatformThrows,
}

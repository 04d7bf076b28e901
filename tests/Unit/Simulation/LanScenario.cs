using CsCheck;
using VrrpPS.Protocol;
using VrrpPS.StateMachine;

namespace VrrpPS.Tests.Simulation;

/// <summary>One disturbance of a random schedule; Node is taken modulo the node count.</summary>
internal readonly record struct Disturbance(DisturbanceKind Kind, int Node, int AtPermilleOfSpan, byte Priority, int Mask);

internal enum DisturbanceKind { Crash, Reboot, Stop, Start, Fault, ClearFault, SetPriority, Partition, Heal, LossOn, LossOff }

/// <summary>A cluster configuration for the simulated LAN (all nodes share version and interval).</summary>
internal sealed record LanConfig(
    VrrpVersion Version, int IntervalCs, byte[] Priorities, bool Preempt, long PreemptDelayUs,
    bool Owner, int LatencyPermille, bool IPv6, int Seed)
{
    public int Count => Priorities.Length;
    public long IntervalUs => IntervalCs * VrrpTiming.MicrosecondsPerCentisecond;
    public long MaxLatencyUs => IntervalUs * LatencyPermille / 1000;

    /// <summary>Worst-case Master_Down_Interval (priority 1: the largest skew).</summary>
    public long WorstMasterDownUs => VrrpTiming.MasterDownIntervalMicroseconds(Version, 1, IntervalCs);

    /// <summary>
    /// Time after the last disturbance within which the LAN must have settled. The longest chain: the
    /// Master crashed just before it, so a lower Backup takes over one Master_Down_Interval later; a
    /// higher Backup that (re)started meanwhile hears that lower Master and preempts it only after its own
    /// Master_Down_Interval plus the preempt delay (seed dlMYfjbazT73: crash, reboot, lower Master at
    /// +1.96 s, preemption 5.15 s later). Hence two Master_Down_Intervals, one interval to hear the next
    /// advert, the preempt delay, and latencies.
    /// </summary>
    public long SettleUs => 2 * WorstMasterDownUs + IntervalUs + PreemptDelayUs + 4 * MaxLatencyUs + 1;

    public VirtualRouterOptions Options(int i) => new()
    {
        VirtualRouterId = 7,
        Version = Version,
        AdvertisementIntervalCentiseconds = IntervalCs,
        Priority = Owner && i == 0 ? VrrpConstants.OwnerPriority : Priorities[i],
        IsAddressOwner = Owner && i == 0,
        Preempt = Preempt,
        PreemptDelayMicroseconds = PreemptDelayUs,
        PrimaryAddress = IPv6
            ? IpAddressValue.Parse($"2001:db8::{i + 10:x}")
            : IpAddressValue.Parse($"198.51.100.{i + 10}"),
    };

    /// <summary>Builds the LAN and schedules every node's Startup within the first interval.</summary>
    public SimulatedLan Build(bool startAll = true)
    {
        var lan = new SimulatedLan(Seed, MaxLatencyUs) { Invariant = SimulatedLan.VipsOnlyOnMaster };
        var starts = new Random(Seed ^ 0x5EED);
        for (int i = 0; i < Count; i++)
        {
            SimNode node = lan.Add(Options(i));
            if (startAll)
            {
                lan.At(starts.NextInt64(0, IntervalUs), () => node.Router.Startup(lan.Now, node));
            }
        }
        return lan;
    }

    public override string ToString() =>
        $"v{(int)Version} {IntervalCs}cs prio=[{string.Join(',', Priorities)}] preempt={Preempt} delay={PreemptDelayUs}µs owner={Owner} lat={LatencyPermille}‰ v6={IPv6} seed={Seed}";
}

internal static class LanGen
{
    private static readonly int[] Intervals = [1, 5, 100, 200];   // v3 centiseconds; v2 uses whole seconds

    public static Gen<LanConfig> Config(bool? preempt = null, bool allowOwner = true, bool allowDelay = true, bool distinct = false) =>
        Gen.Select(
            Gen.Bool, Gen.Int[0, Intervals.Length - 1], Gen.Byte[1, 254].Array[2, 5], Gen.Bool,
            Gen.Int[0, 3], Gen.Int[0, 100], Gen.Bool, Gen.Int)
        .Select(Gen.Bool, (t, owner) =>
        {
            var (v2, iv, prios, pre, delay, lat, v6, seed) = t;
            VrrpVersion version = v2 ? VrrpVersion.V2 : VrrpVersion.V3;
            int intervalCs = v2 ? (iv % 2 + 1) * 100 : Intervals[iv];
            if (distinct)
            {
                prios = prios.Select((p, i) => (byte)(1 + (p + i * 53) % 254)).Distinct().ToArray();
                if (prios.Length < 2)
                {
                    prios = [prios[0], (byte)(prios[0] % 254 + 1)];
                }
            }
            long delayUs = allowDelay && delay == 3 ? intervalCs * VrrpTiming.MicrosecondsPerCentisecond * 2 : 0;
            return new LanConfig(version, intervalCs, prios, preempt ?? pre, delayUs,
                allowOwner && owner && prios.Length > 2, lat, v6 && !v2, seed);
        });

    public static Gen<Disturbance[]> Schedule =>
        Gen.Select(Gen.Int[0, 10], Gen.Int[0, 7], Gen.Int[0, 1000], Gen.Byte[1, 254], Gen.Int[0, 31],
            (k, n, at, p, m) => new Disturbance((DisturbanceKind)k, n, at, p, m)).Array[0, 14];
}

using System.Net;
using VrrpPS.Config;
using VrrpPS.Protocol;

namespace VrrpPS.Diagnostics;

/// <summary>
/// The pure part of Test-VrrpFailover -Lab: reads the configs, maps every address into the lab
/// ranges (<see cref="LabAddressMap"/>), picks each node's primary address, and says who should be
/// Master and why a result can differ from the admin's intent.
/// </summary>
public sealed class SandboxPlan
{
    public IReadOnlyList<SandboxNode> Nodes { get; private init; } = [];
    public LabAddressMap Map { get; private init; } = new();
    public List<string> Warnings { get; } = [];

    public static SandboxPlan Create(IReadOnlyList<KeepalivedParseResult> configs, IReadOnlyList<string> files)
    {
        var map = new LabAddressMap();
        var nodes = new List<SandboxNode>();
        for (int i = 0; i < configs.Count; i++)
        {
            if (configs[i].Instances.Length == 0)
            {
                throw new ArgumentException($"{files[i]} has no vrrp_instance.");
            }
            nodes.Add(new SandboxNode { Index = i + 1, SourceFile = files[i], Config = configs[i] });
        }
        var plan = new SandboxPlan { Nodes = nodes, Map = map };
        foreach (var c in configs.SelectMany(c => c.Instances))
        {
            foreach (var a in c.VirtualIPAddress.Select(v => v.Address).Concat(c.UnicastPeer.Select(p => p.Address)))
            {
                map.Reserve(a);
            }
        }
        foreach (var n in nodes)
        {
            foreach (var inst in n.Config.Instances)
            {
                map.Apply(inst);
                if (inst.Interface != n.Interface)
                {
                    plan.Warnings.Add($"{n.Name}: instance {inst.Name} runs on {inst.Interface}; the lab gives each node one LAN ({n.Interface}).");
                }
            }
        }
        var claimed = new HashSet<string>(nodes.Select(n => n.Instance.UnicastSourceAddress ?? n.Instance.MulticastSourceAddress).OfType<string>(), StringComparer.OrdinalIgnoreCase);
        var unclaimedPeers = new Queue<string>(nodes.SelectMany(n => n.Instance.UnicastPeer.Select(p => p.Address))
            .Distinct(StringComparer.OrdinalIgnoreCase).Where(a => !claimed.Contains(a)));
        int spare = 0;
        foreach (var n in nodes)
        {
            string? address = n.Instance.UnicastSourceAddress ?? n.Instance.MulticastSourceAddress;
            bool v6 = n.Instance.VirtualIPAddress.Length > 0 && n.Instance.VirtualIPAddress[0].Address.Contains(':');
            if (address is null && unclaimedPeers.Count > 0 && unclaimedPeers.Peek().Contains(':') == v6)
            {
                address = unclaimedPeers.Dequeue(); // a peer named by another node's unicast_peer list
            }
            if (address is null)
            {
                do
                {
                    spare++;
                    address = v6 ? $"2001:db8:ffff::{spare:x}" : $"198.19.255.{spare}";
                }
                while (!claimed.Add(address));
            }
            claimed.Add(address);
            n.Address = address;
            n.Cidr = $"{address}/{PrefixFor(address)}";
        }
        return plan;
    }

    private static int PrefixFor(string address)
    {
        var b = IPAddress.Parse(address).GetAddressBytes();
        if (b.Length == 16)
        {
            return 64;
        }
        return b[0] == 198 && (b[1] & 0xfe) == 18 ? LabAddressMap.IPv4LabPrefix : 24;
    }

    /// <summary>
    /// The Master the RFC election picks among <paramref name="candidates"/>: highest priority,
    /// ties broken by the higher primary address (RFC 5798 §6.4.3).
    /// </summary>
    public static SandboxNode? Winner(IEnumerable<SandboxNode> candidates) =>
        candidates.OrderByDescending(n => n.Priority).ThenByDescending(n => IpAddressValue.Parse(n.Address)).FirstOrDefault();

    /// <summary>The node the configs mean to be Master: the highest priority.</summary>
    public SandboxNode Designated => Winner(Nodes)!;

    /// <summary>Config choices that make the cluster behave against the admin's evident intent.</summary>
    public IReadOnlyList<string> Causes()
    {
        var causes = new List<string>();
        int top = Nodes.Max(n => n.Priority);
        var tops = Nodes.Where(n => n.Priority == top).ToList();
        if (tops.Count > 1)
        {
            causes.Add($"{string.Join(" and ", tops.Select(n => n.Name))} have the same priority {top}{(top == 255 ? " (both claim to be the address owner, RFC 5798 §5.2.4)" : "")}: the election is decided by the higher primary address (RFC 5798 §6.4.3), not by the configs; give one node a higher priority.");
        }
        var d = Designated;
        if (!d.Preempt && Nodes.Any(n => n != d && n.Preempt))
        {
            causes.Add($"{d.Name} has the highest priority ({d.Priority}) but nopreempt: once another node is Master, {d.Name} never takes the role back. nopreempt belongs on every node or none (keepalived: all with state BACKUP).");
        }
        foreach (var n in Nodes.Where(n => n != d && n.Priority == 255))
        {
            causes.Add($"{n.Name} has priority 255 but is not meant to be Master; 255 is only for the router that owns the VIP.");
        }
        var ints = Nodes.Select(n => n.Instance.AdvertisementInterval).Distinct().ToList();
        if (ints.Count > 1)
        {
            causes.Add($"advert_int differs between nodes ({string.Join(", ", Nodes.Select(n => $"{n.Name} {n.Instance.AdvertisementInterval}s"))}).");
        }
        var vrids = Nodes.Select(n => n.Instance.VirtualRouterId).Distinct().ToList();
        if (vrids.Count > 1)
        {
            causes.Add($"virtual_router_id differs between nodes ({string.Join(", ", Nodes.Select(n => $"{n.Name} {n.Instance.VirtualRouterId}"))}): they are separate virtual routers.");
        }
        return causes;
    }
}

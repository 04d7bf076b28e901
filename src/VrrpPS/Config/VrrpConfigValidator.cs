using System.Net;

namespace VrrpPS.Config;

/// <summary>Checks beyond `keepalived -t`: consistency between the nodes that share a VRID.</summary>
/// <remarks>Instances of different nodes with the same VRID and address family form one virtual router when their
/// VIP sets overlap; disjoint VIP sets with the same VRID on one LAN are two virtual routers fighting over one VRID.</remarks>
public static class VrrpConfigValidator
{
    private sealed record Member(VrrpNodeConfig Node, VrrpInstanceConfig Inst)
    {
        internal string Name => Node.Node;
        internal HashSet<string> Vips { get; } = [.. Inst.VirtualIPAddress.Select(a => a.Address + "/" + a.PrefixLength)];
    }

    public static VrrpConfigFinding[] Check(IReadOnlyList<VrrpNodeConfig> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var f = new List<VrrpConfigFinding>();
        foreach (var n in nodes)
            foreach (var dup in n.Config.Instances.GroupBy(i => (i.VirtualRouterId, i.Interface, v6: IsV6(i))).Where(g => g.Count() > 1))
                Add(f, VrrpFindingSeverity.Error, "VridReused", dup.Key.VirtualRouterId, [n.Node], dup.ElementAt(1),
                    $"VRID {dup.Key.VirtualRouterId} is used by {string.Join(", ", dup.Select(i => i.Name))} on {dup.Key.Interface} of {n.Node}; give each instance its own virtual_router_id.");
        var all = nodes.SelectMany(n => n.Config.Instances.Select(i => new Member(n, i))).ToList();
        foreach (var grp in all.GroupBy(m => (m.Inst.VirtualRouterId, v6: IsV6(m.Inst))))
        {
            int vrid = grp.Key.VirtualRouterId;
            var routers = Partition(grp);
            for (int a = 0; a < routers.Count; a++)
                for (int b = a + 1; b < routers.Count; b++)
                    if (SameLan(routers[a], routers[b]))
                    {
                        string[] names = [.. routers[a].Concat(routers[b]).Select(m => m.Name).Distinct()];
                        Add(f, VrrpFindingSeverity.Error, "VridReused", vrid, names, routers[b][0].Inst,
                            $"VRID {vrid} is used on one LAN for {Vips(routers[a][0])} ({string.Join(", ", routers[a].Select(m => m.Name))}) and for {Vips(routers[b][0])} ({string.Join(", ", routers[b].Select(m => m.Name))}); if they are one virtual router use the same virtual_ipaddress list, otherwise give each its own virtual_router_id.");
                    }
            foreach (var r in routers.Where(r => r.Count > 1)) CheckRouter(f, vrid, r);
        }
        // one problem, one finding: the per-node VRID check and the LAN check can see the same duplicate
        return [.. f.GroupBy(x => (x.Check, x.VirtualRouterId, string.Join(",", x.Nodes.Order(StringComparer.Ordinal)), x.File, x.Line)).Select(g => g.First())];
    }

    /// <summary>Members with overlapping VIP sets on different nodes are one virtual router (instances without VIPs join by name).</summary>
    private static List<List<Member>> Partition(IEnumerable<Member> members)
    {
        var routers = new List<List<Member>>();
        foreach (var m in members)
        {
            var home = routers.FirstOrDefault(r => r.All(x => x.Node != m.Node) &&
                (m.Vips.Count == 0 ? r.Any(x => x.Inst.Name == m.Inst.Name) : r.Any(x => x.Vips.Overlaps(m.Vips))));
            if (home is null) routers.Add([m]); else home.Add(m);
        }
        return routers;
    }

    private static void CheckRouter(List<VrrpConfigFinding> f, int vrid, List<Member> members)
    {
        var first = members[0];
        foreach (var m in members.Skip(1))
        {
            string[] pair = [first.Name, m.Name];
            if (!first.Vips.SetEquals(m.Vips))
                Add(f, VrrpFindingSeverity.Error, "VipMismatch", vrid, pair, m.Inst, $"VRID {vrid}: virtual_ipaddress differs between {pair[0]} ({Vips(first)}) and {pair[1]} ({Vips(m)}); use the same VIP list on every node.");
            if (first.Inst.AdvertisementInterval != m.Inst.AdvertisementInterval)
                Add(f, VrrpFindingSeverity.Error, "AdvertIntervalMismatch", vrid, pair, m.Inst, $"VRID {vrid}: advert_int {N(first.Inst.AdvertisementInterval)} on {pair[0]} but {N(m.Inst.AdvertisementInterval)} on {pair[1]}; adverts with another interval are discarded (RFC 3768 §7.1) — set the same advert_int.");
            if (first.Inst.Version != m.Inst.Version)
                Add(f, VrrpFindingSeverity.Error, "VersionMismatch", vrid, pair, m.Inst, $"VRID {vrid}: version {first.Inst.Version} on {pair[0]} but {m.Inst.Version} on {pair[1]}; set the same version everywhere.");
            if (first.Inst.AuthenticationType != m.Inst.AuthenticationType || first.Inst.AuthenticationPassword != m.Inst.AuthenticationPassword)
                Add(f, VrrpFindingSeverity.Error, "AuthMismatch", vrid, pair, m.Inst, $"VRID {vrid}: authentication differs between {pair[0]} and {pair[1]}; use the same auth_type and auth_pass (or none) on every node.");
        }
        foreach (var eq in members.GroupBy(m => m.Inst.Priority).Where(g => g.Key != 255 && g.Count() > 1))
            Add(f, VrrpFindingSeverity.Warning, "EqualPriority", vrid, [.. eq.Select(x => x.Name)], eq.ElementAt(1).Inst,
                $"VRID {vrid}: {string.Join(" and ", eq.Select(x => x.Name))} share priority {eq.Key}; the election then depends on IP addresses (RFC 5798 §6.4.3) — give each node a different priority.");
        var owners = members.Where(m => m.Inst.Priority == 255).ToList();
        if (owners.Count > 1)
            Add(f, VrrpFindingSeverity.Error, "MultipleOwners", vrid, [.. owners.Select(o => o.Name)], owners[1].Inst,
                $"VRID {vrid}: priority 255 (address owner) on {string.Join(", ", owners.Select(o => o.Name))}; only one node may own the addresses — lower the others below 255.");
        var masters = members.Where(m => m.Inst.InitialState == VrrpInitialState.Master && (m.Inst.NoPreempt || NoPreemptCleared(m))).ToList();
        if (masters.Count > 1)
            Add(f, VrrpFindingSeverity.Warning, "MultipleMasterNoPreempt", vrid, [.. masters.Select(o => o.Name)], masters[1].Inst,
                $"VRID {vrid}: state MASTER with nopreempt on {string.Join(", ", masters.Select(o => o.Name))}; nopreempt only works with state BACKUP — set state BACKUP on all nodes.");
        CheckUnicast(f, vrid, members);
        CheckWeights(f, vrid, members);
    }

    private static void CheckUnicast(List<VrrpConfigFinding> f, int vrid, List<Member> members)
    {
        if (members.All(m => m.Inst.UnicastPeer.Length == 0)) return;
        foreach (var a in members)
        {
            if (a.Inst.UnicastPeer.Length == 0)
            {
                Add(f, VrrpFindingSeverity.Error, "UnicastPeerMismatch", vrid, [a.Name, .. members.Where(b => b != a && b.Inst.UnicastPeer.Length > 0).Select(b => b.Name)], a.Inst,
                    $"VRID {vrid}: {a.Name} uses multicast while other nodes use unicast_peer; add unicast_src_ip and unicast_peer on {a.Name}.");
                continue;
            }
            if (a.Inst.UnicastSourceAddress is null)
                Add(f, VrrpFindingSeverity.Warning, "UnicastPeerMismatch", vrid, [a.Name], a.Inst, $"VRID {vrid}: {a.Name} uses unicast_peer without unicast_src_ip, so the other nodes' peer lists cannot be checked; set unicast_src_ip.");
            foreach (var b in members.Where(b => b != a && b.Inst.UnicastPeer.Length > 0))
                if (b.Inst.UnicastSourceAddress is string src && a.Inst.UnicastPeer.All(p => p.Address != src))
                    Add(f, VrrpFindingSeverity.Error, "UnicastPeerMismatch", vrid, [a.Name, b.Name], a.Inst, $"VRID {vrid}: unicast_peer of {a.Name} lacks {src} ({b.Name}'s unicast_src_ip); add it so the peer lists mirror each other.");
        }
    }

    /// <summary>keepalived issues #942/#2483: a tracked failure must bring the master below the best backup (a backup with equal
    /// priority does not preempt, RFC 5798 §6.4.2), and a backup's positive weights must be able to lift it above the failed master.</summary>
    private static void CheckWeights(List<VrrpConfigFinding> f, int vrid, List<Member> members)
    {
        foreach (var o in members.Where(m => m.Inst.Priority == 255 && Weights(m).Count > 0))
            Add(f, VrrpFindingSeverity.Warning, "TrackWeightIneffective", vrid, [o.Name], o.Inst, $"VRID {vrid}: {o.Name} has priority 255; keepalived never changes an owner's priority, so its track weights do nothing — use a priority below 255.");
        var master = members.MaxBy(m => m.Inst.Priority)!;
        if (master.Inst.Priority == 255) return;
        var others = members.Where(m => m != master).ToList();
        var mw = Weights(master);
        if (mw.Count > 0 && !mw.Contains(0)) // weight 0 = fault on failure: the VIP always moves
        {
            int lo = Lo(master), best = others.Max(Hi);
            if (lo >= best)
            {
                Add(f, VrrpFindingSeverity.Warning, "TrackWeightIneffective", vrid, [master.Name, .. others.Where(o => Hi(o) == best).Select(o => o.Name)], master.Inst,
                    $"VRID {vrid}: on {master.Name} priority {master.Inst.Priority} with track weights can only fall to {lo}, not below the best backup ({best}); make the negative weight larger than {master.Inst.Priority - best} or use weight 0 (fault).");
                return;
            }
        }
        foreach (var b in others.Where(b => b.Inst.Priority < master.Inst.Priority && Hi(b) > b.Inst.Priority && Hi(b) <= Lo(master)))
            Add(f, VrrpFindingSeverity.Warning, "TrackWeightIneffective", vrid, [b.Name, master.Name], b.Inst,
                $"VRID {vrid}: on {b.Name} positive track weights reach only {Hi(b)}, never above {master.Name}'s {Lo(master)}; raise the weights or the priority of {b.Name}.");
    }

    /// <summary>keepalived (and the reader) clear nopreempt on a state MASTER instance with a KeepalivedNoPreemptMaster warning;
    /// the warning inside this instance's block shows what the administrator wrote.</summary>
    private static bool NoPreemptCleared(Member m)
    {
        var i = m.Inst;
        int next = m.Node.Config.Instances.Where(o => o.SourceFile == i.SourceFile && o.SourceLine > i.SourceLine).Select(o => o.SourceLine).DefaultIfEmpty(int.MaxValue).Min();
        return m.Node.Config.Diagnostics.Any(d => d.ErrorId == "KeepalivedNoPreemptMaster" && d.File == i.SourceFile && d.Line > i.SourceLine && d.Line < next);
    }

    private static List<int> Weights(Member m)
    {
        var c = m.Node.Config;
        return [.. m.Inst.TrackScript.Select(t => t.Weight ?? c.Scripts.FirstOrDefault(s => s.Name == t.Name)?.Weight ?? 0)
            .Concat(m.Inst.TrackInterface.Select(t => t.Weight))
            .Concat(m.Inst.TrackFile.Select(t => t.Weight ?? c.TrackFiles.FirstOrDefault(s => s.Name == t.Name)?.Weight ?? 0))
            .Concat(m.Inst.TrackProcess.Select(t => t.Weight ?? c.TrackProcesses.FirstOrDefault(s => s.Name == t.Name)?.Weight ?? 0))];
    }

    // keepalived keeps an effective priority within 1..254
    private static int Lo(Member m) => m.Inst.Priority == 255 ? 255 : Math.Clamp(m.Inst.Priority + Weights(m).Where(w => w < 0).Sum(), 1, 254);
    private static int Hi(Member m) => m.Inst.Priority == 255 ? 255 : Math.Clamp(m.Inst.Priority + Weights(m).Where(w => w > 0).Sum(), 1, 254);

    /// <summary>Same LAN: a VIP of one lies in the subnet of a VIP of the other, or both use host addresses on interfaces of the same name.</summary>
    private static bool SameLan(List<Member> a, List<Member> b)
    {
        var va = a.SelectMany(m => m.Inst.VirtualIPAddress).ToList();
        var vb = b.SelectMany(m => m.Inst.VirtualIPAddress).ToList();
        if (va.Any(x => vb.Any(y => InNet(x, y) || InNet(y, x)))) return true;
        bool host(VrrpVirtualAddress v) => v.PrefixLength == (v.Address.Contains(':') ? 128 : 32);
        return va.All(host) && vb.All(host) && a.Select(m => m.Inst.Interface).Intersect(b.Select(m => m.Inst.Interface)).Any();
    }

    private static bool InNet(VrrpVirtualAddress addr, VrrpVirtualAddress net)
    {
        if (!IPAddress.TryParse(addr.Address, out var x) || !IPAddress.TryParse(net.Address, out var n) || x.AddressFamily != n.AddressFamily) return false;
        byte[] xb = x.GetAddressBytes(), nb = n.GetAddressBytes();
        int bits = net.PrefixLength;
        for (int i = 0; i < xb.Length && bits > 0; i++, bits -= 8)
        {
            int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
            if ((xb[i] & mask) != (nb[i] & mask)) return false;
        }
        return true;
    }

    private static bool IsV6(VrrpInstanceConfig i) => i.VirtualIPAddress.Length > 0 && i.VirtualIPAddress[0].Address.Contains(':');
    private static string Vips(Member m) => string.Join(" ", m.Vips);
    private static string N(double d) => d.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);

    private static void Add(List<VrrpConfigFinding> f, VrrpFindingSeverity s, string check, int vrid, string[] nodes, VrrpInstanceConfig at, string msg) =>
        f.Add(new VrrpConfigFinding { Severity = s, Check = check, VirtualRouterId = vrid, Nodes = nodes, File = at.SourceFile, Line = at.SourceLine, Message = msg });
}

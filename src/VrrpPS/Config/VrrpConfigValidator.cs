namespace VrrpPS.Config;

/// <summary>Severity of a cross-node finding.</summary>
public enum VrrpFindingSeverity { Information, Warning, Error }

/// <summary>One problem found by Test-VrrpConfig across the nodes of a cluster.</summary>
public sealed class VrrpConfigFinding
{
    public VrrpFindingSeverity Severity { get; set; }
    public string Check { get; set; } = "";
    public int VirtualRouterId { get; set; }
    public string[] Nodes { get; set; } = [];
    public string? File { get; set; }
    public int Line { get; set; }
    public string Message { get; set; } = "";
}

/// <summary>One node's parsed configuration for cross-node checks.</summary>
public sealed class VrrpNodeConfig
{
    public string Node { get; set; } = "";
    public string File { get; set; } = "";
    public KeepalivedParseResult Config { get; set; } = new();
}

/// <summary>Checks beyond `keepalived -t`: consistency between the nodes that share a VRID.</summary>
public static class VrrpConfigValidator
{
    public static VrrpConfigFinding[] Check(IReadOnlyList<VrrpNodeConfig> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var f = new List<VrrpConfigFinding>();
        var all = nodes.SelectMany(n => n.Config.Instances.Select(i => (node: n, inst: i))).ToList();
        foreach (var n in nodes)
            foreach (var dup in n.Config.Instances.GroupBy(i => (i.VirtualRouterId, i.Interface, v6: IsV6(i))).Where(g => g.Count() > 1))
                Add(f, VrrpFindingSeverity.Error, "VridReused", dup.Key.VirtualRouterId, [n.Node], dup.Last(),
                    $"VRID {dup.Key.VirtualRouterId} is used by {string.Join(", ", dup.Select(i => i.Name))} on {dup.Key.Interface} of {n.Node}; give each instance its own virtual_router_id.");
        foreach (var grp in all.GroupBy(x => (x.inst.VirtualRouterId, v6: IsV6(x.inst))))
        {
            var members = grp.ToList();
            int vrid = grp.Key.VirtualRouterId;
            string[] names = [.. members.Select(m => m.node.Node).Distinct()];
            if (names.Length < 2) continue;
            var first = members[0];
            foreach (var m in members.Skip(1))
            {
                string[] pair = [first.node.Node, m.node.Node];
                if (!VipSet(first.inst).SetEquals(VipSet(m.inst)))
                    Add(f, VrrpFindingSeverity.Error, "VipMismatch", vrid, pair, m.inst, $"VRID {vrid}: virtual_ipaddress differs between {pair[0]} ({string.Join(" ", VipSet(first.inst))}) and {pair[1]} ({string.Join(" ", VipSet(m.inst))}); use the same VIP list on every node.");
                if (first.inst.AdvertisementInterval != m.inst.AdvertisementInterval)
                    Add(f, VrrpFindingSeverity.Error, "AdvertIntervalMismatch", vrid, pair, m.inst, $"VRID {vrid}: advert_int {first.inst.AdvertisementInterval} on {pair[0]} but {m.inst.AdvertisementInterval} on {pair[1]}; adverts with another interval are discarded (RFC 3768 §7.1) — set the same advert_int.");
                if (first.inst.Version != m.inst.Version)
                    Add(f, VrrpFindingSeverity.Error, "VersionMismatch", vrid, pair, m.inst, $"VRID {vrid}: version {first.inst.Version} on {pair[0]} but {m.inst.Version} on {pair[1]}; set the same version everywhere.");
                if (first.inst.AuthenticationType != m.inst.AuthenticationType || first.inst.AuthenticationPassword != m.inst.AuthenticationPassword)
                    Add(f, VrrpFindingSeverity.Error, "AuthMismatch", vrid, pair, m.inst, $"VRID {vrid}: authentication differs between {pair[0]} and {pair[1]}; use the same auth_type and auth_pass (or none) on every node.");
            }
            foreach (var eq in members.GroupBy(m => m.inst.Priority).Where(g => g.Select(x => x.node.Node).Distinct().Count() > 1))
                Add(f, VrrpFindingSeverity.Warning, "EqualPriority", vrid, [.. eq.Select(x => x.node.Node)], eq.First().inst,
                    $"VRID {vrid}: {string.Join(" and ", eq.Select(x => x.node.Node))} share priority {eq.Key}; the election then depends on IP addresses — give each node a different priority.");
            var owners = members.Where(m => m.inst.Priority == 255).ToList();
            if (owners.Count > 1)
                Add(f, VrrpFindingSeverity.Error, "MultipleOwners", vrid, [.. owners.Select(o => o.node.Node)], owners[1].inst,
                    $"VRID {vrid}: priority 255 (address owner) on {string.Join(", ", owners.Select(o => o.node.Node))}; only one node may own the addresses — lower the others below 255.");
            var masters = members.Where(m => m.inst.InitialState == VrrpInitialState.Master && m.inst.NoPreempt).ToList();
            if (masters.Count > 1)
                Add(f, VrrpFindingSeverity.Warning, "MultipleMasterNoPreempt", vrid, [.. masters.Select(o => o.node.Node)], masters[1].inst,
                    $"VRID {vrid}: state MASTER with nopreempt on {string.Join(", ", masters.Select(o => o.node.Node))}; nopreempt only works with state BACKUP — set state BACKUP on all nodes.");
            CheckUnicast(f, vrid, members);
            CheckWeights(f, vrid, members);
        }
        return [.. f];
    }

    private static void CheckUnicast(List<VrrpConfigFinding> f, int vrid, List<(VrrpNodeConfig node, VrrpInstanceConfig inst)> members)
    {
        if (members.All(m => m.inst.UnicastPeer.Length == 0)) return;
        foreach (var a in members)
            foreach (var b in members.Where(b => b.node != a.node))
            {
                string? src = b.inst.UnicastSourceAddress;
                if (src is null) { Add(f, VrrpFindingSeverity.Warning, "UnicastPeerMismatch", vrid, [a.node.Node, b.node.Node], b.inst, $"VRID {vrid}: {a.node.Node} uses unicast but {b.node.Node} has no unicast_src_ip; set unicast_src_ip and unicast_peer on every node."); continue; }
                if (a.inst.UnicastPeer.All(p => p.Address != src))
                    Add(f, VrrpFindingSeverity.Error, "UnicastPeerMismatch", vrid, [a.node.Node, b.node.Node], a.inst, $"VRID {vrid}: unicast_peer of {a.node.Node} lacks {src} ({b.node.Node}'s unicast_src_ip); add it so the peer lists mirror each other.");
            }
    }

    private static void CheckWeights(List<VrrpConfigFinding> f, int vrid, List<(VrrpNodeConfig node, VrrpInstanceConfig inst)> members)
    {
        // keepalived issues #942/#2483: a tracked failure must bring the master below the best backup, else the VIP never moves.
        foreach (var m in members)
        {
            var (lo, hi) = Range(m.node, m.inst);
            if (lo == m.inst.Priority && hi == m.inst.Priority) continue;
            if (m.inst.Priority == 255) { Add(f, VrrpFindingSeverity.Warning, "TrackWeightIneffective", vrid, [m.node.Node], m.inst, $"VRID {vrid}: {m.node.Node} has priority 255; keepalived never changes an owner's priority, so its track weights do nothing — use a priority below 255."); continue; }
            var others = members.Where(o => o.node != m.node).ToList();
            if (others.Count == 0) continue;
            int bestOther = others.Max(o => Range(o.node, o.inst).hi);
            int worstOther = others.Min(o => Range(o.node, o.inst).lo);
            if (m.inst.Priority > bestOther && lo > bestOther)
                Add(f, VrrpFindingSeverity.Warning, "TrackWeightIneffective", vrid, [m.node.Node], m.inst,
                    $"VRID {vrid}: on {m.node.Node} priority {m.inst.Priority} with track weights can only fall to {lo}, still above the best backup ({bestOther}); make the negative weight larger than {m.inst.Priority - bestOther} or use weight 0 (fault).");
            else if (m.inst.Priority < worstOther && hi < worstOther && hi > m.inst.Priority)
                Add(f, VrrpFindingSeverity.Warning, "TrackWeightIneffective", vrid, [m.node.Node], m.inst,
                    $"VRID {vrid}: on {m.node.Node} positive track weights reach only {hi}, below the others' {worstOther}; raise the weights or the priority.");
        }
    }

    private static (int lo, int hi) Range(VrrpNodeConfig n, VrrpInstanceConfig i)
    {
        int lo = i.Priority, hi = i.Priority;
        var weights = i.TrackScript.Select(t => t.Weight ?? n.Config.Scripts.FirstOrDefault(s => s.Name == t.Name)?.Weight ?? 0)
            .Concat(i.TrackInterface.Select(t => t.Weight))
            .Concat(i.TrackFile.Select(t => t.Weight ?? n.Config.TrackFiles.FirstOrDefault(s => s.Name == t.Name)?.Weight ?? 0));
        foreach (int w in weights) { if (w < 0) lo += w; else hi += w; }
        return (Math.Clamp(lo, 1, 254), Math.Clamp(hi, 1, 254));
    }

    private static bool IsV6(VrrpInstanceConfig i) => i.VirtualIPAddress.Length > 0 && i.VirtualIPAddress[0].Address.Contains(':');
    private static HashSet<string> VipSet(VrrpInstanceConfig i) => [.. i.VirtualIPAddress.Select(a => a.Address + "/" + a.PrefixLength)];

    private static void Add(List<VrrpConfigFinding> f, VrrpFindingSeverity s, string check, int vrid, string[] nodes, VrrpInstanceConfig at, string msg) =>
        f.Add(new VrrpConfigFinding { Severity = s, Check = check, VirtualRouterId = vrid, Nodes = nodes, File = at.SourceFile, Line = at.SourceLine, Message = msg });
}

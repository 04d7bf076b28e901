using Tmds.Linux;
using VrrpPS.Engine;

namespace VrrpPS.Platform.Linux;

/// <summary>
/// keepalived virtual_routes / virtual_rules / static_routes / static_rules through rtnetlink:
/// RTM_NEWROUTE/RTM_DELROUTE (struct rtmsg) and RTM_NEWRULE/RTM_DELRULE (struct fib_rule_hdr, action
/// FR_ACT_TO_TBL). Acts in the network namespace of the calling thread.
/// Every entry is marked as keepalived marks its own (protocol 18, "proto keepalived" in `ip route`/`ip rule`),
/// added without NLM_F_REPLACE and removed by that mark: an identical route or rule the admin already had is
/// neither replaced nor removed, ours sits next to it (keepalived 2.2.7 does the same, checked in a namespace).
/// </summary>
internal sealed class NetlinkRouteManager : IRouteManager
{
    private const ushort RTM_NEWROUTE = 24, RTM_DELROUTE = 25, RTM_NEWRULE = 32, RTM_DELRULE = 33;
    private const ushort RTA_DST = 1, RTA_OIF = 4, RTA_GATEWAY = 5, RTA_PRIORITY = 6, RTA_PREFSRC = 7, RTA_TABLE = 15;
    private const ushort FRA_DST = 1, FRA_SRC = 2, FRA_PRIORITY = 6, FRA_TABLE = 15, FRA_PROTOCOL = 21;
    private const byte RTPROT_KEEPALIVED = 18, FR_ACT_TO_TBL = 1, RT_SCOPE_LINK = 253;

    // EEXIST: our own identical entry is already there (a restart after a crash), or, for IPv6 routes, the
    // kernel treats an identical route of another protocol as the same route: it stays the admin's.
    public void Add(VirtualRouteSpec spec, int deviceIndex) =>
        Send(spec, deviceIndex, spec.IsRule ? RTM_NEWRULE : RTM_NEWROUTE,
            (ushort)(Rtnl.NLM_F_CREATE | (spec.IsRule ? Rtnl.NLM_F_EXCL : 0)), tolerate: Errno.EEXIST);

    public void Remove(VirtualRouteSpec spec, int deviceIndex) =>
        Send(spec, deviceIndex, spec.IsRule ? RTM_DELRULE : RTM_DELROUTE, 0, tolerate: Errno.ENOENT, alsoTolerate: Errno.ESRCH);

    private static void Send(VirtualRouteSpec s, int deviceIndex, ushort type, ushort flags, int tolerate, int alsoTolerate = -1)
    {
        Span<byte> buf = stackalloc byte[256];
        Span<byte> addr = stackalloc byte[16];
        using NetlinkSocket nl = NetlinkSocket.Open(0, nonBlocking: false);
        var w = new NetlinkWriter(buf, type, (ushort)(Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK | flags));
        Span<byte> hdr = w.Reserve(12);
        hdr[0] = (byte)(s.IsIPv6 ? LibC.AF_INET6 : LibC.AF_INET);
        hdr[1] = (byte)(s.Destination.IsEmpty ? 0 : s.DestinationPrefix);
        hdr[2] = (byte)(s.From.IsEmpty ? 0 : s.FromPrefix);
        hdr[4] = (byte)Math.Min(s.Table, 255u);
        if (s.IsRule)
        {
            hdr[7] = FR_ACT_TO_TBL;
        }
        else
        {
            hdr[5] = RTPROT_KEEPALIVED; // on delete too: the kernel then removes only a route with this mark
            hdr[6] = s.Scope ?? (s.Gateway.IsEmpty && s.Type == 1 ? RT_SCOPE_LINK : (byte)0);
            hdr[7] = s.Type;
        }
        if (!s.Destination.IsEmpty) w.Attribute(s.IsRule ? FRA_DST : RTA_DST, addr[..s.Destination.WriteBytes(addr)]);
        if (s.IsRule)
        {
            if (!s.From.IsEmpty) w.Attribute(FRA_SRC, addr[..s.From.WriteBytes(addr)]);
            if (s.Metric is uint pref) w.Attribute(FRA_PRIORITY, pref);
            w.Attribute(FRA_TABLE, s.Table);
            w.Attribute(FRA_PROTOCOL, [RTPROT_KEEPALIVED]); // on delete too: only a rule with this mark matches
        }
        else
        {
            if (!s.Gateway.IsEmpty) w.Attribute(RTA_GATEWAY, addr[..s.Gateway.WriteBytes(addr)]);
            if (!s.PreferredSource.IsEmpty) w.Attribute(RTA_PREFSRC, addr[..s.PreferredSource.WriteBytes(addr)]);
            if (deviceIndex > 0) w.Attribute(RTA_OIF, (uint)deviceIndex);
            if (s.Metric is uint metric) w.Attribute(RTA_PRIORITY, metric);
            w.Attribute(RTA_TABLE, s.Table);
        }
        int errno = nl.Transact(w.Finish(nl.NextSequence()), s.IsRule ? "RTM_NEWRULE" : "RTM_NEWROUTE", null, out string? msg);
        if (errno != 0 && errno != tolerate && errno != alsoTolerate)
        {
            throw new NetlinkException($"{(type is RTM_NEWROUTE or RTM_NEWRULE ? "adding" : "removing")} '{s.Text}'", errno, msg);
        }
    }
}

using VrrpPS.Protocol;
using System.Globalization;

namespace VrrpPS.Config;

/// <summary>Completes a parsed vrrp_instance the way keepalived 2.2's vrrp_complete_instance does: defaults, the
/// vrrp_strict restrictions and the combinations keepalived corrects with a warning (checked against `keepalived -t` 2.2.7).</summary>
internal static class InstanceCompletion
{
    internal static bool Complete(VrrpInstanceConfig c, ConfNode node, IReadOnlyDictionary<string, ConfNode> seen, ConfigValues v)
    {
        var d = v.Diag;
        bool ok = c.VirtualRouterId != 0;
        string who = $"vrrp_instance {c.Name}";
        // a diagnostic points at the keyword that caused it when the block has it, else at the instance
        void Report(ConfigDiagnosticSeverity sev, string id, string? keyword, string msg)
        {
            var at = keyword is not null && seen.TryGetValue(keyword, out var k) ? k : node;
            string token = at == node ? c.Name : at.Name;
            if (sev == ConfigDiagnosticSeverity.Error) { d.Error(id, at.File, at.Line, at.Keyword.Column, token, $"{who}: {msg}"); ok = false; }
            else if (sev == ConfigDiagnosticSeverity.Warning) d.Warning(id, at.File, at.Line, at.Keyword.Column, token, $"{who}: {msg}");
            else d.Info(id, at.File, at.Line, at.Keyword.Column, token, $"{who}: {msg}");
        }
        const ConfigDiagnosticSeverity Err = ConfigDiagnosticSeverity.Error, Warn = ConfigDiagnosticSeverity.Warning, Info = ConfigDiagnosticSeverity.Info;

        if (c.Interface.Length == 0) Report(Err, "KeepalivedMissingInterface", null, "has no 'interface'; add one.");
        if (c.VirtualRouterId == 0 && !seen.ContainsKey("virtual_router_id")) Report(Err, "KeepalivedMissingVirtualRouterId", null, "has no valid 'virtual_router_id' (1-255).");

        // IPv6 virtual addresses mean VRRPv3 (RFC 5798 is the only VRRP for IPv6); keepalived complains only in strict mode
        // native_ipv6 makes the instance IPv6 whatever its addresses: keepalived 2.2.7 ignores its IPv4 virtual addresses
        bool native6 = seen.ContainsKey("native_ipv6");
        if (native6)
        {
            foreach (var a in c.VirtualIPAddress.Where(a => !a.Address.Contains(':')))
                d.Warning("KeepalivedMixedAddressFamily", node.File, a.SourceLine, 1, a.Address, $"{who}: native_ipv6: virtual_ipaddress {a.Address} is not IPv6 and is ignored, as keepalived does; move it to virtual_ipaddress_excluded.");
            c.VirtualIPAddress = [.. c.VirtualIPAddress.Where(a => a.Address.Contains(':'))];
        }
        bool v6 = native6 || (c.VirtualIPAddress.Length > 0 && c.VirtualIPAddress[0].Address.Contains(':'));
        if (v6 && c.Version == 2)
        {
            if (seen.ContainsKey("version")) Report(c.Strict ? Warn : Info, "KeepalivedIPv6ForcesVersion3", "version", "IPv6 needs VRRP version 3; version 3 used.");
            c.Version = 3;
        }
        if (c.VirtualIPAddress.Length == 0)
        {
            if (c.Version == 3 || c.Strict) Report(Err, "KeepalivedNoVip", null, "has no virtual_ipaddress; VRRPv3 and vrrp_strict need at least one.");
            else Report(Warn, "KeepalivedNoVip", null, "has no virtual_ipaddress; add the addresses it should move.");
        }

        // no priority => 255 when state MASTER, else 100; no state => MASTER iff priority 255
        bool stateSet = seen.TryGetValue("state", out var st) && st.Args.Count > 0 && st.Args[0].Text is "MASTER" or "BACKUP";
        if (!seen.ContainsKey("priority")) c.Priority = c.InitialState == VrrpInitialState.Master && stateSet ? 255 : 100;
        bool owner = c.Priority == 255;
        if (!stateSet) c.InitialState = owner ? VrrpInitialState.Master : VrrpInitialState.Backup;
        else if (c.Strict && (c.InitialState == VrrpInitialState.Master) != owner)
        {
            c.InitialState = owner ? VrrpInitialState.Master : VrrpInitialState.Backup;
            Report(Warn, "KeepalivedStrictMasterState", "state", $"vrrp_strict: state MASTER goes with priority 255 (the address owner) and only with it; starting as {c.InitialState.ToString().ToUpperInvariant()}.");
        }

        if (c.AuthenticationType != VrrpAuthType.None)
        {
            string? why = c.Strict ? "vrrp_strict does not allow authentication (RFC 3768 removed it)"
                : c.Version == 3 ? "VRRPv3 has no authentication (RFC 5798 §5.2.5)"
                : c.AuthenticationPassword is null ? "auth_type without auth_pass"
                : v6 && c.AuthenticationType == VrrpAuthType.Ah ? "AH authentication does not work with IPv6" : null;
            if (why is not null)
            {
                Report(Warn, c.Strict ? "KeepalivedStrictAuth" : "KeepalivedAuthIgnored", "authentication", $"{why}; the authentication block is ignored — remove it.");
                (c.AuthenticationType, c.AuthenticationPassword) = (VrrpAuthType.None, null);
            }
            else if (c.AuthenticationType == VrrpAuthType.Ah && c.InitialState == VrrpInitialState.Master && !owner)
            {
                Report(Warn, "KeepalivedAhInitialMaster", "state", "AH needs a received advertisement before taking over; starting as BACKUP.");
                c.InitialState = VrrpInitialState.Backup;
            }
        }
        // keepalived: unicast_src_ip, check_unicast_src, old_unicast_checksum and unicast_peer mark an instance unicast; with no peer
        // it falls back to multicast and reports it (deprecated since 2.2.4; keepalived -t exits non-zero)
        bool unicastKeyword = c.UnicastSourceAddress is not null || c.CheckUnicastSource || c.OldUnicastChecksum != VrrpUnicastChecksum.Auto || seen.ContainsKey("unicast_peer");
        if (unicastKeyword && c.UnicastPeer.Length == 0)
            Report(Warn, "KeepalivedUnicastWithoutPeers", null, "a unicast keyword (unicast_src_ip, unicast_peer, check_unicast_src, old_unicast_checksum) without any unicast peer: multicast is used, as keepalived does (deprecated there); add unicast_peer or remove the keyword.");
        if (seen.ContainsKey("unicast_ttl") && c.UnicastPeer.Length == 0)
        {
            Report(Warn, "KeepalivedOptionIgnored", "unicast_ttl", "unicast_ttl without unicast peers is reset, as keepalived does.");
            c.OtherLines = [.. c.OtherLines.Where(l => !l.Text.StartsWith("unicast_ttl", StringComparison.Ordinal))];
        }
        // keepalived 2.2.7 accepts unicast peers with vrrp_strict (newer releases drop such an instance on a multicast interface)
        if (c.Strict && c.UnicastPeer.Length > 0)
            Report(Info, "KeepalivedStrictUnicast", "unicast_peer", "vrrp_strict with unicast_peer: keepalived 2.2.7 accepts it, later keepalived releases refuse the instance on a multicast-capable interface.");
        if (c.Strict && v6 && c.UnicastPeer.Length == 0 && c.VirtualIPAddress.Length > 0 && !c.VirtualIPAddress[0].Address.StartsWith("fe80:", StringComparison.OrdinalIgnoreCase))
            Report(Warn, "KeepalivedStrictIPv6LinkLocal", "virtual_ipaddress", "vrrp_strict: the first IPv6 virtual address must be link-local (RFC 5798 §5.2.9); put an fe80:: address first.");
        foreach (var a in c.VirtualIPAddress.Where(a => a.Address.Contains(':') != v6))
            d.Warning("KeepalivedMixedAddressFamily", node.File, a.SourceLine, 1, a.Address, $"virtual_ipaddress {a.Address} is not the same family as the first VIP; move it to virtual_ipaddress_excluded.");

        // keepalived 2.2.7 (vrrp.c) drops a track_interface entry naming the instance's own interface, with a message
        if (c.TrackInterface.Any(t => t.Name == c.Interface))
        {
            Report(Warn, "KeepalivedOptionIgnored", "track_interface", $"track_interface {c.Interface} is the instance's own interface (always tracked); ignored, as keepalived does.");
            c.TrackInterface = [.. c.TrackInterface.Where(t => t.Name != c.Interface)];
        }

        RoundAdvertInterval(c, seen.GetValueOrDefault("advert_int"), node, d, ref ok);

        if (c.NoPreempt && owner)
            Report(Err, "KeepalivedNoPreemptOwner", "nopreempt", "nopreempt is incompatible with priority 255 (the address owner always preempts, RFC 5798 §6.4.3); lower the priority or drop nopreempt.");
        if (c.InitialState == VrrpInitialState.Master && c.NoPreempt && !owner)
        {
            Report(Warn, "KeepalivedNoPreemptMaster", "nopreempt", "nopreempt does not work with state MASTER and is ignored; use state BACKUP on every node.");
            c.NoPreempt = false;
        }
        if (c.PreemptDelay > 0 && (c.InitialState == VrrpInitialState.Master || c.Strict || c.NoPreempt))
        {
            string why = c.InitialState == VrrpInitialState.Master ? "does not work with state MASTER" : c.Strict ? "is not allowed by vrrp_strict" : "has no effect with nopreempt";
            Report(Warn, c.Strict && c.InitialState != VrrpInitialState.Master ? "KeepalivedStrictPreemptDelay" : "KeepalivedPreemptDelayIgnored", "preempt_delay", $"preempt_delay {why}; it is ignored.");
            c.PreemptDelay = 0;
        }

        // accept: unset => on for the owner, else on unless vrrp_strict; strict VRRPv2 forbids it below 255 (RFC 3768 has no Accept_Mode)
        c.Accept ??= owner || !c.Strict;
        if (c.Strict && c.Accept == true && !owner && c.Version == 2)
        {
            Report(Warn, "KeepalivedStrictAcceptV2", "accept", "vrrp_strict with VRRPv2: accept mode is not in RFC 3768 and is turned off.");
            c.Accept = false;
        }
        if (c.Strict) StrictAdvertAndGarp(c, seen, Report);
        c.UnsupportedKeywords = [.. c.UnsupportedKeywords.Concat(NotActedOnValues(c)).Distinct().Order(StringComparer.Ordinal)];
        return ok;
    }

    /// <summary>Settings the VrrpPS engine does not act on, named by their keyword when their value differs from what the
    /// engine does anyway (keepalived's default), so Start-VrrpInstance can warn instead of silently ignoring them.</summary>
    private static IEnumerable<string> NotActedOnValues(VrrpInstanceConfig c)
    {
        (string key, bool differs)[] all =
        [
            // track_interface, track_file, track_process, virtual_ipaddress_excluded, notify*, dont_track_primary,
            // garp_master_delay/repeat, garp_master_refresh(_repeat), garp_lower_prio_delay/repeat, notify_master_rx_lower_pri,
            // vrrp_mcast_group4/6, skip_check_adv_addr, higher_prio_send_advert and vrrp_startup_delay are acted on by the engine.
            // check_unicast_src is what the engine always does (adverts of a unicast instance are accepted from its peers only).
            // no_accept is acted on too: a non-owner Master drops traffic to the VIPs (nftables table vrrpps_noaccept_<name>).
            // preferred_lft 0 and forever are acted on (deprecated or not); another lifetime is added as forever
            ("preferred_lft", c.VirtualIPAddress.Concat(c.VirtualIPAddressExcluded).Any(a => a.Address.Contains(':') && a.PreferredLifetime is not (0 or uint.MaxValue))),
        ];
        return all.Where(x => x.differs).Select(x => x.key);
    }

    private static void StrictAdvertAndGarp(VrrpInstanceConfig c, IReadOnlyDictionary<string, ConfNode> seen, Action<ConfigDiagnosticSeverity, string, string?, string> report)
    {
        const ConfigDiagnosticSeverity Warn = ConfigDiagnosticSeverity.Warning;
        if (!seen.ContainsKey("garp_lower_prio_repeat")) c.GarpLowerPriorityRepeat = 0;
        else if (c.GarpLowerPriorityRepeat != 0) { report(Warn, "KeepalivedStrictGarp", "garp_lower_prio_repeat", "vrrp_strict: no repeated gratuitous ARPs on lower-priority adverts; set to 0."); c.GarpLowerPriorityRepeat = 0; }
        if (!seen.ContainsKey("garp_lower_prio_delay")) c.GarpLowerPriorityDelay = 0;
        else if (c.GarpLowerPriorityDelay != 0) { report(Warn, "KeepalivedStrictGarp", "garp_lower_prio_delay", "vrrp_strict: no delayed gratuitous ARPs on lower-priority adverts; set to 0."); c.GarpLowerPriorityDelay = 0; }
        if (!seen.ContainsKey("lower_prio_no_advert")) c.LowerPriorityNoAdvert = true;
        else if (!c.LowerPriorityNoAdvert) { report(Warn, "KeepalivedStrictLowerPrioAdvert", "lower_prio_no_advert", "vrrp_strict: a master must not answer a lower-priority advert (RFC 5798 §6.4.3); lower_prio_no_advert set."); c.LowerPriorityNoAdvert = true; }
        if (!seen.ContainsKey("higher_prio_send_advert")) c.HigherPrioritySendAdvert = false;
        else if (c.HigherPrioritySendAdvert) { report(Warn, "KeepalivedStrictHigherPrioAdvert", "higher_prio_send_advert", "vrrp_strict: higher_prio_send_advert is not RFC behaviour; cleared."); c.HigherPrioritySendAdvert = false; }
    }

    private static void RoundAdvertInterval(VrrpInstanceConfig c, ConfNode? at, ConfNode node, DiagnosticSink d, ref bool ok)
    {
        double adv = c.AdvertisementInterval;
        string text = adv.ToString(CultureInfo.InvariantCulture);
        if (c.Version == 2 && adv != Math.Round(adv))
        {
            double r = Math.Max(1, Math.Round(adv, MidpointRounding.AwayFromZero));
            d.Warning("KeepalivedAdvertIntRounded", at?.File ?? node.File, at?.Line ?? node.Line, at?.Args[0].Column ?? 1, text,
                $"VRRPv2 advert_int {adv}s must be whole seconds; rounded to {r}s (use version 3 for sub-second adverts).");
            c.AdvertisementInterval = r;
        }
        else if (c.Version == 3)
        {
            double cs = Math.Round(adv * 100, MidpointRounding.AwayFromZero);
            if (Math.Abs(cs - adv * 100) > 1e-6)
            {
                double r = Math.Max(1, cs) / 100.0;
                d.Warning("KeepalivedAdvertIntRounded", at?.File ?? node.File, at?.Line ?? node.Line, at?.Args[0].Column ?? 1, text, $"VRRPv3 advert_int {adv}s must be in units of 10 ms; rounded to {r}s.");
                c.AdvertisementInterval = r;
            }
            if (c.AdvertisementInterval > 40.95)
            {
                d.Error("KeepalivedValueOutOfRange", at?.File ?? node.File, at?.Line ?? node.Line, 1, "advert_int", "VRRPv3 advert_int must be at most 40.95 s (RFC 5798 §5.2.7: 12-bit centiseconds).");
                ok = false;
            }
        }
    }
}

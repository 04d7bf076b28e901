using VrrpPS.Protocol;
using System.Net;
using CsCheck;
using VrrpPS.Config;
using Xunit;

namespace VrrpPS.Tests.Config;

/// <summary>Issue 4: Import∘Export∘Import is the identity — over generated configurations, not only the corpus.
/// Generated objects are already in the canonical form Read produces (keepalived's value ranges, defaults made explicit).</summary>
public class ConfigRoundTripPropertyTests
{
    private sealed record Cluster(VrrpScriptConfig[] Scripts, VrrpInstanceConfig[] Instances, VrrpSyncGroupConfig[] SyncGroups)
    {
        internal object[] All => [.. Scripts, .. Instances, .. SyncGroups];
        public override string ToString() => KeepalivedConfigWriter.Write(All);
    }

    private static Gen<T?> Opt<T>(Gen<T> g) where T : class => Gen.Frequency((1, Gen.Const(default(T?))), (2, g.Select(x => (T?)x)));
    private static Gen<int?> OptInt(int lo, int hi) => Gen.Frequency((1, Gen.Const(default(int?))), (1, Gen.Int[lo, hi].Select(x => (int?)x)));
    private static readonly Gen<string> Word = Gen.OneOf("haproxy", "nginx", "web", "db", "-x", "-s", "1", "check.sh");
    private static readonly Gen<string> Command = Gen.Select(Gen.OneOf("/usr/local/bin/notify.sh", "/bin/sh", "/usr/bin/logger"), Word.Array[0, 3])
        .Select((exe, args) => string.Join(' ', [exe, .. args]));
    private static readonly Gen<string> TrackName = Gen.OneOf("chk_0", "chk_1", "chk_2", "chk_missing");

    private static Gen<string> Address(bool v6) => v6
        ? Gen.Int[0, 0xFFFF].Select(x => IPAddress.Parse($"2001:db8::{x:x}").ToString())
        : Gen.Int[1, 254].Select(x => $"198.51.100.{x}");

    private static Gen<VrrpVirtualAddress> Vip(bool v6) =>
        Gen.Select(Address(v6), v6 ? Gen.Int[48, 128] : Gen.Int[8, 32], Opt(Gen.OneOf("eth0", "eth1")), Opt(Gen.OneOf("eth0:1", "eth0:vip")),
                Opt(Gen.OneOf("global", "link", "host")), Opt(Address(v6)), Opt(Address(v6)), Gen.Bool, Gen.Bool, Gen.Bool,
            (a, pl, dev, label, scope, brd, peer, nodad, notrack, lft) => new VrrpVirtualAddress
            {
                // keepalived drops scope and label of an IPv6 address, and brd beside a peer: Import does the same (with a warning)
                Address = a, PrefixLength = pl, Device = dev, Label = v6 ? null : label, Scope = v6 ? null : scope, Broadcast = v6 || peer is not null ? null : brd, Peer = peer,
                NoDad = nodad, NoTrack = notrack, PreferredLifetimeZero = v6 && lft, // preferred_lft is IPv6-only
            });

    private static readonly Gen<VrrpTrackRef> Ref = Gen.Select(TrackName, OptInt(-253, 253), Gen.Bool)
        .Select((n, w, r) => new VrrpTrackRef { Name = n, Weight = w, Reverse = r });
    // never the instance's own interface (keepalived ignores that entry, and so does Import)
    private static readonly Gen<VrrpTrackInterface> TrackIf = Gen.Select(Gen.OneOf("eth2", "eth3", "bond0"), Gen.Int[-253, 253], Gen.Bool)
        .Select((n, w, r) => new VrrpTrackInterface { Name = n, Weight = w, Reverse = r });
    private static readonly Gen<VrrpRawLine> Route = Gen.Select(Gen.Int[0, 255], Gen.Int[1, 254])
        .Select((net, gw) => new VrrpRawLine { Text = $"198.18.{net}.0/24 via 198.51.100.{gw} dev eth0" });

    private static readonly Gen<VrrpScriptConfig> Script =
        // interval and timeout: whole seconds, as keepalived reads them
        Gen.Select(Word.Array[0, 3], Gen.Int[1, 120], Gen.Int[0, 30], Gen.Int[-253, 253], Gen.Bool, Gen.Int[1, 10], Gen.Int[1, 10],
                Opt(Gen.OneOf("root", "nobody")), Opt(Gen.OneOf("nogroup", "adm")), Gen.Bool,
            (args, interval, timeout, w, rev, rise, fall, user, group, initFail) => new VrrpScriptConfig
            {
                Script = string.Join(' ', ["/usr/bin/pgrep", .. args]), ScriptArguments = ["/usr/bin/pgrep", .. args],
                Interval = interval, Timeout = timeout, Weight = w, Reverse = rev, Rise = rise, Fall = fall,
                User = user, Group = user is null ? null : group, InitFail = initFail,
            });

    /// <summary>The part of an instance that depends on its address family.</summary>
    private static Gen<VrrpInstanceConfig> Addressing(bool v6) =>
        Gen.Select(Vip(v6).Array[0, 4], Vip(v6).Array[0, 2], Gen.Frequency((1, Gen.Const(Array.Empty<VrrpUnicastPeer>())),
                (2, Gen.Select(Address(v6), OptInt(0, 255), OptInt(0, 255)).Select((a, lo, hi) => new VrrpUnicastPeer { Address = a, MinTtl = lo, MaxTtl = hi }).Array[1, 3])),
                Opt(Address(v6)), Opt(Address(v6)), Gen.Bool, Gen.Int[1, 255], Gen.Int[1, 4095])
            .Select((vips, excl, peers, src, msrc, v3, adv2, cs) => new VrrpInstanceConfig
            {
                VirtualIPAddress = vips, VirtualIPAddressExcluded = excl, UnicastPeer = peers, UnicastSourceAddress = src, MulticastSourceAddress = msrc,
                Version = v6 || v3 ? 3 : 2, AdvertisementInterval = v6 || v3 ? cs / 100.0 : adv2, // v2: whole seconds; v3: 10 ms units up to 40.95 s
            });

    private static Gen<VrrpInstanceConfig> Instance(string m4, string m6, double startup) =>
        Gen.Bool.SelectMany(Addressing).SelectMany(i => Gen.Select(
                Gen.Select(Gen.Bool, Gen.Int[1, 255], Gen.Int[1, 255], Gen.OneOf("eth0", "eth1", "bond0.100"), Gen.OneOf(VrrpAuthType.None, VrrpAuthType.Pass, VrrpAuthType.Ah),
                    Gen.String[Gen.Char.AlphaNumeric, 1, 8], Gen.Bool, Gen.Int[0, 600]),
                Gen.Select(Gen.Int[0, 255], Gen.Int[1, 255], Gen.Int[0, 86400], Gen.Int[1, 255], Gen.Int[0, 255], Gen.Int[1, 255]),
                Gen.Select(Gen.Bool, Opt(Gen.OneOf("vrrp.51", "vmac0")), Gen.Bool, Gen.OneOf<bool?>(null, true, false), Gen.Bool, Gen.Bool, Gen.Bool, Gen.Bool),
                Gen.Select(Gen.Bool, Gen.Bool, Gen.Bool, Gen.Int[1, 10], Route.Array[0, 2], Route.Array[0, 1]),
                Gen.Select(TrackIf.Array[0, 2], Ref.Array[0, 3], Ref.Array[0, 2], Ref.Array[0, 2]),
                Gen.Select(Opt(Command), Opt(Command), Opt(Command), Opt(Command), Opt(Command), Opt(Command)))
            .Select((a, g, m, b, t, n) =>
            {
                i.InitialState = a.Item1 ? VrrpInitialState.Master : VrrpInitialState.Backup; i.Priority = a.Item2; i.VirtualRouterId = a.Item3; i.Interface = a.Item4;
                i.AuthenticationType = a.Item5; i.AuthenticationPassword = a.Item5 == VrrpAuthType.None ? null : a.Item6;
                i.NoPreempt = a.Item7; i.PreemptDelay = a.Item8 / 2.0;
                (i.GarpMasterDelay, i.GarpMasterRepeat, i.GarpMasterRefresh, i.GarpMasterRefreshRepeat, i.GarpLowerPriorityDelay, i.GarpLowerPriorityRepeat) = g;
                i.UseVmac = m.Item1; i.VmacName = m.Item1 ? m.Item2 : null; i.VmacXmitBase = m.Item3; i.Accept = m.Item4;
                (i.DontTrackPrimary, i.SmtpAlert, i.LowerPriorityNoAdvert, i.HigherPrioritySendAdvert) = (m.Item5, m.Item6, m.Item7, m.Item8);
                (i.CheckUnicastSource, i.SkipCheckAdvertAddress, i.V3ChecksumAsV2) = (b.Item1, b.Item2, b.Item3);
                i.Strict = b.Item4 <= 2;
                Canonical(i);
                (i.VirtualRoutes, i.VirtualRules) = (b.Item5, b.Item6.Select(r => new VrrpRawLine { Text = "from " + r.Text.Split(' ')[0] + " table 100" }).ToArray());
                (i.TrackInterface, i.TrackScript, i.TrackFile, i.TrackProcess) = t;
                (i.NotifyMaster, i.NotifyBackup, i.NotifyFault, i.NotifyStop, i.Notify, i.NotifyMasterRxLowerPriority) = n;
                // some notify programs with a user (and group) after them, in the order Export writes the lines
                i.NotifyUser = new[] { ("notify_master", i.NotifyMaster), ("notify_backup", i.NotifyBackup), ("notify_fault", i.NotifyFault),
                        ("notify_stop", i.NotifyStop), ("notify", i.Notify), ("notify_master_rx_lower_pri", i.NotifyMasterRxLowerPriority) }
                    .Select((k, x) => (k.Item1, k.Item2, Pick: (i.Priority + x) % 3))
                    .Where(k => k.Item2 is not null && k.Pick > 0)
                    .Select(k => new VrrpNotifyUser { Keyword = k.Item1, User = "nobody", Group = k.Pick == 2 ? "nogroup" : null }).ToArray();
                (i.MulticastGroup4, i.MulticastGroup6, i.StartupDelay) = (m4, m6, startup);
                var u = new List<string>();
                void If(bool c, string k) { if (c) u.Add(k); }
                // by keyword: sections the engine has no code for at all
                If(i.SmtpAlert, "smtp_alert"); // use_vmac, vmac_xmit_base, no_accept, virtual_routes and virtual_rules are acted on
                // by value: anything but what the engine does anyway (keepalived's defaults; strict's for lower-priority garps)
                // (track_interface, track_file, track_process, virtual_ipaddress_excluded, garp_master_refresh, garp_lower_prio_*, notify_master_rx_lower_pri, vrrp_mcast_group4/6, skip_check_adv_addr, higher_prio_send_advert, vrrp_startup_delay, check_unicast_src (always on), notify*, dont_track_primary, garp_master_delay/repeat: acted on by the engine)
                string[] unsupported = [.. u];
                i.UnsupportedKeywords = [.. unsupported.Order(StringComparer.Ordinal)];
                return i;
            }));

    /// <summary>Brings a generated instance into the form keepalived's vrrp_complete_instance leaves (InstanceCompletion):
    /// the combinations keepalived corrects with a warning are not generated, so Read must give back exactly these values.</summary>
    private static void Canonical(VrrpInstanceConfig i)
    {
        bool owner = i.Priority == 255;
        if ((i.Version == 3 || i.Strict) && i.VirtualIPAddress.Length == 0) i.Strict = false;
        if (i.Version == 3 && i.VirtualIPAddress.Length == 0) i.VirtualIPAddress = [new VrrpVirtualAddress { Address = "198.51.100.1", PrefixLength = 32 }];
        if (i.Strict) i.InitialState = owner ? VrrpInitialState.Master : VrrpInitialState.Backup; // strict: MASTER iff owner
        if (i.Strict || i.Version == 3) (i.AuthenticationType, i.AuthenticationPassword) = (VrrpAuthType.None, null); // RFC 5798 / strict: no auth
        if (i.AuthenticationType == VrrpAuthType.Ah && i.InitialState == VrrpInitialState.Master && !owner) i.InitialState = VrrpInitialState.Backup;
        if (owner || i.InitialState == VrrpInitialState.Master) i.NoPreempt = false;
        if (i.InitialState == VrrpInitialState.Master || i.Strict || i.NoPreempt) i.PreemptDelay = 0;
        i.Accept ??= owner || !i.Strict;
        if (i.Strict && i.Version == 2 && !owner) i.Accept = false;
        if (i.Strict) (i.GarpLowerPriorityRepeat, i.GarpLowerPriorityDelay, i.LowerPriorityNoAdvert, i.HigherPrioritySendAdvert) = (0, 0, true, false);
    }

    private static Gen<VrrpSyncGroupConfig> SyncGroup(string[] names) =>
        Gen.Select(Gen.Shuffle(names, 2, names.Length), Ref.Array[0, 2], TrackIf.Array[0, 1], Opt(Command), Opt(Command), Opt(Command), Gen.Bool)
            .Select((members, ts, ti, nm, nb, nf, smtp) => new VrrpSyncGroupConfig
            {
                Group = members, TrackScript = ts, TrackInterface = ti, NotifyMaster = nm, NotifyBackup = nb, NotifyFault = nf, SmtpAlert = smtp,
            });

    private static readonly Gen<Cluster> Config =
        Gen.Select(Gen.OneOf("224.0.0.18", "224.0.0.19"), Gen.OneOf("ff02::12", "ff02::13"), Gen.Int[0, 10])
            .SelectMany((m4, m6, startup) => Gen.Select(Script.Array[0, 3], Instance(m4, m6, startup).Array[1, 5]))
            .SelectMany((scripts, insts) =>
            {
                for (int k = 0; k < scripts.Length; k++) scripts[k].Name = "chk_" + k;
                for (int k = 0; k < insts.Length; k++) insts[k].Name = "VI_" + k;
                var groups = insts.Length < 2 ? Gen.Const(Array.Empty<VrrpSyncGroupConfig>()) : SyncGroup([.. insts.Select(x => x.Name)]).Array[0, 2];
                return groups.Select(gs =>
                {
                    for (int k = 0; k < gs.Length; k++) gs[k].Name = "SG_" + k;
                    return new Cluster(scripts, insts, gs);
                });
            });

    [Fact]
    public void Write_read_write_is_identical_text_and_read_objects_equal_the_generated_ones() =>
        Config.Sample(c =>
        {
            string text = KeepalivedConfigWriter.Write(c.All);
            string tmp = Path.Combine(Path.GetTempPath(), "vrrpps-prop-" + Guid.NewGuid().ToString("N") + ".conf");
            try
            {
                File.WriteAllText(tmp, text);
                var r = KeepalivedConfigReader.Read(tmp, new KeepalivedReadOptions { ConfigId = "node_a" });
                Assert.False(r.HasErrors, string.Join("\n", r.Diagnostics));
                Assert.Equal(text, KeepalivedConfigWriter.Write([r]));
                Assert.Null(StructuralComparer.FirstDifference(c.Scripts, r.Scripts, "Scripts"));
                Assert.Null(StructuralComparer.FirstDifference(c.Instances, r.Instances, "Instances"));
                Assert.Null(StructuralComparer.FirstDifference(c.SyncGroups, r.SyncGroups, "SyncGroups"));
                Assert.All(r.Instances, i => Assert.Equal((tmp, true), (i.SourceFile, i.SourceLine > 0)));
            }
            finally { File.Delete(tmp); }
        }, iter: 250);

    [Fact]
    public void Structural_comparer_sees_a_difference_deep_in_an_array()
    {
        var a = new VrrpInstanceConfig { VirtualIPAddress = [new() { Address = "198.51.100.1", PrefixLength = 24 }], SourceLine = 3 };
        var b = new VrrpInstanceConfig { VirtualIPAddress = [new() { Address = "198.51.100.1", PrefixLength = 25 }], SourceLine = 9 };
        Assert.Equal("$.VirtualIPAddress[0].PrefixLength: expected 24, got 25", StructuralComparer.FirstDifference(a, b));
        b.VirtualIPAddress[0].PrefixLength = 24;
        Assert.Null(StructuralComparer.FirstDifference(a, b)); // SourceLine is where it came from, not what it is
    }
}

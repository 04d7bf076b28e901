using System.Globalization;
using CsCheck;

namespace VrrpPS.Tests.Config;

/// <summary>keepalived.conf TEXT as an admin or a template writes it — not what our writer produces — for the fidelity
/// differential: global_defs values that instances inherit, per-instance overrides, flags bare or with a true/false argument
/// (as keepalived 2.2.7 reads them), sync groups, scripts. Interfaces are those of <see cref="KeepalivedDumpLab"/>.</summary>
internal static class KeepalivedConfigTextGen
{
    private static string I(double x) => x.ToString("0.##", CultureInfo.InvariantCulture);
    private static Gen<string> Maybe(int oneIn, Gen<string> line) => Gen.Frequency((oneIn - 1, Gen.Const("")), (1, line));
    private static Gen<string> Flag(string key) => Gen.OneOf("", " true", " false", " on", " off").Select(a => key + a);
    private static Gen<string> IntLine(string key, int lo, int hi) => Gen.Int[lo, hi].Select(x => key + " " + x);

    private static readonly Gen<string> Global = Gen.Select(
            Gen.Select(Maybe(4, Gen.Const("vrrp_version 3")), Maybe(4, Gen.Const("vrrp_mcast_group4 224.0.0.19")), Maybe(3, IntLine("vrrp_garp_master_delay", 0, 10)),
                Maybe(3, IntLine("vrrp_garp_master_repeat", 0, 10)), Maybe(4, IntLine("vrrp_garp_master_refresh", 0, 100)), Maybe(4, IntLine("vrrp_garp_master_refresh_repeat", 0, 5))),
            Gen.Select(Maybe(3, IntLine("vrrp_garp_lower_prio_delay", 0, 10)), Maybe(3, IntLine("vrrp_garp_lower_prio_repeat", 0, 10)), Maybe(5, Gen.Const("vrrp_strict")),
                Maybe(4, Gen.Const("vrrp_check_unicast_src")), Maybe(4, Gen.Const("vrrp_skip_check_adv_addr")), Maybe(3, Flag("vrrp_lower_prio_no_advert"))),
            Gen.Select(Maybe(3, Flag("vrrp_higher_prio_send_advert")), Maybe(5, IntLine("vrrp_startup_delay", 1, 5)), Maybe(4, Gen.Const("router_id node_a")),
                // vrrp_min_garp changes only the garp values still at their default: before or after explicit ones
                Maybe(4, Gen.Const("vrrp_min_garp")), Maybe(5, Gen.OneOf("vrrp_garp_interval 0.01", "vrrp_gna_interval 0.02", "vrrp_priority -5")), Maybe(6, Gen.Const("vrrp_min_garp"))))
        .Select((a, b, c) => Lines("global_defs", [c.Item4, a.Item1, a.Item2, a.Item3, a.Item4, a.Item5, a.Item6, b.Item1, b.Item2, b.Item3, b.Item4, b.Item5, b.Item6, c.Item1, c.Item2, c.Item3, c.Item5, c.Item6]));

    private static string Lines(string head, IEnumerable<string> lines)
    {
        var present = lines.Where(l => l.Length > 0).ToList();
        return present.Count == 0 ? "" : head + " {\n" + string.Concat(present.Select(l => "    " + l + "\n")) + "}\n";
    }

    /// <summary>One vrrp_instance of part <paramref name="j"/> of a batch (VRID and name from <paramref name="k"/>; the part's
    /// script exists when <paramref name="script"/>). Part 0 keeps the names a lone config has: VI_k, chk_0, VRID k+1.</summary>
    private static Gen<string> Instance(int j, int k, bool script) => Gen.Select(
            Gen.Select(Gen.OneOf("eth0", "eth1", "bond0.100"), Maybe(2, Gen.OneOf("state MASTER", "state BACKUP")), Maybe(2, IntLine("priority", 1, 254)),
                Maybe(3, Gen.OneOf("advert_int 2", "advert_int 3", "advert_int 1")), Maybe(4, Gen.OneOf("version 2", "version 3")), Gen.Int[1, 6]),
            Gen.Select(Maybe(4, Gen.Const("unicast_src_ip 198.51.100.250\n    unicast_peer {\n        198.51.100.251\n        198.51.100.252\n    }")),
                Maybe(5, Gen.Const("nopreempt")), Maybe(5, IntLine("preempt_delay", 1, 30)), Maybe(5, IntLine("garp_master_delay", 0, 10)),
                Maybe(5, IntLine("garp_master_repeat", 0, 10)), Maybe(5, IntLine("garp_lower_prio_delay", 0, 10))),
            Gen.Select(Maybe(5, IntLine("garp_lower_prio_repeat", 0, 10)), Maybe(4, Flag("lower_prio_no_advert")), Maybe(4, Flag("higher_prio_send_advert")),
                Maybe(5, Flag("strict_mode")), Maybe(4, Flag("skip_check_adv_addr")), Maybe(6, Gen.Const("check_unicast_src"))),
            Gen.Select(Maybe(5, Gen.OneOf("accept", "no_accept")), Maybe(6, Gen.OneOf("old_unicast_checksum", "old_unicast_checksum never")),
                Maybe(6, Gen.Const("authentication {\n        auth_type PASS\n        auth_pass secret1\n    }")), Maybe(5, Gen.Const("track_interface {\n        eth2 weight -10\n    }")),
                Maybe(script ? 3 : 1000, Gen.Const($"track_script {{\n        {Script(j)}\n    }}")), Maybe(6, Gen.Const("notify_master \"/bin/true master\""))),
            Gen.Select(Maybe(5, IntLine("garp_master_refresh", 0, 60)),
                // keywords VrrpPS reads but does not model: written back as read
                Maybe(5, Gen.OneOf("promote_secondaries", "track_src_ip", "down_timer_adverts 3", "kernel_rx_buf_size 65536", "notify_priority_changes")),
                // numbers keepalived's daemon reads leniently (leading digits, ignored, replaced): a warning each, never an error
                Maybe(6, Gen.OneOf("garp_master_delay 3x", "preempt_delay 5abc", "garp_lower_prio_repeat 7z", "garp_master_refresh abc",
                    "garp_lower_prio_delay -3", "advert_int 2abc", "garp_master_refresh_repeat 0", "version 3x"))))
        .Select((a, b, c, d, e) =>
        {
            string vips = "virtual_ipaddress {\n" + string.Concat(Enumerable.Range(0, a.Item6 % 3 + 1).Select(x => $"        198.51.{100 + x}.{Vrid(j, k)}/24\n")) + "    }";
            // no nopreempt on an address owner (state MASTER without priority is priority 255): we refuse that on purpose
            string nopreempt = a.Item2 == "state MASTER" && a.Item3.Length == 0 ? "" : b.Item2;
            return Lines($"vrrp_instance {Name(j, k)}", [a.Item2, "interface " + a.Item1, "virtual_router_id " + Vrid(j, k), a.Item3, a.Item4, a.Item5, b.Item1, vips,
                nopreempt, b.Item3, b.Item4, b.Item5, b.Item6, c.Item1, c.Item2, c.Item3, c.Item4, c.Item5, c.Item6, d.Item1, d.Item2, d.Item3, d.Item4, d.Item5, d.Item6, e.Item1, e.Item2, e.Item3]);
        });

    private const int MaxPartInstances = 12;
    private static string Name(int j, int k) => j == 0 ? $"VI_{k}" : $"P{j}_VI_{k}";
    private static string Script(int j) => j == 0 ? "chk_0" : $"chk_{j}";
    private static int Vrid(int j, int k) => j * MaxPartInstances + k + 1;

    /// <summary>A whole config: global_defs (maybe empty), a script maybe, 1..<paramref name="maxInstances"/> instances, maybe a sync group.</summary>
    internal static Gen<string> Config(int maxInstances) => Gen.Select(Global, Part(0, maxInstances)).Select((global, part) => global + part);

    /// <summary>
    /// <paramref name="parts"/> generated configs that share one global_defs, in one file: each part has its own names (P{j}_VI_k,
    /// chk_{j}, SG_{j}), VRIDs and addresses, so keepalived reads them side by side as it would read each alone under that
    /// global_defs — one keepalived reload then judges many configs (a reload costs ~0.7 s, a config's parsing almost nothing).
    /// </summary>
    internal static Gen<string> Batch(int parts, int maxInstances)
    {
        if (parts * MaxPartInstances > 255 || maxInstances > MaxPartInstances) throw new ArgumentOutOfRangeException(nameof(parts));
        return Enumerable.Range(0, parts).Aggregate(Global, (acc, j) => acc.SelectMany(before => Part(j, maxInstances).Select(p => before + p)));
    }

    /// <summary>One batch as its pieces, from <paramref name="pcg"/> (so a seed and a batch number replay it): the shared global_defs
    /// text and <paramref name="parts"/> part texts, each a config of its own under that global_defs (see <see cref="Batch"/>).</summary>
    internal static (string Global, string[] Parts) BatchParts(int parts, int maxInstances, PCG pcg)
    {
        if (parts * MaxPartInstances > 255 || maxInstances > MaxPartInstances) throw new ArgumentOutOfRangeException(nameof(parts));
        string global = Global.Generate(pcg, null, out _);
        return (global, [.. Enumerable.Range(0, parts).Select(j => Part(j, maxInstances).Generate(pcg, null, out _))]);
    }

    /// <summary>Part <paramref name="j"/>: a script maybe, 1..<paramref name="maxInstances"/> instances, maybe a sync group.</summary>
    private static Gen<string> Part(int j, int maxInstances) =>
        Gen.Select(Gen.Bool, Gen.Int[1, maxInstances], Gen.Int[0, 2]).SelectMany((script, n, groups) =>
            Enumerable.Range(0, n).Aggregate(Gen.Const(""), (acc, k) => acc.SelectMany(before => Instance(j, k, script).Select(x => before + x))).Select(instances =>
            {
                string s = script ? $"vrrp_script {Script(j)} {{\n    script \"/bin/true\"\n    interval 2\n    weight -20\n}}\n" : "";
                string sync = n >= 2 && groups > 0
                    ? $"vrrp_sync_group SG_{j} {{\n    group {{\n        {Name(j, 0)}\n        {Name(j, 1)}\n    }}\n{(groups == 2 ? "    notify_master \"/bin/true group\"\n" : "")}}}\n" : "";
                return s + instances + sync;
            }));
}

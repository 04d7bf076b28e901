using System.Globalization;
using System.Text;
using VrrpPS.Engine;
using VrrpPS.StateMachine;

namespace VrrpPS.Hosting;

/// <summary>
/// OpenMetrics 1.0 text of the daemon's instances. Names and labels follow the community
/// keepalived-exporter (keepalived_vrrp_state{iname,intf,vrid}, keepalived_vrrp_advertisements_sent_total…)
/// with the prefix "vrrpps_" instead of "keepalived_", so a keepalived dashboard maps over by
/// replacing that prefix; state values are the exporter's (0 init, 1 backup, 2 master, 3 fault).
/// </summary>
internal static class MetricsText
{
    public const string ContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private static readonly (string Name, string Help, Func<VrrpCounters, long> Value)[] s_counters =
    [
        ("vrrpps_vrrp_advertisements_sent", "Advertisements sent.", c => c.AdvertisementsSent),
        ("vrrpps_vrrp_advertisements_received", "Advertisements received and accepted.", c => c.AdvertisementsReceived),
        ("vrrpps_vrrp_become_master", "Transitions to MASTER.", c => c.BecameMaster),
        ("vrrpps_vrrp_release_master", "Transitions out of MASTER.", c => c.ReleasedMaster),
        ("vrrpps_vrrp_priority_zero_sent", "Priority 0 advertisements sent (releases).", c => c.PriorityZeroSent),
        ("vrrpps_vrrp_priority_zero_received", "Priority 0 advertisements received.", c => c.PriorityZeroReceived),
    ];

    private static readonly (string Reason, Func<VrrpCounters, long> Value)[] s_errors =
    [
        ("ttl", c => c.TtlErrors),
        ("checksum", c => c.ChecksumErrors),
        ("length", c => c.LengthErrors),
        ("authentication", c => c.AuthErrors),
        ("interval", c => c.IntervalErrors),
        ("address_list", c => c.AddressListErrors),
        ("version", c => c.VersionErrors),
        ("other", c => c.OtherErrors),
        ("send", c => c.SendErrors),
    ];

    public static string Write(IReadOnlyList<VrrpInstanceState> states)
    {
        var sb = new StringBuilder();
        Family(sb, "vrrpps_up", "gauge", "1 while the VrrpPS daemon runs.");
        sb.Append("vrrpps_up 1\n");
        Family(sb, "vrrpps_vrrp_state", "gauge", "Instance state: 0 init, 1 backup, 2 master, 3 fault (keepalived-exporter values).");
        foreach (var s in states)
        {
            Sample(sb, "vrrpps_vrrp_state", Labels(s), StateValue(s.State));
        }
        Family(sb, "vrrpps_vrrp_priority", "gauge", "Configured priority.");
        foreach (var s in states)
        {
            Sample(sb, "vrrpps_vrrp_priority", Labels(s), s.Priority);
        }
        Family(sb, "vrrpps_vrrp_effective_priority", "gauge", "Priority after tracking weights (what is advertised).");
        foreach (var s in states)
        {
            Sample(sb, "vrrpps_vrrp_effective_priority", Labels(s), s.EffectivePriority);
        }
        Family(sb, "vrrpps_vrrp_last_transition_timestamp_seconds", "gauge", "Unix time of the last state change.");
        foreach (var s in states)
        {
            double t = s.LastTransition == default ? 0 : (s.LastTransition.ToUniversalTime() - DateTime.UnixEpoch).TotalSeconds;
            Sample(sb, "vrrpps_vrrp_last_transition_timestamp_seconds", Labels(s), t);
        }
        foreach (var (name, help, value) in s_counters)
        {
            Family(sb, name, "counter", help);
            foreach (var s in states)
            {
                Sample(sb, name + "_total", Labels(s), value(s.Counters));
            }
        }
        Family(sb, "vrrpps_vrrp_errors", "counter", "Advertisements dropped or not sent, by reason.");
        foreach (var s in states)
        {
            foreach (var (reason, value) in s_errors)
            {
                Sample(sb, "vrrpps_vrrp_errors_total", Labels(s) + $",reason=\"{reason}\"", value(s.Counters));
            }
        }
        Family(sb, "vrrpps_vrrp_script_status", "gauge", "Tracker status: 1 ok, 0 failed, -1 not yet known (keepalived-exporter's script_status).");
        foreach (var s in states)
        {
            foreach (var t in s.Tracker)
            {
                int v = t.Status switch { TrackerStatus.Ok => 1, TrackerStatus.Failed => 0, _ => -1 };
                Sample(sb, "vrrpps_vrrp_script_status", Labels(s) + $",name=\"{Escape(t.Name)}\",kind=\"{t.Kind}\"", v);
            }
        }
        sb.Append("# EOF\n");
        return sb.ToString();
    }

    private static int StateValue(VrrpState s) => s switch
    {
        VrrpState.Backup => 1,
        VrrpState.Master => 2,
        VrrpState.Fault => 3,
        _ => 0,
    };

    private static string Labels(VrrpInstanceState s) =>
        $"iname=\"{Escape(s.Name)}\",intf=\"{Escape(s.Interface)}\",vrid=\"{s.VirtualRouterId}\"";

    private static void Family(StringBuilder sb, string name, string type, string help) =>
        sb.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n')
          .Append("# HELP ").Append(name).Append(' ').Append(Escape(help)).Append('\n');

    private static void Sample(StringBuilder sb, string name, string labels, double value) =>
        sb.Append(name).Append('{').Append(labels).Append("} ").Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}

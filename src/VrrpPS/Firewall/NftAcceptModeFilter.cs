using System.Text;
using VrrpPS.Engine;
using VrrpPS.Protocol;

namespace VrrpPS.Firewall;

/// <summary>
/// Accept_Mode false (keepalived no_accept) with nftables: one table per instance,
/// <c>inet vrrpps_noaccept_{instance}</c>, whose input chain drops packets addressed to the VIPs.
/// Owning a whole table makes every change one atomic <c>nft -f</c> batch that is idempotent
/// ("create, delete, create" replaces what a crashed run left) and touches no other rule.
/// ARP is not IP and is never filtered; IPv6 neighbour discovery for the VIPs is accepted so the
/// Master can still answer Neighbor Solicitations for them (RFC 5798 §6.4.3).
/// </summary>
public sealed class NftAcceptModeFilter(ICommandRunner runner) : IAcceptModeFilter
{
    public const string TablePrefix = "vrrpps_noaccept_";
    private static readonly string[] ApplyArgs = ["-f", "-"];

    public void Block(string instance, IReadOnlyList<IpAddressValue> addresses) => Run(BlockScript(instance, addresses));

    public void Unblock(string instance) => Run(UnblockScript(instance));

    /// <summary>The table's name for an instance: letters, digits and '_' (anything else becomes '_' plus a hash, so names stay distinct).</summary>
    public static string TableName(string instance) => TableName(TablePrefix, instance);

    internal static string TableName(string prefix, string instance)
    {
        var sb = new StringBuilder(prefix);
        bool changed = false;
        foreach (char c in instance)
        {
            bool ok = char.IsAsciiLetterOrDigit(c) || c == '_';
            sb.Append(ok ? c : '_');
            changed |= !ok;
        }
        if (changed)
        {
            uint h = 2166136261;
            foreach (char c in instance)
            {
                h = (h ^ c) * 16777619;
            }
            sb.Append('_').Append(h.ToString("x8", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    internal static string BlockScript(string instance, IReadOnlyList<IpAddressValue> addresses)
    {
        string table = TableName(instance);
        var v4 = addresses.Where(a => a.IsIPv4).Select(a => a.ToString()).Distinct().ToList();
        var v6 = addresses.Where(a => a.IsIPv6).Select(a => a.ToString()).Distinct().ToList();
        var sb = new StringBuilder(UnblockScript(instance));
        sb.Append("table inet ").Append(table).Append(" {\n");
        sb.Append("\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n");
        if (v6.Count > 0)
        {
            sb.Append("\t\tip6 daddr { ").Append(string.Join(", ", v6)).Append(" } icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept\n");
            sb.Append("\t\tip6 daddr { ").Append(string.Join(", ", v6)).Append(" } drop\n");
        }
        if (v4.Count > 0)
        {
            sb.Append("\t\tip daddr { ").Append(string.Join(", ", v4)).Append(" } drop\n");
        }
        sb.Append("\t}\n}\n");
        return sb.ToString();
    }

    // "table … {}" creates the table when absent, so the delete that follows never fails.
    internal static string UnblockScript(string instance)
    {
        string table = TableName(instance);
        return $"table inet {table} {{}}\ndelete table inet {table}\n";
    }

    private void Run(string script)
    {
        CommandResult r = runner.Run(NftablesProvider.Program, ApplyArgs, script);
        if (r.ExitCode != 0 || r.TimedOut)
        {
            throw FirewallException.FromResult(NftablesProvider.Program, ApplyArgs, r);
        }
    }
}

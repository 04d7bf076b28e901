namespace VrrpPS.Firewall;

/// <summary>
/// use_vmac: no IGMP or MLD membership report may leave from the virtual MAC. The VRRP socket joins the
/// multicast group on the macvlan (it must receive there), so the kernel reports that membership from the shared
/// MAC, and a switch would learn 00:00:5e:00:01:VRID on a Backup's port and send the Master's traffic there.
/// keepalived drops those reports with its firewall; so does this: one table per macvlan,
/// <c>inet vrrpps_vmac_{link}</c>, whose output chain drops IGMP and MLD reports/dones leaving by the macvlan.
/// Each change is one atomic, idempotent <c>nft -f</c> batch (a table left by a crashed run is replaced).
/// </summary>
public sealed class NftVirtualMacReportFilter(ICommandRunner runner)
{
    public const string TablePrefix = "vrrpps_vmac_";
    private static readonly string[] ApplyArgs = ["-f", "-"];

    /// <summary>False when nft is not installed: the reports cannot be filtered.</summary>
    public bool Available => runner.Exists(NftablesProvider.Program);

    public void Block(string link) => Run(BlockScript(link));

    public void Unblock(string link) => Run(UnblockScript(link));

    internal static string BlockScript(string link)
    {
        string table = NftAcceptModeFilter.TableName(TablePrefix, link);
        return UnblockScript(link)
            + $"table inet {table} {{\n\tchain output {{\n\t\ttype filter hook output priority filter; policy accept;\n"
            + $"\t\toifname \"{link}\" ip protocol igmp drop\n"
            + $"\t\toifname \"{link}\" icmpv6 type {{ mld-listener-report, mld-listener-done, mld2-listener-report }} drop\n"
            + "\t}\n}\n";
    }

    // "table … {}" creates the table when absent, so the delete that follows never fails.
    internal static string UnblockScript(string link)
    {
        string table = NftAcceptModeFilter.TableName(TablePrefix, link);
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

using System.Management.Automation;

namespace VrrpPS.Firewall;

/// <summary>
/// firewalld rich rules (firewalld.richlanguage(5)): <c>rule family="ipv4" destination
/// address="224.0.0.18" protocol value="vrrp" accept</c>, or <c>source address="PEER"</c> per peer.
/// firewalld has no "vrrp" service and a port (--add-port=112/tcp) opens nothing VRRP uses.
/// Runtime always; the permanent configuration too with -Permanent. Rich rules cannot name an
/// interface: with -Interface the rule goes into that interface's zone.
/// </summary>
public sealed class FirewalldProvider(ICommandRunner runner) : IFirewallProvider
{
    public const string Program = "firewall-cmd";

    public FirewallProviderKind Kind => FirewallProviderKind.Firewalld;

    public bool IsAvailable() => runner.Exists(Program) && IsRunning();

    public bool IsInUse() => IsAvailable();

    /// <summary><c>firewall-cmd --state</c>: exit 0 "running", 252 "not running".</summary>
    public bool IsRunning() => runner.Run(Program, ["--state"]).ExitCode == 0;

    public FirewallPlan Plan(FirewallVrrpRequest request)
    {
        if (!IsRunning())
        {
            throw new FirewallException(FirewallErrorIds.DaemonNotRunning, ErrorCategory.ResourceUnavailable,
                "firewalld is not running ('firewall-cmd --state'). Start it, or choose -Provider Nftables or Iptables.", Program);
        }
        var plan = new FirewallPlan { Provider = Kind };
        string? zone = request.Zone ?? (request.Interface is null ? null : ZoneOfInterface(request.Interface));
        string[] zoneArg = zone is null ? [] : ["--zone=" + zone];
        WarnAboutPorts(zoneArg, plan);
        string[][] scopes = request.Permanent ? [[], ["--permanent"]] : [[]];
        foreach (VrrpRuleSpec spec in VrrpRuleSpec.FromRequest(request, perPeer: true))
        {
            string rule = RichRule(spec);
            foreach (string[] scope in scopes)
            {
                string[] query = [.. scope, .. zoneArg, "--query-rich-rule=" + rule];
                CommandResult r = runner.Run(Program, query);
                if (r.ExitCode is not (0 or 1) || r.TimedOut)
                {
                    throw FirewallException.FromResult(Program, query, r);
                }
                bool present = r.ExitCode == 0;
                string where = (scope.Length > 0 ? "permanent" : "runtime") + (zone is null ? "" : ", zone " + zone);
                if (!request.Remove || present)
                {
                    plan.Rules.Add($"{rule} ({where})");
                }
                if (present == request.Remove)
                {
                    string op = request.Remove ? "--remove-rich-rule=" : "--add-rich-rule=";
                    string[] args = [.. scope, .. zoneArg, op + rule];
                    plan.Changes.Add(new PlannedChange
                    {
                        Text = Program + " " + string.Join(' ', [.. scope, .. zoneArg]) + (scope.Length + zoneArg.Length > 0 ? " " : "") + op + "'" + rule + "'",
                        Action = request.Remove ? FirewallRuleAction.Removed : FirewallRuleAction.Added,
                        Program = Program,
                        Arguments = args,
                    });
                }
            }
        }
        return plan;
    }

    public void Apply(IReadOnlyList<PlannedChange> changes)
    {
        foreach (PlannedChange change in changes)
        {
            CommandResult r = runner.Run(Program, change.Arguments);
            if (r.ExitCode != 0 || r.TimedOut)
            {
                throw FirewallException.FromResult(Program, change.Arguments, r);
            }
        }
    }

    /// <summary>A rich rule accepting IP protocol 112 ("vrrp" in /etc/protocols) to the group or from one peer.</summary>
    internal static string RichRule(VrrpRuleSpec spec)
    {
        string family = spec.IsV4 ? "ipv4" : "ipv6";
        string addr = spec.Peers.Count == 0
            ? $"destination address=\"{spec.MulticastGroup}\""
            : $"source address=\"{spec.Peers[0]}\"";
        return $"rule family=\"{family}\" {addr} protocol value=\"vrrp\" accept";
    }

    private string? ZoneOfInterface(string iface)
    {
        CommandResult r = runner.Run(Program, ["--get-zone-of-interface=" + iface]);
        string zone = r.StandardOutput.Trim();
        return r.ExitCode == 0 && zone.Length > 0 ? FirewallInputValidator.ValidateZone(zone) : null;
    }

    private void WarnAboutPorts(string[] zoneArg, FirewallPlan plan)
    {
        CommandResult r = runner.Run(Program, [.. zoneArg, "--list-ports"]);
        if (r.ExitCode != 0)
        {
            return;
        }
        foreach (string port in r.StandardOutput.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)
                     .Where(p => p is "112/tcp" or "112/udp"))
        {
            plan.Warnings.Add($"firewalld opens port {port}. VRRP is IP protocol 112 and has no ports: that opens nothing VRRP uses "
                + "(remove it with: firewall-cmd --remove-port=" + port + ").");
        }
    }
}

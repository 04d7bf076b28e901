namespace VrrpPS.Firewall;

/// <summary>
/// iptables / ip6tables: a dedicated <c>VRRPPS</c> chain, jumped to from the top of INPUT, holding
/// one tagged ACCEPT rule per multicast group or peer. -Remove deletes our tagged rules; when the
/// chain is then empty it also deletes the jump and the chain (both ours). Works with the nft
/// (Debian default) and legacy back ends: the program names are parameters.
/// </summary>
public sealed class IptablesProvider(ICommandRunner runner, string ipv4Program = "iptables", string ipv6Program = "ip6tables")
    : IFirewallProvider
{
    public const string ChainName = "VRRPPS";

    public FirewallProviderKind Kind => FirewallProviderKind.Iptables;

    public bool IsAvailable() => runner.Exists(ipv4Program);

    /// <summary>In use when INPUT has a non-ACCEPT policy or any rule.</summary>
    public bool IsInUse()
    {
        if (!IsAvailable())
        {
            return false;
        }
        CommandResult r = runner.Run(ipv4Program, ["-w", "-S", "INPUT"]);
        return r.ExitCode == 0 && r.StandardOutput.Split('\n').Any(l => l.StartsWith("-A INPUT", StringComparison.Ordinal)
            || (l.StartsWith("-P INPUT", StringComparison.Ordinal) && !l.Contains("ACCEPT", StringComparison.Ordinal)));
    }

    public FirewallPlan Plan(FirewallVrrpRequest request)
    {
        var plan = new FirewallPlan { Provider = Kind };
        foreach (IGrouping<bool, VrrpRuleSpec> group in VrrpRuleSpec.FromRequest(request, perPeer: true).GroupBy(s => s.IsV4))
        {
            string program = group.Key ? ipv4Program : ipv6Program;
            string[] listing = ListAll(program);
            WarnAboutPort112(program, listing, plan);
            List<string>? chainLines = listing.Contains("-N " + ChainName)
                ? listing.Where(l => l.StartsWith("-A " + ChainName + " ", StringComparison.Ordinal)).ToList()
                : null;
            int jumps = listing.Count(l => l == "-A INPUT -j " + ChainName);
            var comments = group.Select(s => s.Comment).ToHashSet(StringComparer.Ordinal);
            if (request.Remove)
            {
                PlanRemove(program, chainLines, jumps, comments, plan);
            }
            else
            {
                PlanAdd(program, chainLines, jumps, group.ToList(), plan);
            }
        }
        return plan;
    }

    private static void PlanAdd(string program, List<string>? chainLines, int jumps, List<VrrpRuleSpec> specs, FirewallPlan plan)
    {
        if (chainLines is null)
        {
            Add(plan, FirewallRuleAction.Added, program, ["-w", "-N", ChainName]);
        }
        var present = (chainLines ?? []).Select(CommentOf).ToHashSet(StringComparer.Ordinal);
        foreach (VrrpRuleSpec spec in specs)
        {
            string[] ruleArgs = RuleArguments(spec);
            plan.Rules.Add(program + " " + string.Join(' ', ruleArgs));
            if (!present.Contains(spec.Comment))
            {
                Add(plan, FirewallRuleAction.Added, program, ["-w", "-A", ChainName, .. ruleArgs]);
            }
        }
        if (jumps == 0)
        {
            Add(plan, FirewallRuleAction.Added, program, ["-w", "-I", "INPUT", "1", "-j", ChainName]);
        }
    }

    private static void PlanRemove(string program, List<string>? chainLines, int jumps, HashSet<string> comments, FirewallPlan plan)
    {
        if (chainLines is null)
        {
            return;
        }
        // Rule numbers are 1-based in listing order; delete from the bottom so numbers stay valid.
        var ours = chainLines.Select((line, i) => (line, number: i + 1))
            .Where(x => CommentOf(x.line) is { } c && comments.Contains(c)).Reverse().ToList();
        foreach ((string line, int number) in ours)
        {
            plan.Rules.Add(program + " " + line);
            Add(plan, FirewallRuleAction.Removed, program, ["-w", "-D", ChainName, number.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        if (ours.Count > 0 && ours.Count == chainLines.Count)
        {
            for (int i = jumps; i > 0; i--)
            {
                Add(plan, FirewallRuleAction.Removed, program, ["-w", "-D", "INPUT", "-j", ChainName]);
            }
            Add(plan, FirewallRuleAction.Removed, program, ["-w", "-X", ChainName]);
        }
    }

    public void Apply(IReadOnlyList<PlannedChange> changes)
    {
        foreach (PlannedChange change in changes)
        {
            CommandResult r = runner.Run(change.Program!, change.Arguments);
            if (r.ExitCode != 0 || r.TimedOut)
            {
                throw FirewallException.FromResult(change.Program!, change.Arguments, r);
            }
        }
    }

    /// <summary><c>[-i IF] -d 224.0.0.18|-s PEER -p 112 -m comment --comment TAG -j ACCEPT</c> (protocol number, never a port).</summary>
    internal static string[] RuleArguments(VrrpRuleSpec spec)
    {
        var args = new List<string>();
        if (spec.Interface is not null)
        {
            args.AddRange(["-i", spec.Interface]);
        }
        args.AddRange(spec.Peers.Count == 0 ? ["-d", spec.MulticastGroup.ToString()] : ["-s", spec.Peers[0].ToString()]);
        args.AddRange(["-p", "112", "-m", "comment", "--comment", spec.Comment, "-j", "ACCEPT"]);
        return [.. args];
    }

    /// <summary>
    /// <c>-S</c> of the whole filter table, trimmed lines. (Listing one missing chain is unreliable:
    /// iptables-nft 1.8.9 answers "chain is incompatible" instead of "No chain".)
    /// </summary>
    private string[] ListAll(string program)
    {
        string[] args = ["-w", "-S"];
        CommandResult r = runner.Run(program, args);
        if (r.ExitCode != 0 || r.TimedOut)
        {
            throw FirewallException.FromResult(program, args, r);
        }
        return r.StandardOutput.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
    }

    private static void WarnAboutPort112(string program, string[] listing, FirewallPlan plan)
    {
        foreach (string line in listing)
        {
            string[] t = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            int p = Array.IndexOf(t, "-p");
            bool tcpUdp = p >= 0 && p + 1 < t.Length && t[p + 1] is "tcp" or "udp" or "6" or "17";
            bool port112 = t.Select((tok, i) => (tok, i)).Any(x => x.tok is "--dport" or "--dports" or "--destination-port"
                && x.i + 1 < t.Length && t[x.i + 1].Split(',').Any(v => v == "112" || IsRangeWith112(v)));
            if (tcpUdp && port112)
            {
                plan.Warnings.Add($"{program} rule '{line}' matches tcp/udp port 112. VRRP is IP protocol 112 and has no ports: "
                    + "that rule opens nothing VRRP uses.");
            }
        }
    }

    private static bool IsRangeWith112(string v)
    {
        string[] parts = v.Split(':');
        return parts.Length == 2 && int.TryParse(parts[0], out int lo) && int.TryParse(parts[1], out int hi) && lo <= 112 && hi >= 112;
    }

    private static string? CommentOf(string line)
    {
        string[] t = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int i = Array.IndexOf(t, "--comment");
        return i >= 0 && i + 1 < t.Length ? t[i + 1].Trim('"') : null;
    }

    private static void Add(FirewallPlan plan, FirewallRuleAction action, string program, string[] args) =>
        plan.Changes.Add(new PlannedChange { Text = program + " " + string.Join(' ', args), Action = action, Program = program, Arguments = args });
}

using System.Management.Automation;
using System.Net;
using System.Text.Json.Nodes;

namespace VrrpPS.Firewall;

/// <summary>
/// nftables through its JSON interface. An accept verdict ends evaluation only in its own base
/// chain; every other base chain on the input hook still runs and can drop the packet. So the
/// rule is inserted at the top of every ip/ip6/inet input base chain that drops or rejects,
/// tagged with <see cref="VrrpRuleSpec.Comment"/>, and -Remove deletes exactly those handles.
/// Nothing is flushed, reordered or deleted otherwise; all changes go in one atomic batch.
/// </summary>
public sealed class NftablesProvider(ICommandRunner runner) : IFirewallProvider
{
    public const string Program = "nft";
    internal static readonly string[] ListArgs = ["-j", "list", "ruleset"];
    internal static readonly string[] ApplyArgs = ["-j", "-f", "-"];

    public FirewallProviderKind Kind => FirewallProviderKind.Nftables;

    public bool IsAvailable() => runner.Exists(Program);

    /// <summary>In use when some input base chain exists that is not iptables-nft's own.</summary>
    public bool IsInUse() => IsAvailable() && ReadRuleset().Chains.Any(c => c.IsInputBaseChain && !c.IsXtablesManaged);

    public NftRuleset ReadRuleset()
    {
        CommandResult r = runner.Run(Program, ListArgs);
        if (r.ExitCode != 0 || r.TimedOut)
        {
            throw FirewallException.FromResult(Program, ListArgs, r);
        }
        try
        {
            return NftRuleset.Parse(r.StandardOutput);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new FirewallException(FirewallErrorIds.RulesetUnreadable, ErrorCategory.InvalidData,
                "'nft -j list ruleset' returned output that is not the expected JSON: " + ex.Message, Program, ex);
        }
    }

    public FirewallPlan Plan(FirewallVrrpRequest request)
    {
        NftRuleset ruleset = ReadRuleset();
        var plan = new FirewallPlan { Provider = Kind };
        IReadOnlyList<VrrpRuleSpec> specs = VrrpRuleSpec.FromRequest(request);
        foreach (NftRule wrong in ruleset.WrongPort112Rules())
        {
            plan.Warnings.Add($"Rule '{wrong.Family} {wrong.Table} {wrong.Chain} handle {wrong.Handle}' matches tcp/udp port 112. "
                + "VRRP is IP protocol 112 and has no ports: that rule opens nothing VRRP uses.");
        }
        if (request.Remove)
        {
            var comments = specs.Select(s => s.Comment).ToHashSet(StringComparer.Ordinal);
            foreach (NftRule rule in ruleset.Rules.Where(r => r.Comment is not null && comments.Contains(r.Comment)))
            {
                string text = $"nft delete rule {rule.Family} {rule.Table} {rule.Chain} handle {rule.Handle}";
                plan.Changes.Add(new PlannedChange { Text = text, Action = FirewallRuleAction.Removed, NftJsonCommand = DeleteCommand(rule) });
                plan.Rules.Add($"{rule.Family} {rule.Table} {rule.Chain}: comment \"{rule.Comment}\" (handle {rule.Handle})");
            }
            return plan;
        }
        bool anyTarget = false;
        foreach (NftChain chain in ruleset.Chains.Where(c => c.IsInputBaseChain))
        {
            bool filters = ruleset.Filters(chain);
            if (filters && chain.IsXtablesManaged)
            {
                plan.Warnings.Add($"Chain '{chain.Display}' is managed by iptables-nft and drops input; use -Provider Iptables for it.");
                continue;
            }
            var existing = ruleset.RulesOf(chain).Select(r => r.Comment).ToHashSet(StringComparer.Ordinal);
            foreach (VrrpRuleSpec spec in specs.Where(s => Applies(chain, s)))
            {
                string rule = RuleText(spec);
                if (existing.Contains(spec.Comment))
                {
                    anyTarget = true;
                    plan.Rules.Add($"{chain.Display}: {rule}");
                }
                else if (filters)
                {
                    anyTarget = true;
                    plan.Rules.Add($"{chain.Display}: {rule}");
                    plan.Changes.Add(new PlannedChange
                    {
                        Text = $"nft insert rule {chain.Display} {rule}",
                        Action = FirewallRuleAction.Added,
                        NftJsonCommand = InsertCommand(chain, spec),
                    });
                }
            }
        }
        if (!anyTarget)
        {
            plan.Warnings.Add("No nftables input base chain (ip, ip6, inet) drops or rejects this traffic: VRRP is not filtered, nothing to change.");
        }
        return plan;
    }

    public void Apply(IReadOnlyList<PlannedChange> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }
        string batch = BuildBatch(changes);
        CommandResult r = runner.Run(Program, ApplyArgs, batch);
        if (r.ExitCode != 0 || r.TimedOut)
        {
            throw FirewallException.FromResult(Program, ApplyArgs, r);
        }
    }

    /// <summary>One atomic batch: <c>{"nftables":[cmd, cmd, …]}</c>.</summary>
    internal static string BuildBatch(IReadOnlyList<PlannedChange> changes)
    {
        var array = new JsonArray();
        foreach (PlannedChange c in changes)
        {
            array.Add(JsonNode.Parse(c.NftJsonCommand ?? throw new InvalidOperationException("Not an nftables change.")));
        }
        return new JsonObject { ["nftables"] = array }.ToJsonString();
    }

    private static bool Applies(NftChain chain, VrrpRuleSpec spec) => chain.Family switch
    {
        "ip" => spec.IsV4,
        "ip6" => !spec.IsV4,
        _ => true,
    };

    /// <summary>The rule in nft syntax, as -WhatIf shows it.</summary>
    internal static string RuleText(VrrpRuleSpec spec)
    {
        string ipKeyword = spec.IsV4 ? "ip" : "ip6";
        string iface = spec.Interface is null ? string.Empty : $"iifname \"{spec.Interface}\" ";
        string addr = spec.Peers.Count == 0
            ? $"{ipKeyword} daddr {spec.MulticastGroup}"
            : spec.Peers.Count == 1
                ? $"{ipKeyword} saddr {spec.Peers[0]}"
                : $"{ipKeyword} saddr {{ {string.Join(", ", spec.Peers)} }}";
        string proto = spec.IsV4 ? "ip protocol 112" : "meta l4proto 112";
        return $"{iface}{addr} {proto} counter accept comment \"{spec.Comment}\"";
    }

    internal static string InsertCommand(NftChain chain, VrrpRuleSpec spec)
    {
        string ipKeyword = spec.IsV4 ? "ip" : "ip6";
        var expr = new JsonArray();
        if (spec.Interface is not null)
        {
            expr.Add(Match(new JsonObject { ["meta"] = new JsonObject { ["key"] = "iifname" } }, spec.Interface));
        }
        JsonNode right = spec.Peers.Count switch
        {
            0 => spec.MulticastGroup.ToString(),
            1 => spec.Peers[0].ToString(),
            _ => new JsonObject { ["set"] = new JsonArray(spec.Peers.Select(p => (JsonNode)p.ToString()).ToArray()) },
        };
        string field = spec.Peers.Count == 0 ? "daddr" : "saddr";
        expr.Add(Match(new JsonObject { ["payload"] = new JsonObject { ["protocol"] = ipKeyword, ["field"] = field } }, right));
        JsonObject protoLeft = spec.IsV4
            ? new JsonObject { ["payload"] = new JsonObject { ["protocol"] = "ip", ["field"] = "protocol" } }
            : new JsonObject { ["meta"] = new JsonObject { ["key"] = "l4proto" } };
        expr.Add(Match(protoLeft, VrrpRuleSpec.VrrpProtocol));
        expr.Add(new JsonObject { ["counter"] = null });
        expr.Add(new JsonObject { ["accept"] = null });
        var rule = new JsonObject
        {
            ["family"] = chain.Family,
            ["table"] = chain.Table,
            ["chain"] = chain.Name,
            ["comment"] = spec.Comment,
            ["expr"] = expr,
        };
        return new JsonObject { ["insert"] = new JsonObject { ["rule"] = rule } }.ToJsonString();
    }

    internal static string DeleteCommand(NftRule rule) => new JsonObject
    {
        ["delete"] = new JsonObject
        {
            ["rule"] = new JsonObject
            {
                ["family"] = rule.Family,
                ["table"] = rule.Table,
                ["chain"] = rule.Chain,
                ["handle"] = rule.Handle,
            },
        },
    }.ToJsonString();

    private static JsonObject Match(JsonNode left, JsonNode right) =>
        new() { ["match"] = new JsonObject { ["op"] = "==", ["left"] = left, ["right"] = right } };
}

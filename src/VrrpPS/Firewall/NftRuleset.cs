using System.Text.Json;

namespace VrrpPS.Firewall;

/// <summary>
/// Read-only model of <c>nft -j list ruleset</c> (libnftables JSON schema 1) with the questions the
/// provider asks: which input base chains drop or reject, which rules carry our tag, which rules
/// open tcp/udp port 112 (the common wrong "VRRP" rule).
/// </summary>
public sealed class NftRuleset
{
    private readonly List<NftChain> _chains = [];
    private readonly List<NftRule> _rules = [];

    public IReadOnlyList<NftChain> Chains => _chains;
    public IReadOnlyList<NftRule> Rules => _rules;

    public static NftRuleset Parse(string json)
    {
        var set = new NftRuleset();
        using JsonDocument doc = JsonDocument.Parse(json);
        foreach (JsonElement item in doc.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (item.TryGetProperty("chain", out JsonElement c))
            {
                set._chains.Add(new NftChain(Str(c, "family")!, Str(c, "table")!, Str(c, "name")!, Str(c, "hook"), Str(c, "policy")));
            }
            else if (item.TryGetProperty("rule", out JsonElement r))
            {
                set._rules.Add(new NftRule(Str(r, "family")!, Str(r, "table")!, Str(r, "chain")!,
                    r.GetProperty("handle").GetInt64(), Str(r, "comment"),
                    r.TryGetProperty("expr", out JsonElement e) ? e.Clone() : default));
            }
        }
        return set;
    }

    public IEnumerable<NftRule> RulesOf(NftChain chain) =>
        _rules.Where(r => r.Family == chain.Family && r.Table == chain.Table && r.Chain == chain.Name);

    /// <summary>The chain drops or rejects: policy drop, a drop/reject verdict, or a jump/goto to a chain that does.</summary>
    public bool Filters(NftChain chain) => Filters(chain, new HashSet<string>(StringComparer.Ordinal));

    private bool Filters(NftChain chain, HashSet<string> visited)
    {
        if (!visited.Add(chain.Family + "\0" + chain.Table + "\0" + chain.Name))
        {
            return false;
        }
        if (chain.Policy == "drop")
        {
            return true;
        }
        foreach (NftRule rule in RulesOf(chain))
        {
            if (rule.Expr.ValueKind != JsonValueKind.Array)
            {
                continue;
            }
            foreach (JsonElement stmt in rule.Expr.EnumerateArray())
            {
                if (stmt.TryGetProperty("drop", out _) || stmt.TryGetProperty("reject", out _))
                {
                    return true;
                }
                string? target = JumpTarget(stmt);
                NftChain? next = target is null ? null
                    : _chains.FirstOrDefault(c => c.Family == chain.Family && c.Table == chain.Table && c.Name == target);
                if (next is not null && Filters(next, visited))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static string? JumpTarget(JsonElement stmt)
    {
        foreach (string verdict in (string[])["jump", "goto"])
        {
            if (stmt.TryGetProperty(verdict, out JsonElement j) && j.ValueKind == JsonValueKind.Object)
            {
                return Str(j, "target");
            }
        }
        return null;
    }

    /// <summary>Rules matching tcp/udp/th destination port 112 (possibly in a set): they open nothing VRRP uses.</summary>
    public IEnumerable<NftRule> WrongPort112Rules() => _rules.Where(r => r.Expr.ValueKind == JsonValueKind.Array
        && r.Expr.EnumerateArray().Any(IsPort112Match));

    private static bool IsPort112Match(JsonElement stmt)
    {
        if (!stmt.TryGetProperty("match", out JsonElement m) || !m.TryGetProperty("left", out JsonElement left)
            || !left.TryGetProperty("payload", out JsonElement p))
        {
            return false;
        }
        string? proto = Str(p, "protocol");
        if (proto is not ("tcp" or "udp" or "th" or "sctp" or "dccp") || Str(p, "field") != "dport")
        {
            return false;
        }
        JsonElement right = m.GetProperty("right");
        if (right.ValueKind == JsonValueKind.Object && right.TryGetProperty("set", out JsonElement set))
        {
            return set.EnumerateArray().Any(IsPort112);
        }
        return IsPort112(right);
    }

    private static bool IsPort112(JsonElement v) =>
        (v.ValueKind == JsonValueKind.Number && v.GetInt32() == VrrpRuleSpec.VrrpProtocol)
        || (v.ValueKind == JsonValueKind.Object && v.TryGetProperty("range", out JsonElement range)
            && range[0].ValueKind == JsonValueKind.Number && range[0].GetInt32() <= VrrpRuleSpec.VrrpProtocol
            && range[1].ValueKind == JsonValueKind.Number && range[1].GetInt32() >= VrrpRuleSpec.VrrpProtocol);

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

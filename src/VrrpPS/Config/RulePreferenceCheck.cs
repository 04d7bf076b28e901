namespace VrrpPS.Config;

/// <summary>
/// keepalived 2.2.7 (vrrp_iprule.c) gives a rule without `preference`/`priority`/`order` a number of its own — 16384 for the
/// first of its family (IPv4 or IPv6) in the configuration, one less for each next one, static_rules and virtual_rules alike,
/// in file order — and says "Rule has no preference specified … This is probably not what you want". VrrpPS warns the same way,
/// naming that number; the line is kept as written (Export writes it back unchanged, so keepalived numbers it again).
/// </summary>
internal static class RulePreferenceCheck
{
    private const uint First = 16384;

    internal static void Check(IEnumerable<ConfNode> topLevel, DiagnosticSink diag)
    {
        uint next4 = First, next6 = First;
        foreach (var node in topLevel)
        {
            IEnumerable<ConfNode> rules = node.Name switch
            {
                "static_rules" => node.Children ?? [],
                "vrrp_instance" => (node.Children ?? []).Where(c => c.Name == "virtual_rules").SelectMany(c => c.Children ?? []),
                _ => [],
            };
            foreach (var rule in rules)
            {
                var words = new[] { rule.Keyword }.Concat(rule.Args).Select(t => t.Text).ToList();
                if (words.Any(w => w is "preference" or "priority" or "order")) continue;
                bool v6 = words.Contains("inet6") || AddressAfter(words, "from") || AddressAfter(words, "to");
                uint n = v6 ? next6-- : next4--;
                diag.Warning("KeepalivedRuleWithoutPreference", rule.File, rule.Line, rule.Keyword.Column, rule.Keyword.Text,
                    $"this rule has no preference; keepalived sets it to {n} (16384 down, per address family, in file order) — probably not what you want. " +
                    "VrrpPS adds it without one, so the kernel chooses. Give it a preference.");
            }
        }
    }

    private static bool AddressAfter(List<string> words, string key)
    {
        int i = words.IndexOf(key);
        return i >= 0 && i + 1 < words.Count && words[i + 1].Contains(':', StringComparison.Ordinal);
    }
}

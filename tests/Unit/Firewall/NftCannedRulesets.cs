namespace VrrpPS.Tests.Firewall;

/// <summary>Canned `nft -j list ruleset` outputs (shape checked against nftables 1.0.6 on Debian 12).</summary>
internal static class NftCannedRulesets
{
    private const string Meta = """{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}""";

    public static string Wrap(params string[] items) => """{"nftables": [""" + string.Join(", ", [Meta, .. items]) + "]}";

    public static string Chain(string family, string table, string name, int handle, string? hook = null, string? policy = null) =>
        "{\"chain\": {\"family\": \"" + family + "\", \"table\": \"" + table + "\", \"name\": \"" + name + "\", \"handle\": " + handle
        + (hook is null ? "" : ", \"type\": \"filter\", \"hook\": \"" + hook + "\", \"prio\": 0, \"policy\": \"" + policy + "\"") + "}}";

    public static string Rule(string family, string table, string chain, int handle, string expr, string? comment = null) =>
        "{\"rule\": {\"family\": \"" + family + "\", \"table\": \"" + table + "\", \"chain\": \"" + chain + "\", \"handle\": " + handle
        + (comment is null ? "" : ", \"comment\": \"" + comment + "\"") + ", \"expr\": [" + expr + "]}}";

    public const string Accept = """{"accept": null}""";
    public const string Drop = """{"drop": null}""";
    public const string Reject = """{"reject": {"type": "icmp", "expr": "port-unreachable"}}""";
    public const string IifLo = """{"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": "lo"}}""";
    public const string TcpDport112 = """{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 112}}""";
    public const string UdpDportSet = """{"match": {"op": "==", "left": {"payload": {"protocol": "udp", "field": "dport"}}, "right": {"set": [53, 112]}}}""";
    public const string TcpDport22 = """{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 22}}""";

    /// <summary>The usual /etc/nftables.conf shape: table inet filter { chain input { … policy drop; } }.</summary>
    public static string InetFilterPolicyDrop(params string[] extraRules) => Wrap([
        """{"table": {"family": "inet", "name": "filter", "handle": 1}}""",
        Chain("inet", "filter", "input", 1, "input", "drop"),
        Chain("inet", "filter", "forward", 2, "forward", "drop"),
        Rule("inet", "filter", "input", 4, IifLo + ", " + Accept),
        .. extraRules]);
}

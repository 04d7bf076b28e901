using System.Globalization;
using VrrpPS.Protocol;

namespace VrrpPS.Engine;

/// <summary>
/// One keepalived virtual_routes line / virtual_rules line in the subset VrrpPS installs through rtnetlink:
/// routes "[to] PREFIX [via GW] [dev IF] [src ADDR] [metric N] [table N] [scope host|link|global]" or
/// "blackhole|unreachable|prohibit PREFIX …"; rules "[from PREFIX] [to PREFIX] table N [priority|preference|pref N]".
/// </summary>
public sealed record VirtualRouteSpec
{
    public bool IsRule { get; init; }
    /// <summary>RTN_UNICAST 1, RTN_BLACKHOLE 6, RTN_UNREACHABLE 7, RTN_PROHIBIT 8.</summary>
    public byte Type { get; init; } = 1;
    public IpAddressValue Destination { get; init; }
    public int DestinationPrefix { get; init; }
    public IpAddressValue From { get; init; }
    public int FromPrefix { get; init; }
    public IpAddressValue Gateway { get; init; }
    public string? Device { get; init; }
    public IpAddressValue PreferredSource { get; init; }
    public uint? Metric { get; init; }
    public uint Table { get; init; } = 254;
    /// <summary>rtnetlink scope; null = global (link when there is no gateway for a unicast route).</summary>
    public byte? Scope { get; init; }
    public bool IsIPv6 => (Destination.IsEmpty ? From : Destination).IsIPv6;
    public string Text { get; init; } = "";

    /// <summary>Parses one line; throws FormatException naming the word it does not support.</summary>
    public static VirtualRouteSpec Parse(string line, bool rule)
    {
        string[] w = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var s = new VirtualRouteSpec { IsRule = rule, Text = line };
        int i = 0;
        if (!rule && w.Length > 0 && w[0] is "blackhole" or "unreachable" or "prohibit")
        {
            s = s with { Type = w[0] switch { "blackhole" => 6, "unreachable" => 7, _ => 8 } };
            i++;
        }
        while (i < w.Length)
        {
            string key = w[i];
            string Next() => i + 1 < w.Length ? w[++i] : throw new FormatException($"'{key}' needs a value in '{line}'.");
            switch (key)
            {
                case "to": s = WithPrefix(s, Next(), dest: true); break;
                case "from" when rule: s = WithPrefix(s, Next(), dest: false); break;
                case "via" when !rule: s = s with { Gateway = IpAddressValue.Parse(Next()) }; break;
                case "dev" when !rule: s = s with { Device = Next() }; break;
                case "src" when !rule: s = s with { PreferredSource = IpAddressValue.Parse(Next()) }; break;
                case "metric" or "priority" or "preference" or "pref": s = s with { Metric = uint.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "table" or "lookup": s = s with { Table = uint.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "scope" when !rule:
                    s = s with { Scope = Next() switch { "host" => 254, "link" => 253, "global" or "universe" => 0, var x => throw new FormatException($"scope '{x}' is not supported in '{line}'.") } };
                    break;
                default:
                    if (!rule && s.Destination.IsEmpty && key.Contains('/') || !rule && s.Destination.IsEmpty && IpAddressValue.TryParse(key, out _))
                    {
                        s = WithPrefix(s, key, dest: true);
                        break;
                    }
                    throw new FormatException($"'{key}' is not supported in '{line}'.");
            }
            i++;
        }
        if (!rule && s.Destination.IsEmpty)
        {
            throw new FormatException($"route '{line}' has no destination.");
        }
        if (rule && s.Destination.IsEmpty && s.From.IsEmpty)
        {
            throw new FormatException($"rule '{line}' has neither from nor to.");
        }
        return s;
    }

    private static VirtualRouteSpec WithPrefix(VirtualRouteSpec s, string text, bool dest)
    {
        string[] p = text.Split('/');
        var a = IpAddressValue.Parse(p[0]);
        int len = p.Length > 1 ? int.Parse(p[1], CultureInfo.InvariantCulture) : a.IsIPv4 ? 32 : 128;
        return dest ? s with { Destination = a, DestinationPrefix = len } : s with { From = a, FromPrefix = len };
    }
}

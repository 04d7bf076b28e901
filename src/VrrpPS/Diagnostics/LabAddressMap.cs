using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using VrrpPS.Config;

namespace VrrpPS.Diagnostics;

/// <summary>
/// Lab safety for Test-VrrpFailover -Lab: only 198.51.100.0/24, 203.0.113.0/24, 198.18.0.0/15,
/// 2001:db8::/32 and link-local addresses may exist in a lab. Every other address of the
/// configs (VIPs, unicast peers, unicast_src_ip, node addresses) is moved, consistently across
/// all files, into 198.18.0.0/15 (keeping its low 17 bits) or 2001:db8::/32 (keeping its low
/// 96 bits); prefixes are narrowed so a VIP's subnet stays inside the lab range.
/// </summary>
public sealed class LabAddressMap
{
    public const int IPv4LabPrefix = 15;
    public const int IPv6LabPrefix = 32;
    private readonly Dictionary<string, string> _map = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<LabAddressMapping> _table = [];

    /// <summary>Rows for every address that was moved, in first-seen order.</summary>
    public IReadOnlyList<LabAddressMapping> Table => _table;

    public static bool IsLabAddress(IPAddress ip)
    {
        byte[] b = ip.GetAddressBytes();
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            return (b[0] == 198 && b[1] == 51 && b[2] == 100) || (b[0] == 203 && b[1] == 0 && b[2] == 113)
                || (b[0] == 198 && (b[1] & 0xfe) == 18) || (b[0] == 169 && b[1] == 254);
        }
        return (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
            || ip.IsIPv6Multicast;
    }

    /// <summary>Marks lab addresses already in the configs so moved ones never collide with them.</summary>
    public void Reserve(string address)
    {
        if (IPAddress.TryParse(address, out var ip) && IsLabAddress(ip))
        {
            _used.Add(ip.ToString());
        }
    }

    /// <summary>The lab address for <paramref name="address"/> (itself when already allowed).</summary>
    public string Map(string address)
    {
        if (!IPAddress.TryParse(address, out var ip))
        {
            throw new ArgumentException($"'{address}' is not an IP address.", nameof(address));
        }
        string key = ip.ToString();
        if (IsLabAddress(ip))
        {
            _used.Add(key);
            return key;
        }
        if (_map.TryGetValue(key, out string? mapped))
        {
            return mapped;
        }
        byte[] b = ip.GetAddressBytes();
        for (int attempt = 0; attempt < 1 << 17; attempt++)
        {
            IPAddress candidate = ip.AddressFamily == AddressFamily.InterNetwork ? MapV4(b, attempt) : MapV6(b, attempt);
            string text = candidate.ToString();
            if (_used.Add(text))
            {
                _map[key] = text;
                _table.Add(new LabAddressMapping { Original = key, Mapped = text });
                return text;
            }
        }
        throw new InvalidOperationException("The lab address range is exhausted.");
    }

    /// <summary>Maps "address/prefix"; a moved address gets a prefix no shorter than the lab range's.</summary>
    public (string Address, int Prefix) MapCidr(string address, int prefix)
    {
        string mapped = Map(address);
        if (string.Equals(mapped, IPAddress.Parse(address).ToString(), StringComparison.OrdinalIgnoreCase))
        {
            return (mapped, prefix);
        }
        int floor = mapped.Contains(':') ? IPv6LabPrefix : IPv4LabPrefix;
        return (mapped, Math.Max(prefix, floor));
    }

    private static IPAddress MapV4(byte[] b, int attempt)
    {
        uint low = ((BinaryPrimitives.ReadUInt32BigEndian(b) & 0x1FFFFu) + (uint)attempt) & 0x1FFFFu;
        uint v = 0xC6120000u | low; // 198.18.0.0/15
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, v);
        return new IPAddress(bytes);
    }

    private static IPAddress MapV6(byte[] b, int attempt)
    {
        var bytes = (byte[])b.Clone();
        bytes[0] = 0x20; bytes[1] = 0x01; bytes[2] = 0x0d; bytes[3] = 0xb8;
        ulong lo = BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(8)) + (ulong)attempt;
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8), lo);
        return new IPAddress(bytes);
    }

    /// <summary>Rewrites every address of an instance in place (VIPs, peers, sources).</summary>
    public void Apply(VrrpInstanceConfig instance)
    {
        if (instance.UnicastSourceAddress is { } src)
        {
            instance.UnicastSourceAddress = Map(src);
        }
        if (instance.MulticastSourceAddress is { } msrc)
        {
            instance.MulticastSourceAddress = Map(msrc);
        }
        foreach (var peer in instance.UnicastPeer)
        {
            peer.Address = Map(peer.Address);
        }
        foreach (var vip in instance.VirtualIPAddress.Concat(instance.VirtualIPAddressExcluded))
        {
            (vip.Address, vip.PrefixLength) = MapCidr(vip.Address, vip.PrefixLength);
            if (vip.Broadcast is { } bc && bc != "-" && bc != "+")
            {
                vip.Broadcast = null; // recomputed by the kernel for the narrowed prefix
            }
            if (vip.Peer is { } p)
            {
                vip.Peer = Map(p);
            }
        }
    }
}

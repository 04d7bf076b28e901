using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace VrrpPS.Protocol;

/// <summary>
/// An IPv4 or IPv6 address as a value (no heap allocation), ordered as an unsigned number in
/// network byte order — the order RFC 5798 §6.4.3 uses to break priority ties ("the higher
/// primary IP address wins").
/// </summary>
public readonly struct IpAddressValue : IEquatable<IpAddressValue>, IComparable<IpAddressValue>
{
    // IPv4 is stored in the low 32 bits of Lo (Hi = 0); IPv6 uses both halves, big-endian.
    private readonly ulong _hi;
    private readonly ulong _lo;

    public AddressFamily Family { get; }

    private IpAddressValue(AddressFamily family, ulong hi, ulong lo)
    {
        Family = family;
        _hi = hi;
        _lo = lo;
    }

    public bool IsIPv4 => Family == AddressFamily.InterNetwork;
    public bool IsIPv6 => Family == AddressFamily.InterNetworkV6;
    public bool IsEmpty => Family == AddressFamily.Unspecified;
    /// <summary>224.0.0.0/4 or ff00::/8.</summary>
    public bool IsMulticast => IsIPv4 ? (_lo & 0xF000_0000) == 0xE000_0000 : IsIPv6 && (_hi >> 56) == 0xFF;
    public int ByteLength => IsIPv4 ? 4 : IsIPv6 ? 16 : 0;

    public static IpAddressValue FromIPv4(uint networkOrderValue) =>
        new(AddressFamily.InterNetwork, 0, networkOrderValue);

    /// <summary>Reads 4 (IPv4) or 16 (IPv6) bytes in network order.</summary>
    public static IpAddressValue FromBytes(ReadOnlySpan<byte> bytes) => bytes.Length switch
    {
        4 => new(AddressFamily.InterNetwork, 0, BinaryPrimitives.ReadUInt32BigEndian(bytes)),
        16 => new(AddressFamily.InterNetworkV6,
            BinaryPrimitives.ReadUInt64BigEndian(bytes),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..])),
        _ => throw new ArgumentException("An IP address is 4 or 16 bytes.", nameof(bytes)),
    };

    public static IpAddressValue FromIPAddress(IPAddress address)
    {
        Span<byte> buf = stackalloc byte[16];
        if (!address.TryWriteBytes(buf, out int written))
        {
            throw new ArgumentException("Address could not be written.", nameof(address));
        }
        return FromBytes(buf[..written]);
    }

    public static IpAddressValue Parse(string text) => FromIPAddress(IPAddress.Parse(text));

    public static bool TryParse(string? text, out IpAddressValue value)
    {
        if (IPAddress.TryParse(text, out IPAddress? ip))
        {
            value = FromIPAddress(ip);
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>Writes the address in network order; returns the number of bytes written.</summary>
    public int WriteBytes(Span<byte> destination)
    {
        if (IsIPv4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)_lo);
            return 4;
        }
        if (IsIPv6)
        {
            BinaryPrimitives.WriteUInt64BigEndian(destination, _hi);
            BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _lo);
            return 16;
        }
        return 0;
    }

    public IPAddress ToIPAddress()
    {
        Span<byte> buf = stackalloc byte[16];
        int n = WriteBytes(buf);
        return n == 0 ? IPAddress.None : new IPAddress(buf[..n]);
    }

    public bool Equals(IpAddressValue other) => Family == other.Family && _hi == other._hi && _lo == other._lo;
    public override bool Equals(object? obj) => obj is IpAddressValue other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(Family, _hi, _lo);

    /// <summary>Unsigned comparison in network byte order (IPv4 sorts before IPv6).</summary>
    public int CompareTo(IpAddressValue other)
    {
        int c = Family.CompareTo(other.Family);
        if (c != 0) return c;
        c = _hi.CompareTo(other._hi);
        return c != 0 ? c : _lo.CompareTo(other._lo);
    }

    public static bool operator ==(IpAddressValue a, IpAddressValue b) => a.Equals(b);
    public static bool operator !=(IpAddressValue a, IpAddressValue b) => !a.Equals(b);
    public static bool operator >(IpAddressValue a, IpAddressValue b) => a.CompareTo(b) > 0;
    public static bool operator <(IpAddressValue a, IpAddressValue b) => a.CompareTo(b) < 0;

    public override string ToString() => IsEmpty ? string.Empty : ToIPAddress().ToString();
}

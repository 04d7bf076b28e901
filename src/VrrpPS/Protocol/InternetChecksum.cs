using System.Buffers.Binary;
using System.Net.Sockets;

namespace VrrpPS.Protocol;

/// <summary>
/// The Internet checksum (RFC 1071): 16-bit one's-complement sum of big-endian words.
/// Span-based and allocation-free. Sums are kept in a 64-bit accumulator and folded at the end.
/// </summary>
public static class InternetChecksum
{
    /// <summary>Adds <paramref name="data"/> as big-endian 16-bit words (odd tail padded with 0).</summary>
    public static ulong Add(ulong sum, ReadOnlySpan<byte> data)
    {
        int i = 0;
        for (; i + 4 <= data.Length; i += 4)
        {
            sum += BinaryPrimitives.ReadUInt32BigEndian(data[i..]);
        }
        for (; i + 2 <= data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }
        if (i < data.Length)
        {
            sum += (ulong)data[i] << 8;
        }
        return sum;
    }

    /// <summary>Folds the carries into 16 bits (the one's-complement sum, not yet inverted).</summary>
    public static ushort Fold(ulong sum)
    {
        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (ushort)sum;
    }

    /// <summary>The checksum field value: the complement of the folded sum.</summary>
    public static ushort Finish(ulong sum) => (ushort)~Fold(sum);

    /// <summary>
    /// Adds an upper-layer pseudo-header: IPv4 (RFC 768 style: src, dst, zero, protocol,
    /// length) or IPv6 (RFC 8200 §8.1: src, dst, 32-bit length, 3 zero bytes, next header).
    /// Both reduce to the same words modulo the one's-complement sum.
    /// </summary>
    public static ulong AddPseudoHeader(ulong sum, IpAddressValue source, IpAddressValue destination,
        byte protocol, int upperLayerLength)
    {
        if (source.Family != destination.Family ||
            (source.Family != AddressFamily.InterNetwork && source.Family != AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException("Pseudo-header needs two addresses of one IP family.", nameof(destination));
        }
        Span<byte> buf = stackalloc byte[16];
        int n = source.WriteBytes(buf);
        sum = Add(sum, buf[..n]);
        n = destination.WriteBytes(buf);
        sum = Add(sum, buf[..n]);
        sum += protocol;
        sum += (uint)upperLayerLength >> 16;
        sum += (uint)upperLayerLength & 0xFFFF;
        return sum;
    }
}

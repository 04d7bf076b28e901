using System.Buffers.Binary;

namespace VrrpPS.Protocol;

/// <summary>
/// Splits what a Linux raw IPv4 socket (protocol 112) returns — the IP header followed by the
/// payload — into the fields a <see cref="PacketContext"/> needs and the VRRP message.
/// (IPv6 raw sockets deliver no header; the hop limit comes from IPV6_RECVHOPLIMIT.)
/// Never throws; false means the datagram is not a well-formed IPv4 VRRP datagram.
/// </summary>
public static class IPv4Datagram
{
    public const int MinHeaderLength = 20;

    public static bool TryRead(ReadOnlySpan<byte> datagram, out IpAddressValue source,
        out IpAddressValue destination, out byte ttl, out ReadOnlySpan<byte> vrrpMessage)
    {
        source = default;
        destination = default;
        ttl = 0;
        vrrpMessage = default;
        if (datagram.Length < MinHeaderLength || datagram[0] >> 4 != 4)
        {
            return false;
        }
        int headerLength = (datagram[0] & 0x0F) * 4; // IHL in 32-bit words (RFC 791 §3.1)
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if (headerLength < MinHeaderLength || totalLength < headerLength || totalLength > datagram.Length ||
            datagram[9] != VrrpConstants.IpProtocolNumber)
        {
            return false;
        }
        ttl = datagram[8];
        source = IpAddressValue.FromBytes(datagram.Slice(12, 4));
        destination = IpAddressValue.FromBytes(datagram.Slice(16, 4));
        // Trailing link-layer padding beyond Total Length is not part of the VRRP message.
        vrrpMessage = datagram[headerLength..totalLength];
        return true;
    }
}

using System.Net.Sockets;

namespace VrrpPS.Protocol;

public static partial class VrrpCodec
{
    /// <summary>
    /// Builds an ADVERTISEMENT into <paramref name="destination"/> and returns its length.
    /// v2 (RFC 3768 §5.1): IPv4 addresses, auth type + 8 bytes of auth data (password or
    /// zeros), interval in whole seconds. v3 (RFC 5798/9568 §5.1): reserved bits 0, 12-bit
    /// interval in centiseconds, addresses of the family of <paramref name="source"/>.
    /// The checksum is computed as <see cref="ComputeChecksum"/> describes; source and
    /// destination are used only for v3's pseudo-header, <paramref name="mode"/> only for v3 IPv4.
    /// Throws <see cref="ArgumentException"/> for values a correct sender never uses (these come
    /// from our own configuration, not from the wire). Allocation-free.
    /// </summary>
    public static int WriteAdvertisement(Span<byte> destination, in AdvertisementFields fields,
        ReadOnlySpan<IpAddressValue> addresses, IpAddressValue source, IpAddressValue destinationAddress,
        V3ChecksumMode mode)
    {
        bool v2 = fields.Version == VrrpVersion.V2;
        if (!v2 && fields.Version != VrrpVersion.V3)
        {
            throw new ArgumentOutOfRangeException(nameof(fields), "Version must be 2 or 3.");
        }
        AddressFamily family = v2 ? AddressFamily.InterNetwork : source.Family;
        if (!v2 && ((!source.IsIPv4 && !source.IsIPv6) || destinationAddress.Family != family))
        {
            throw new ArgumentException("VRRPv3 needs source and destination of one IP family.", nameof(destinationAddress));
        }
        if (addresses.Length > byte.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(addresses), "At most 255 addresses fit in Count IPvX Addrs.");
        }
        if (fields.VirtualRouterId == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(fields), "VRID is 1…255.");
        }
        int length = GetMessageLength(fields.Version, family, addresses.Length);
        if (destination.Length < length)
        {
            throw new ArgumentException($"Buffer too small: {length} bytes needed.", nameof(destination));
        }
        Span<byte> message = destination[..length];
        message[0] = (byte)(((int)fields.Version << 4) | (int)VrrpPacketType.Advertisement);
        message[1] = fields.VirtualRouterId;
        message[2] = fields.Priority;
        message[3] = (byte)addresses.Length;
        WriteIntervalAndAuthType(message, in fields, v2);
        message[6] = 0;
        message[7] = 0;
        int offset = HeaderLength;
        foreach (IpAddressValue address in addresses)
        {
            if (address.Family != family)
            {
                throw new ArgumentException(v2 ? "VRRPv2 carries IPv4 addresses only." :
                    "All addresses must be of the source address family.", nameof(addresses));
            }
            offset += address.WriteBytes(message[offset..]);
        }
        if (v2)
        {
            Span<byte> authData = message.Slice(offset, VrrpPassword.Length);
            if (fields.AuthType == VrrpAuthType.Pass)
            {
                fields.Password.WriteBytes(authData);
            }
            else
            {
                authData.Clear(); // RFC 3768 §5.3.10: zero when no authentication.
            }
        }
        WriteChecksum(message, source, destinationAddress, mode);
        return length;
    }

    private static void WriteIntervalAndAuthType(Span<byte> message, in AdvertisementFields fields, bool v2)
    {
        int interval = fields.AdvertisementIntervalCentiseconds;
        if (v2)
        {
            // RFC 3768 §5.3.7: 8-bit Advertisement Interval in seconds.
            if (interval % 100 != 0 || interval < 100 || interval > VrrpConstants.V2MaxIntervalSeconds * 100)
            {
                throw new ArgumentOutOfRangeException(nameof(fields), "VRRPv2 interval is 1…255 whole seconds.");
            }
            if (fields.AuthType != VrrpAuthType.None && fields.AuthType != VrrpAuthType.Pass)
            {
                throw new NotSupportedException("Only VRRPv2 auth types 0 (none) and 1 (simple password) can be sent.");
            }
            message[4] = (byte)fields.AuthType;
            message[5] = (byte)(interval / 100);
            return;
        }
        // RFC 5798 §5.2.7: 4 reserved bits (0) + 12-bit Max Advertise Interval in centiseconds.
        if (interval < 1 || interval > VrrpConstants.V3MaxIntervalCentiseconds)
        {
            throw new ArgumentOutOfRangeException(nameof(fields), "VRRPv3 interval is 1…4095 centiseconds.");
        }
        if (fields.AuthType != VrrpAuthType.None)
        {
            throw new ArgumentException("VRRPv3 has no authentication (RFC 5798 §9).", nameof(fields));
        }
        message[4] = (byte)(interval >> 8);
        message[5] = (byte)interval;
    }
}

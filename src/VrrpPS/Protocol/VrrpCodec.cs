using System.Buffers.Binary;
using System.Net.Sockets;

namespace VrrpPS.Protocol;

/// <summary>
/// VRRP packet codec: parse/validate (this file) and build (VrrpCodec.Write.cs) VRRPv2
/// (RFC 3768) and VRRPv3 (RFC 5798, RFC 9568) advertisements. Works on the VRRP message only
/// (the IP payload); the IP header fields it needs come in a <see cref="PacketContext"/>.
/// Everything is span-based: no allocation, and no exception for anything read off the wire.
/// </summary>
public static partial class VrrpCodec
{
    /// <summary>Fixed part of both versions: ver/type, VRID, priority, count, 2 bytes, checksum.</summary>
    public const int HeaderLength = 8;

    /// <summary>Largest message: v3, 255 IPv6 addresses.</summary>
    public const int MaxMessageLength = HeaderLength + 255 * 16;

    /// <summary>Exact message length for a version, family and address count.</summary>
    public static int GetMessageLength(VrrpVersion version, AddressFamily family, int addressCount)
    {
        int addressLength = family == AddressFamily.InterNetworkV6 ? 16 : 4;
        return HeaderLength + addressCount * addressLength + (version == VrrpVersion.V2 ? VrrpPassword.Length : 0);
    }

    /// <summary>
    /// Structural checks only — length, version, type, family, length vs count — so the fields can
    /// be read. On success <paramref name="advertisement"/> views <paramref name="message"/>.
    /// Returns TooShort, BadVersion, BadType, WrongAddressFamily, LengthMismatch or Ok.
    /// </summary>
    public static PacketValidation TryRead(ReadOnlySpan<byte> message, AddressFamily family,
        out VrrpAdvertisement advertisement)
    {
        advertisement = default;
        // RFC 3768/5798 §7.1: the packet must be at least as long as the VRRP header.
        if (message.Length < HeaderLength)
        {
            return PacketValidation.TooShort;
        }
        int version = message[0] >> 4;
        if (version != (int)VrrpVersion.V2 && version != (int)VrrpVersion.V3)
        {
            return PacketValidation.BadVersion;
        }
        if ((message[0] & 0x0F) != (int)VrrpPacketType.Advertisement)
        {
            return PacketValidation.BadType;
        }
        bool familyOk = family == AddressFamily.InterNetwork ||
            (family == AddressFamily.InterNetworkV6 && version == (int)VrrpVersion.V3);
        if (!familyOk)
        {
            // VRRPv2 is IPv4-only (RFC 3768 §1); IPv6 needs v3 (RFC 5798 §1).
            return PacketValidation.WrongAddressFamily;
        }
        // The Count IPvX Addrs field must agree with the message length (RFC 5798 §7.1 "MUST
        // verify that the received packet length ... and the count"). The IP layer strips
        // link padding, so the lengths must match exactly.
        if (message.Length != GetMessageLength((VrrpVersion)version, family, message[3]))
        {
            return PacketValidation.LengthMismatch;
        }
        advertisement = new VrrpAdvertisement(message, family);
        return PacketValidation.Ok;
    }

    /// <summary>
    /// Full receive validation (RFC 3768 §7.1, RFC 5798/9568 §7.1) in this order, first failure
    /// wins: length → version (BadVersion, then VersionMismatch against
    /// <see cref="PacketContext.ExpectedVersion"/>) → type → address family → length vs count →
    /// checksum → TTL → interval → address count → authentication (v2 only).
    /// <paramref name="advertisement"/> is readable whenever the structural checks passed, even
    /// if a later check failed (so a watcher can still show a packet with a bad checksum).
    /// </summary>
    public static PacketValidation TryParse(ReadOnlySpan<byte> message, in PacketContext context,
        out VrrpAdvertisement advertisement)
    {
        PacketValidation result = TryRead(message, context.Family, out advertisement);
        if (result == PacketValidation.BadVersion || result == PacketValidation.TooShort)
        {
            return result;
        }
        VrrpVersion version = (VrrpVersion)(message[0] >> 4);
        if (context.ExpectedVersion is { } expected && expected != version)
        {
            advertisement = default;
            return PacketValidation.VersionMismatch;
        }
        if (result != PacketValidation.Ok)
        {
            return result;
        }
        if (!ChecksumMatches(message, in context, version))
        {
            return PacketValidation.BadChecksum;
        }
        if (context.CheckTtl && context.Ttl != VrrpConstants.RequiredTtl)
        {
            return PacketValidation.BadTtl;
        }
        if (advertisement.RawInterval == 0)
        {
            return PacketValidation.ZeroInterval;
        }
        if (advertisement.AddressCount == 0)
        {
            return PacketValidation.NoAddresses;
        }
        return version == VrrpVersion.V2 && context.CheckAuthentication
            ? CheckAuthentication(advertisement, in context)
            : PacketValidation.Ok;
    }

    private static bool ChecksumMatches(ReadOnlySpan<byte> message, in PacketContext context, VrrpVersion version)
    {
        if (version == VrrpVersion.V2)
        {
            return VerifyChecksum(message, default, default, V3ChecksumMode.NoPseudoHeader);
        }
        // v3 checksums cover a pseudo-header: the IP addresses must be of the message's family.
        if (context.Source.Family != context.Family || context.Destination.Family != context.Family)
        {
            return false;
        }
        if (context.Family == AddressFamily.InterNetwork && context.AcceptEitherV3ChecksumMode)
        {
            return DetectV3IPv4ChecksumMode(message, context.Source, context.Destination) is not null;
        }
        return VerifyChecksum(message, context.Source, context.Destination, context.ChecksumMode);
    }

    // RFC 3768 §5.3.6/§7.1: discard when the auth type differs from the configured one, or the
    // simple-text password does not match. AH (type 2) and unknown types are not supported.
    private static PacketValidation CheckAuthentication(VrrpAdvertisement advertisement, in PacketContext context)
    {
        VrrpAuthType received = advertisement.AuthType;
        if (received != VrrpAuthType.None && received != VrrpAuthType.Pass)
        {
            return PacketValidation.UnsupportedAuth;
        }
        if (received != context.ExpectedAuthType)
        {
            return PacketValidation.AuthMismatch;
        }
        if (received == VrrpAuthType.Pass && !context.ExpectedPassword.Matches(advertisement.AuthData))
        {
            return PacketValidation.AuthMismatch;
        }
        return PacketValidation.Ok;
    }

    /// <summary>
    /// The checksum a sender puts in bytes 6–7, computed with that field taken as zero:
    /// v2 — over the VRRP message only (RFC 3768 §5.3.8); v3 IPv6 — with the IPv6 pseudo-header
    /// (RFC 5798 §5.2.8, RFC 8200 §8.1); v3 IPv4 — with the IPv4 pseudo-header for
    /// <see cref="V3ChecksumMode.PseudoHeader"/> (keepalived/FRR default) or without it for
    /// <see cref="V3ChecksumMode.NoPseudoHeader"/> (RFC 9568 text, Cisco, keepalived
    /// <c>v3_checksum_as_v2</c>). The version comes from byte 0; source/destination are
    /// ignored for v2 and must be of one family for v3.
    /// </summary>
    public static ushort ComputeChecksum(ReadOnlySpan<byte> message, IpAddressValue source,
        IpAddressValue destination, V3ChecksumMode mode)
    {
        if (message.Length < HeaderLength)
        {
            throw new ArgumentException("A VRRP message is at least 8 bytes.", nameof(message));
        }
        ulong sum = InternetChecksum.Add(0, message[..6]);
        sum = InternetChecksum.Add(sum, message[HeaderLength..]);
        return InternetChecksum.Finish(AddPseudoHeaderIfAny(sum, message, source, destination, mode));
    }

    /// <summary>
    /// True when the checksum in the message is right for the given mode (see
    /// <see cref="ComputeChecksum"/>). Sums the whole message including the checksum field, so
    /// both one's-complement zeros (0x0000/0xFFFF) are accepted. Never throws for v2; for v3
    /// returns false when source/destination are not both IPv4 or both IPv6.
    /// </summary>
    public static bool VerifyChecksum(ReadOnlySpan<byte> message, IpAddressValue source,
        IpAddressValue destination, V3ChecksumMode mode)
    {
        if (message.Length < HeaderLength)
        {
            return false;
        }
        bool v3 = message[0] >> 4 == (int)VrrpVersion.V3;
        if (v3 && (source.Family != destination.Family || source.IsEmpty))
        {
            return false;
        }
        ulong sum = InternetChecksum.Add(0, message);
        return InternetChecksum.Fold(AddPseudoHeaderIfAny(sum, message, source, destination, mode)) == 0xFFFF;
    }

    /// <summary>
    /// For a v3 IPv4 message: which checksum convention the sender used — PseudoHeader
    /// (keepalived/FRR default), NoPseudoHeader (RFC 9568 text, Cisco, keepalived
    /// <c>v3_checksum_as_v2</c>), or <c>null</c> when neither matches or the message is not
    /// v3 IPv4, PseudoHeaderMulticastGroup (keepalived old_unicast_checksum, unicast only). If several match (rare), the
    /// first of PseudoHeader, NoPseudoHeader, PseudoHeaderMulticastGroup is reported.
    /// </summary>
    public static V3ChecksumMode? DetectV3IPv4ChecksumMode(ReadOnlySpan<byte> message,
        IpAddressValue source, IpAddressValue destination)
    {
        if (message.Length < HeaderLength || message[0] >> 4 != (int)VrrpVersion.V3 ||
            !source.IsIPv4 || !destination.IsIPv4)
        {
            return null;
        }
        if (VerifyChecksum(message, source, destination, V3ChecksumMode.PseudoHeader))
        {
            return V3ChecksumMode.PseudoHeader;
        }
        if (VerifyChecksum(message, source, destination, V3ChecksumMode.NoPseudoHeader))
        {
            return V3ChecksumMode.NoPseudoHeader;
        }
        return VerifyChecksum(message, source, destination, V3ChecksumMode.PseudoHeaderMulticastGroup)
            ? V3ChecksumMode.PseudoHeaderMulticastGroup
            : null;
    }

    private static readonly IpAddressValue OldUnicastChecksumDestination = IpAddressValue.Parse(VrrpConstants.MulticastGroupIPv4);

    private static ulong AddPseudoHeaderIfAny(ulong sum, ReadOnlySpan<byte> message,
        IpAddressValue source, IpAddressValue destination, V3ChecksumMode mode)
    {
        if (message[0] >> 4 != (int)VrrpVersion.V3)
        {
            return sum; // v2: the VRRP message only.
        }
        if (source.IsIPv4 && mode == V3ChecksumMode.NoPseudoHeader)
        {
            return sum;
        }
        if (source.IsIPv4 && mode == V3ChecksumMode.PseudoHeaderMulticastGroup)
        {
            destination = OldUnicastChecksumDestination; // keepalived vrrp.c: ipv4_phdr.dst = vrrp_mcast_group4 in compat mode
        }
        return InternetChecksum.AddPseudoHeader(sum, source, destination,
            VrrpConstants.IpProtocolNumber, message.Length);
    }

    private static void WriteChecksum(Span<byte> message, IpAddressValue source,
        IpAddressValue destination, V3ChecksumMode mode) =>
        BinaryPrimitives.WriteUInt16BigEndian(message[6..], ComputeChecksum(message, source, destination, mode));
}

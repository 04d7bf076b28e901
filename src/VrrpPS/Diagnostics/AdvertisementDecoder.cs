using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using VrrpPS.Engine;
using VrrpPS.Protocol;

namespace VrrpPS.Diagnostics;

/// <summary>
/// Turns one received VRRP message into a <see cref="VrrpAdvertisementRecord"/>, as a passive
/// observer: any version is accepted, both v3 IPv4 checksum conventions are tried, and
/// authentication is reported rather than checked (RFC 3768 §7.1 needs a local password).
/// </summary>
public static class AdvertisementDecoder
{
    public static VrrpAdvertisementRecord Decode(ReadOnlySpan<byte> message, in ReceivedDatagram datagram,
        string interfaceName, DateTime time, bool showSecret)
    {
        var family = datagram.Source.IsIPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        var record = new VrrpAdvertisementRecord
        {
            Time = time,
            Interface = interfaceName,
            Source = datagram.Source.ToString(),
            Destination = datagram.Destination.IsEmpty ? string.Empty : datagram.Destination.ToString(),
            Family = family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4",
            Ttl = datagram.Ttl,
        };
        var context = new PacketContext(datagram.Source, datagram.Destination, datagram.Ttl)
        {
            Family = family,
            ExpectedVersion = null,
            AcceptEitherV3ChecksumMode = true,
            CheckAuthentication = false,
        };
        PacketValidation result = VrrpCodec.TryParse(message, in context, out VrrpAdvertisement adv);
        record.Valid = result == PacketValidation.Ok;
        record.Reason = result.ToString();
        if (adv.IsEmpty)
        {
            // Structurally unreadable: report what the first bytes say.
            record.Version = message.Length > 0 ? message[0] >> 4 : 0;
            record.VirtualRouterId = message.Length > 1 ? message[1] : 0;
            record.Priority = message.Length > 2 ? message[2] : 0;
            return record;
        }
        record.Version = (int)adv.Version;
        record.VirtualRouterId = adv.VirtualRouterId;
        record.Priority = adv.Priority;
        record.AdvertisementInterval = adv.AdvertisementInterval;
        var addresses = new string[adv.AddressCount];
        for (int i = 0; i < addresses.Length; i++)
        {
            addresses[i] = adv.GetAddress(i).ToString();
        }
        record.Addresses = addresses;
        record.AuthType = adv.AuthType;
        FillChecksum(record, message, datagram, family, adv.Version);
        if (adv.AuthType == VrrpAuthType.Pass)
        {
            ReadOnlySpan<byte> auth = adv.AuthData;
            record.HasPassword = true;
            record.PasswordKey = BinaryPrimitives.ReadUInt64BigEndian(auth);
            if (showSecret)
            {
                int len = auth.IndexOf((byte)0);
                record.Password = Encoding.UTF8.GetString(len < 0 ? auth : auth[..len]);
            }
        }
        return record;
    }

    private static void FillChecksum(VrrpAdvertisementRecord record, ReadOnlySpan<byte> message,
        in ReceivedDatagram d, AddressFamily family, VrrpVersion version)
    {
        if (version == VrrpVersion.V2)
        {
            record.ChecksumValid = VrrpCodec.VerifyChecksum(message, default, default, V3ChecksumMode.NoPseudoHeader);
            return;
        }
        if (family == AddressFamily.InterNetwork)
        {
            record.ChecksumMode = VrrpCodec.DetectV3IPv4ChecksumMode(message, d.Source, d.Destination);
            record.ChecksumValid = record.ChecksumMode is not null;
            return;
        }
        record.ChecksumValid = VrrpCodec.VerifyChecksum(message, d.Source, d.Destination, V3ChecksumMode.PseudoHeader);
        record.ChecksumMode = record.ChecksumValid ? V3ChecksumMode.PseudoHeader : null;
    }
}

using CsCheck;
using VrrpPS.Protocol;
using Xunit;

namespace VrrpPS.Tests.Protocol;

/// <summary>
/// Property tests (CsCheck): wire input never makes the decoder throw, any built advert parses
/// back to its fields, and a single flipped bit is always caught (RFC 1071: the Internet
/// checksum detects every single-bit error).
/// </summary>
public class FuzzTests
{
    private static readonly IpAddressValue[] Sources =
    [
        IpAddressValue.Parse("198.51.100.2"), IpAddressValue.Parse("224.0.0.18"),
        IpAddressValue.Parse("fe80::1"), IpAddressValue.Parse("ff02::12"), default,
    ];

    private static readonly Gen<PacketContext> GenContext =
        Gen.Select(Gen.Int[0, Sources.Length - 1], Gen.Int[0, Sources.Length - 1], Gen.Byte, Gen.Bool, Gen.Int[0, 2],
            Gen.Int[0, 3], Gen.Bool)
        .Select((s, d, ttl, either, ver, auth, checkAuth) => new PacketContext(Sources[s], Sources[d], ttl)
        {
            ExpectedVersion = ver == 0 ? null : ver == 1 ? VrrpVersion.V2 : VrrpVersion.V3,
            AcceptEitherV3ChecksumMode = either,
            ExpectedAuthType = (VrrpAuthType)auth,
            CheckAuthentication = checkAuth,
            ChecksumMode = ttl % 2 == 0 ? V3ChecksumMode.PseudoHeader : V3ChecksumMode.NoPseudoHeader,
        });

    // Random bytes, biased so that many start with a plausible ver/type byte and count.
    private static readonly Gen<byte[]> GenBytes =
        Gen.Select(Gen.Byte.Array[0, 120], Gen.OneOf<byte>(0x21, 0x31, 0x22, 0x00), Gen.Bool)
        .Select((b, first, fix) =>
        {
            if (fix && b.Length > 0) b[0] = first;
            return b;
        });

    [Fact]
    public void RandomBytesNeverThrow()
    {
        Gen.Select(GenBytes, GenContext).Sample((bytes, ctx) =>
        {
            PacketValidation r = VrrpCodec.TryParse(bytes, ctx, out VrrpAdvertisement adv);
            Assert.True(Enum.IsDefined(r));
            if (!adv.IsEmpty)
            {
                // Every field of a readable advert can be read.
                _ = (adv.Version, adv.Type, adv.VirtualRouterId, adv.Priority, adv.AuthType, adv.Reserved,
                    adv.AdvertisementIntervalCentiseconds, adv.Checksum, adv.AuthData.Length, adv.AddressBytes.Length);
                for (int i = 0; i < adv.AddressCount; i++) _ = adv.GetAddress(i);
            }
            _ = VrrpCodec.DetectV3IPv4ChecksumMode(bytes, ctx.Source, ctx.Destination);
            _ = VrrpCodec.VerifyChecksum(bytes, ctx.Source, ctx.Destination, ctx.ChecksumMode);
            if (IPv4Datagram.TryRead(bytes, out _, out _, out _, out ReadOnlySpan<byte> payload))
            {
                Assert.True(payload.Length <= bytes.Length - IPv4Datagram.MinHeaderLength);
            }
            return true;
        }, iter: 5000);
    }

    private static readonly Gen<(AdvertisementFields Fields, IpAddressValue[] Vips, bool V6)> GenAdvert =
        Gen.Select(Gen.Bool, Gen.Bool, Gen.Byte[1, 255], Gen.Byte, Gen.Int[1, 4095], Gen.String[Gen.Char.AlphaNumeric, 0, 12],
            Gen.UInt.Array[0, 20])
        .Select((v3, v6, vrid, prio, interval, pass, raw) =>
        {
            bool ipv6 = v3 && v6;
            var fields = new AdvertisementFields
            {
                Version = v3 ? VrrpVersion.V3 : VrrpVersion.V2,
                VirtualRouterId = vrid,
                Priority = prio,
                AdvertisementIntervalCentiseconds = v3 ? interval : (interval % 255 + 1) * 100,
                AuthType = !v3 && pass.Length > 0 ? VrrpAuthType.Pass : VrrpAuthType.None,
                Password = VrrpPassword.FromString(pass),
            };
            IpAddressValue[] vips = raw.Select(u => ipv6
                ? IpAddressValue.Parse($"2001:db8::{u >> 16:x}:{u & 0xFFFF:x}")
                : IpAddressValue.FromIPv4(u)).ToArray();
            return (fields, vips, ipv6);
        });

    [Fact]
    public void EveryBuiltAdvertParsesBackToItsFields_AndEverySingleBitFlipIsRejected()
    {
        GenAdvert.Sample(t =>
        {
            (AdvertisementFields f, IpAddressValue[] vips, bool v6) = t;
            IpAddressValue src = IpAddressValue.Parse(v6 ? "fe80::1" : "198.51.100.2");
            IpAddressValue dst = IpAddressValue.Parse(v6 ? "ff02::12" : "224.0.0.18");
            byte[] buf = new byte[VrrpCodec.MaxMessageLength];
            int n = VrrpCodec.WriteAdvertisement(buf, f, vips, src, dst, V3ChecksumMode.PseudoHeader);
            byte[] m = buf[..n];
            var ctx = new PacketContext(src, dst, 255) { ExpectedAuthType = f.AuthType, ExpectedPassword = f.Password };
            PacketValidation expected = vips.Length == 0 ? PacketValidation.NoAddresses : PacketValidation.Ok;
            Assert.Equal(expected, VrrpCodec.TryParse(m, ctx, out var adv));
            Assert.Equal((f.Version, f.VirtualRouterId, f.Priority, f.AdvertisementIntervalCentiseconds, vips.Length),
                (adv.Version, adv.VirtualRouterId, adv.Priority, adv.AdvertisementIntervalCentiseconds, adv.AddressCount));
            for (int i = 0; i < vips.Length; i++) Assert.Equal(vips[i], adv.GetAddress(i));

            for (int bit = 0; bit < m.Length * 8; bit++)
            {
                m[bit / 8] ^= (byte)(1 << (bit % 8));
                Assert.NotEqual(PacketValidation.Ok, VrrpCodec.TryParse(m, ctx, out _));
                m[bit / 8] ^= (byte)(1 << (bit % 8));
            }
        }, iter: 300);
    }
}

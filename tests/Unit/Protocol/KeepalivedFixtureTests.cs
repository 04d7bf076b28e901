using VrrpPS.Protocol;
using Xunit;

namespace VrrpPS.Tests.Protocol;

/// <summary>
/// Bytes sent by real keepalived 2.2.7 (captured by Fixtures/capture.sh, see Fixtures/README.md):
/// our decoder must accept them with the right fields, and our encoder must reproduce them
/// byte for byte from those fields — interop in both directions without a network.
/// </summary>
public class KeepalivedFixtureTests
{
    private static PacketContext ContextFor(CapturedPacket p) =>
        new(IpAddressValue.Parse(p.Source), IpAddressValue.Parse(p.Destination), p.Ttl);

    private static byte[] Rebuild(VrrpAdvertisement adv, CapturedPacket p, V3ChecksumMode mode, VrrpPassword password)
    {
        var fields = new AdvertisementFields
        {
            Version = adv.Version, VirtualRouterId = adv.VirtualRouterId, Priority = adv.Priority,
            AdvertisementIntervalCentiseconds = adv.AdvertisementIntervalCentiseconds,
            AuthType = adv.AuthType, Password = password,
        };
        var vips = new IpAddressValue[adv.AddressCount];
        for (int i = 0; i < vips.Length; i++) vips[i] = adv.GetAddress(i);
        byte[] buf = new byte[VrrpCodec.MaxMessageLength];
        int n = VrrpCodec.WriteAdvertisement(buf, fields, vips, IpAddressValue.Parse(p.Source),
            IpAddressValue.Parse(p.Destination), mode);
        return buf[..n];
    }

    [Fact]
    public void KeepalivedV2PassAdvertIsAcceptedWithTruncatedPassword_Rfc3768_5_3_10()
    {
        // keepalived.conf says auth_pass "secret123"; keepalived sends only the first 8 bytes.
        VrrpPassword password = VrrpPassword.FromString("secret123");
        var packets = CapturedPacket.Load("keepalived-v2-pass");
        Assert.NotEmpty(packets);
        foreach (CapturedPacket p in packets)
        {
            var ctx = ContextFor(p) with { ExpectedAuthType = VrrpAuthType.Pass, ExpectedPassword = password };
            Assert.Equal(PacketValidation.Ok, VrrpCodec.TryParse(p.Message, ctx, out var adv));
            Assert.Equal(VrrpVersion.V2, adv.Version);
            Assert.Equal(51, adv.VirtualRouterId);
            Assert.Equal(150, adv.Priority);
            Assert.Equal(100, adv.AdvertisementIntervalCentiseconds);
            Assert.Equal(VrrpAuthType.Pass, adv.AuthType);
            Assert.Equal("secret12"u8.ToArray(), adv.AuthData.ToArray());
            Assert.Equal(IpAddressValue.Parse("198.51.100.10"), adv.GetAddress(0));
            Assert.Equal(IpAddressValue.Parse("198.51.100.11"), adv.GetAddress(1));
            Assert.Equal(p.Message, Rebuild(adv, p, V3ChecksumMode.PseudoHeader, password));

            var wrong = ctx with { ExpectedPassword = VrrpPassword.FromString("secret13") };
            Assert.Equal(PacketValidation.AuthMismatch, VrrpCodec.TryParse(p.Message, wrong, out _));
        }
    }

    [Theory]
    [InlineData("keepalived-v3-ipv4", 52, 120, 50, 3)]
    [InlineData("keepalived-v3-ipv4-unicast", 53, 110, 25, 1)]
    public void KeepalivedV3IPv4AdvertUsesThePseudoHeaderChecksum(string fixture, int vrid, int prio, int centis, int count)
    {
        // keepalived (and FRR) include the IPv4 pseudo-header in the v3 checksum (RFC 5798 §5.2.8
        // read as for IPv6); the unicast case shows the real destination is in it, not 224.0.0.18.
        var packets = CapturedPacket.Load(fixture);
        Assert.NotEmpty(packets);
        foreach (CapturedPacket p in packets)
        {
            PacketContext ctx = ContextFor(p);
            Assert.Equal(PacketValidation.Ok, VrrpCodec.TryParse(p.Message, ctx, out var adv));
            Assert.Equal(VrrpVersion.V3, adv.Version);
            Assert.Equal(vrid, adv.VirtualRouterId);
            Assert.Equal(prio, adv.Priority);
            Assert.Equal(centis, adv.AdvertisementIntervalCentiseconds);
            Assert.Equal(count, adv.AddressCount);
            if (fixture.EndsWith("unicast"))
            {
                Assert.Equal("198.51.100.2", p.Destination);
                Assert.False(VrrpCodec.VerifyChecksum(p.Message, ctx.Source, IpAddressValue.Parse("224.0.0.18"),
                    V3ChecksumMode.PseudoHeader));
            }
            Assert.Equal(V3ChecksumMode.PseudoHeader, VrrpCodec.DetectV3IPv4ChecksumMode(p.Message, ctx.Source, ctx.Destination));
            Assert.Equal(PacketValidation.BadChecksum,
                VrrpCodec.TryParse(p.Message, ctx with { ChecksumMode = V3ChecksumMode.NoPseudoHeader }, out _));
            Assert.Equal(p.Message, Rebuild(adv, p, V3ChecksumMode.PseudoHeader, default));
        }
    }

    [Fact]
    public void KeepalivedV3IPv4AddressesAreTheConfiguredVips()
    {
        CapturedPacket p = CapturedPacket.Load("keepalived-v3-ipv4")[0];
        Assert.Equal(PacketValidation.Ok, VrrpCodec.TryParse(p.Message, ContextFor(p), out var adv));
        Assert.Equal(IpAddressValue.Parse("198.51.100.20"), adv.GetAddress(0));
        Assert.Equal(IpAddressValue.Parse("198.51.100.21"), adv.GetAddress(1));
        Assert.Equal(IpAddressValue.Parse("198.51.100.22"), adv.GetAddress(2));
    }

    [Fact]
    public void KeepalivedV3IPv6AdvertUsesTheIPv6PseudoHeader_Rfc5798_5_2_8()
    {
        var packets = CapturedPacket.Load("keepalived-v3-ipv6");
        Assert.NotEmpty(packets);
        foreach (CapturedPacket p in packets)
        {
            PacketContext ctx = ContextFor(p);
            Assert.True(ctx.Source.IsIPv6);
            Assert.Equal(PacketValidation.Ok, VrrpCodec.TryParse(p.Message, ctx, out var adv));
            Assert.Equal(54, adv.VirtualRouterId);
            Assert.Equal(200, adv.Priority);
            Assert.Equal(30, adv.AdvertisementIntervalCentiseconds);
            Assert.Equal(IpAddressValue.Parse("2001:db8::10"), adv.GetAddress(0));
            Assert.Equal(IpAddressValue.Parse("2001:db8::11"), adv.GetAddress(1));
            Assert.Equal(p.Message, Rebuild(adv, p, V3ChecksumMode.NoPseudoHeader, default));
            // A different source changes the pseudo-header, so the same bytes must fail.
            var other = ctx with { Source = IpAddressValue.Parse("fe80::99") };
            Assert.Equal(PacketValidation.BadChecksum, VrrpCodec.TryParse(p.Message, other, out _));
        }
    }
}

using System.Net.Sockets;
using VrrpPS.Protocol;
using Xunit;

namespace VrrpPS.Tests.Protocol;

/// <summary>Build → parse round trips for each version/family/checksum convention.</summary>
public class RoundTripTests
{
    private static readonly IpAddressValue Src4 = IpAddressValue.Parse("198.51.100.2");
    private static readonly IpAddressValue Group4 = IpAddressValue.Parse("224.0.0.18");
    private static readonly IpAddressValue Src6 = IpAddressValue.Parse("fe80::1");
    private static readonly IpAddressValue Group6 = IpAddressValue.Parse("ff02::12");

    private static byte[] Build(AdvertisementFields f, IpAddressValue[] vips, IpAddressValue src, IpAddressValue dst,
        V3ChecksumMode mode = V3ChecksumMode.PseudoHeader)
    {
        byte[] buf = new byte[VrrpCodec.MaxMessageLength];
        int n = VrrpCodec.WriteAdvertisement(buf, f, vips, src, dst, mode);
        return buf[..n];
    }

    [Fact]
    public void V2WithSimplePasswordRoundTrips_Rfc3768_5_3_6()
    {
        var f = new AdvertisementFields
        {
            Version = VrrpVersion.V2, VirtualRouterId = 42, Priority = 254, AdvertisementIntervalCentiseconds = 300,
            AuthType = VrrpAuthType.Pass, Password = VrrpPassword.FromString("s3cr3t"),
        };
        IpAddressValue[] vips = [IpAddressValue.Parse("198.51.100.10"), IpAddressValue.Parse("203.0.113.5")];
        byte[] m = Build(f, vips, Src4, Group4);
        Assert.Equal(VrrpCodec.GetMessageLength(VrrpVersion.V2, AddressFamily.InterNetwork, 2), m.Length);
        var ctx = new PacketContext(Src4, Group4, 255) { ExpectedAuthType = VrrpAuthType.Pass, ExpectedPassword = f.Password };
        Assert.Equal(PacketValidation.Ok, VrrpCodec.TryParse(m, ctx, out var adv));
        Assert.Equal((42, 254, 300, 3), (adv.VirtualRouterId, adv.Priority, adv.AdvertisementIntervalCentiseconds, adv.RawInterval));
        Assert.Equal(vips, new[] { adv.GetAddress(0), adv.GetAddress(1) });
        Assert.Equal("s3cr3t\0\0"u8.ToArray(), adv.AuthData.ToArray()); // zero-padded like keepalived
    }

    [Fact]
    public void V2WithoutAuthSendsZeroAuthData_Rfc3768_5_3_10()
    {
        var f = new AdvertisementFields
        {
            Version = VrrpVersion.V2, VirtualRouterId = 1, Priority = 0, AdvertisementIntervalCentiseconds = 100,
            Password = VrrpPassword.FromString("ignored"),
        };
        byte[] m = Build(f, [IpAddressValue.Parse("198.51.100.10")], default, default);
        Assert.Equal(PacketValidation.Ok, VrrpCodec.TryParse(m, new PacketContext(Src4, Group4, 255), out var adv));
        Assert.Equal(VrrpAuthType.None, adv.AuthType);
        Assert.Equal(new byte[8], adv.AuthData.ToArray());
        Assert.Equal(0, adv.Priority); // priority 0 = release (RFC 3768 §5.3.4)
    }

    [Theory]
    [InlineData(V3ChecksumMode.PseudoHeader, V3ChecksumMode.NoPseudoHeader)]
    [InlineData(V3ChecksumMode.NoPseudoHeader, V3ChecksumMode.PseudoHeader)]
    public void V3IPv4RoundTripsInEachChecksumModeAndFailsInTheOther(V3ChecksumMode mode, V3ChecksumMode other)
    {
        var f = new AdvertisementFields { Version = VrrpVersion.V3, VirtualRouterId = 200, Priority = 100, AdvertisementIntervalCentiseconds = 1 };
        IpAddressValue[] vips = [IpAddressValue.Parse("198.51.100.10"), IpAddressValue.Parse("198.51.100.11"), IpAddressValue.Parse("198.18.0.1")];
        byte[] m = Build(f, vips, Src4, Group4, mode);
        var ctx = new PacketContext(Src4, Group4, 255) { ChecksumMode = mode, ExpectedVersion = VrrpVersion.V3 };
        Assert.Equal(PacketValidation.Ok, VrrpCodec.TryParse(m, ctx, out var adv));
        Assert.Equal(1, adv.AdvertisementIntervalCentiseconds); // 10 ms, the v3 minimum
        Assert.Equal(vips, new[] { adv.GetAddress(0), adv.GetAddress(1), adv.GetAddress(2) });
        Assert.Equal(PacketValidation.BadChecksum, VrrpCodec.TryParse(m, ctx with { ChecksumMode = other }, out _));
        Assert.Equal(mode, VrrpCodec.DetectV3IPv4ChecksumMode(m, Src4, Group4));
    }

    [Fact]
    public void V3IPv6WithManyAddressesRoundTrips_Rfc5798_5_2_9()
    {
        var f = new AdvertisementFields { Version = VrrpVersion.V3, VirtualRouterId = 9, Priority = 255, AdvertisementIntervalCentiseconds = 4095 };
        IpAddressValue[] vips = Enumerable.Range(1, 255).Select(i => IpAddressValue.Parse($"2001:db8::{i:x}")).ToArray();
        byte[] m = Build(f, vips, Src6, Group6);
        Assert.Equal(VrrpCodec.MaxMessageLength, m.Length);
        Assert.Equal(PacketValidation.Ok, VrrpCodec.TryParse(m, new PacketContext(Src6, Group6, 255), out var adv));
        Assert.Equal(255, adv.AddressCount);
        for (int i = 0; i < vips.Length; i++) Assert.Equal(vips[i], adv.GetAddress(i));
        Assert.Equal(TimeSpan.FromMilliseconds(40950), adv.AdvertisementInterval);
        Assert.Throws<ArgumentOutOfRangeException>(() => IndexBeyondCount(m));
    }

    private static IpAddressValue IndexBeyondCount(byte[] m)
    {
        VrrpCodec.TryRead(m, AddressFamily.InterNetworkV6, out var adv);
        return adv.GetAddress(adv.AddressCount);
    }

    [Fact]
    public void WriterRejectsValuesNoCorrectSenderUses()
    {
        var v2 = new AdvertisementFields { Version = VrrpVersion.V2, VirtualRouterId = 1, Priority = 100, AdvertisementIntervalCentiseconds = 100 };
        var v3 = v2 with { Version = VrrpVersion.V3 };
        IpAddressValue[] one4 = [IpAddressValue.Parse("198.51.100.10")];
        Assert.Throws<ArgumentException>(() => Build(v2, [IpAddressValue.Parse("2001:db8::1")], Src4, Group4)); // v2 is IPv4 only
        Assert.Throws<ArgumentOutOfRangeException>(() => Build(v2 with { AdvertisementIntervalCentiseconds = 50 }, one4, Src4, Group4));
        Assert.Throws<ArgumentOutOfRangeException>(() => Build(v3 with { AdvertisementIntervalCentiseconds = 4096 }, one4, Src4, Group4));
        Assert.Throws<ArgumentOutOfRangeException>(() => Build(v3 with { VirtualRouterId = 0 }, one4, Src4, Group4));
        Assert.Throws<ArgumentException>(() => Build(v3 with { AuthType = VrrpAuthType.Pass }, one4, Src4, Group4));
        Assert.Throws<NotSupportedException>(() => Build(v2 with { AuthType = VrrpAuthType.Ah }, one4, Src4, Group4));
        Assert.Throws<ArgumentException>(() => Build(v3, one4, Src6, Group6)); // IPv4 VIP in an IPv6 advert
        Assert.Throws<ArgumentException>(() => Build(v3, one4, Src4, Group6));
        Assert.Throws<ArgumentException>(() => VrrpCodec.WriteAdvertisement(new byte[19], v2, one4, Src4, Group4, default));
        Assert.Equal(20, VrrpCodec.WriteAdvertisement(new byte[20], v2, one4, Src4, Group4, default));
    }

    [Fact]
    public void PasswordIsTruncatedAndZeroPaddedToEightBytesLikeKeepalived()
    {
        Assert.Equal(VrrpPassword.FromString("secret12"), VrrpPassword.FromString("secret123456"));
        Assert.NotEqual(VrrpPassword.FromString("secret1"), VrrpPassword.FromString("secret12"));
        Span<byte> b = stackalloc byte[8];
        VrrpPassword.FromString("ab").WriteBytes(b);
        Assert.Equal("ab\0\0\0\0\0\0"u8.ToArray(), b.ToArray());
        Assert.Equal(VrrpPassword.FromBytes("ab"u8), VrrpPassword.FromString("ab"));
        Assert.True(VrrpPassword.FromString("").IsEmpty);
        Assert.DoesNotContain("ab", VrrpPassword.FromString("ab").ToString());
    }
}

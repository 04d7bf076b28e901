using VrrpPS.Protocol;
using Xunit;
using static VrrpPS.Tests.Protocol.NaiveChecksum;

namespace VrrpPS.Tests.Protocol;

/// <summary>Raw IPv4 socket input: RFC 791 header + VRRP message (RFC 3768 §5.2 / RFC 5798 §5.1.1).</summary>
public class IPv4DatagramTests
{
    // keepalived-v3-ipv4 capture with an IPv4 header in front: IHL 5, total 40, TTL 255, proto 112,
    // 198.51.100.1 → 224.0.0.18; followed by 2 bytes of link padding.
    private const string Datagram = "45 C0 00 28 00 00 40 00 FF 70 00 00 C6 33 64 01 E0 00 00 12" +
        "31 34 78 03 00 32 CC EE C6 33 64 14 C6 33 64 15 C6 33 64 16" + "00 00";

    [Fact]
    public void HeaderFieldsAndPayloadAreSplitForTheCodec_Rfc5798_5_1_1()
    {
        byte[] d = Hex(Datagram);
        Assert.True(IPv4Datagram.TryRead(d, out var src, out var dst, out byte ttl, out var msg));
        Assert.Equal(IpAddressValue.Parse("198.51.100.1"), src);
        Assert.Equal(IpAddressValue.Parse("224.0.0.18"), dst);
        Assert.Equal(255, ttl);
        Assert.Equal(20, msg.Length); // padding dropped via Total Length
        Assert.Equal(PacketValidation.Ok, VrrpCodec.TryParse(msg, new PacketContext(src, dst, ttl), out var adv));
        Assert.Equal(52, adv.VirtualRouterId);
    }

    [Fact]
    public void OptionsAreSkippedUsingIhl_Rfc791_3_1()
    {
        byte[] d = Hex(Datagram);
        // IHL 6 with a 4-byte option (router alert) inserted, total length 44.
        byte[] withOption = [0x46, .. d[1..2], 0x00, 0x2C, .. d[4..20], 0x94, 0x04, 0x00, 0x00, .. d[20..40]];
        Assert.True(IPv4Datagram.TryRead(withOption, out _, out _, out _, out var msg));
        Assert.Equal(d[20..40], msg.ToArray());
    }

    [Theory]
    [InlineData(0, 0x65)] // version 6
    [InlineData(0, 0x44)] // IHL 4 < 5
    [InlineData(9, 0x11)] // protocol UDP, not 112
    [InlineData(2, 0x01)] // total length 0x0128 > datagram
    [InlineData(3, 0x10)] // total length 16 < header
    public void MalformedHeadersAreRejectedWithoutThrowing(int index, byte value)
    {
        byte[] d = Hex(Datagram);
        d[index] = value;
        Assert.False(IPv4Datagram.TryRead(d, out _, out _, out _, out var msg));
        Assert.True(msg.IsEmpty);
        Assert.False(IPv4Datagram.TryRead(d.AsSpan(0, 19), out _, out _, out _, out _));
    }
}

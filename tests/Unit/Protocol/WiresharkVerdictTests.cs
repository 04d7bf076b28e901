using VrrpPS.Protocol;
using Xunit;

namespace VrrpPS.Tests.Protocol;

/// <summary>
/// Our checksum verdicts must agree with Wireshark's VRRP dissector, recorded by capture.sh in
/// Fixtures/wireshark-known-answers.txt for the KnownAnswerTests vectors with both settings of
/// its <c>vrrp.v3_checksum_as_in_v2</c> preference. keepalived 2.2.7 cannot send the RFC 9568 /
/// Cisco (no pseudo-header) v3 IPv4 checksum, so this is the independent check of that mode.
/// </summary>
public class WiresharkVerdictTests
{
    [Fact]
    public void ChecksumVerdictsAgreeWithWiresharkInBothV3Conventions()
    {
        var packets = CapturedPacket.Load("wireshark-known-answers");
        Assert.Equal(4, packets.Count);
        int sawNoPseudo = 0;
        foreach (CapturedPacket p in packets)
        {
            IpAddressValue src = IpAddressValue.Parse(p.Source), dst = IpAddressValue.Parse(p.Destination);
            bool wiresharkDefault = p.Extra[0] == "1", wiresharkAsV2 = p.Extra[1] == "1";
            bool isV3IPv4 = p.Message[0] >> 4 == 3 && src.IsIPv4;
            // Wireshark's default = pseudo-header for v3 (both families); "as in v2" drops it for IPv4 only.
            Assert.Equal(wiresharkDefault, VrrpCodec.VerifyChecksum(p.Message, src, dst, V3ChecksumMode.PseudoHeader));
            Assert.Equal(wiresharkAsV2, VrrpCodec.VerifyChecksum(p.Message, src, dst, V3ChecksumMode.NoPseudoHeader));
            if (isV3IPv4)
            {
                V3ChecksumMode? expected = wiresharkDefault ? V3ChecksumMode.PseudoHeader
                    : wiresharkAsV2 ? V3ChecksumMode.NoPseudoHeader : null;
                Assert.Equal(expected, VrrpCodec.DetectV3IPv4ChecksumMode(p.Message, src, dst));
                if (expected == V3ChecksumMode.NoPseudoHeader) sawNoPseudo++;
            }
            var ctx = new PacketContext(src, dst, p.Ttl) { AcceptEitherV3ChecksumMode = true, CheckAuthentication = false };
            Assert.Equal(PacketValidation.Ok, VrrpCodec.TryParse(p.Message, ctx, out _));
        }
        Assert.Equal(1, sawNoPseudo);
    }
}

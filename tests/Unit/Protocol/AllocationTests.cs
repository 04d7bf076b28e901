using VrrpPS.Protocol;
using Xunit;

namespace VrrpPS.Tests.Protocol;

/// <summary>
/// DESIGN.md §4: no allocation per advert in steady state, so GC cannot delay an advert sent
/// every 10 ms. Build + parse + checksum detection of 10 000 packets must allocate 0 bytes.
/// </summary>
public class AllocationTests
{
    [Fact]
    public void BuildingAndParsingTenThousandAdvertsAllocatesNothing()
    {
        IpAddressValue src4 = IpAddressValue.Parse("198.51.100.2"), group4 = IpAddressValue.Parse("224.0.0.18");
        IpAddressValue src6 = IpAddressValue.Parse("fe80::1"), group6 = IpAddressValue.Parse("ff02::12");
        IpAddressValue[] vips4 = [IpAddressValue.Parse("198.51.100.10"), IpAddressValue.Parse("198.51.100.11")];
        IpAddressValue[] vips6 = [IpAddressValue.Parse("2001:db8::10"), IpAddressValue.Parse("2001:db8::11")];
        var v2 = new AdvertisementFields
        {
            Version = VrrpVersion.V2, VirtualRouterId = 51, Priority = 150, AdvertisementIntervalCentiseconds = 100,
            AuthType = VrrpAuthType.Pass, Password = VrrpPassword.FromString("secret12"),
        };
        var v3 = new AdvertisementFields { Version = VrrpVersion.V3, VirtualRouterId = 52, Priority = 120, AdvertisementIntervalCentiseconds = 1 };
        var ctx2 = new PacketContext(src4, group4, 255) { ExpectedAuthType = VrrpAuthType.Pass, ExpectedPassword = v2.Password };
        var ctx4 = new PacketContext(src4, group4, 255) { AcceptEitherV3ChecksumMode = true };
        var ctx6 = new PacketContext(src6, group6, 255) { ExpectedVersion = VrrpVersion.V3 };
        byte[] buffer = new byte[VrrpCodec.MaxMessageLength];

        int RunBatch(int count)
        {
            int ok = 0;
            for (int i = 0; i < count; i++)
            {
                int n = VrrpCodec.WriteAdvertisement(buffer, v2, vips4, src4, group4, V3ChecksumMode.PseudoHeader);
                if (VrrpCodec.TryParse(buffer.AsSpan(0, n), ctx2, out var a) == PacketValidation.Ok && a.GetAddress(1) == vips4[1]) ok++;
                n = VrrpCodec.WriteAdvertisement(buffer, v3, vips4, src4, group4, V3ChecksumMode.NoPseudoHeader);
                if (VrrpCodec.TryParse(buffer.AsSpan(0, n), ctx4, out _) == PacketValidation.Ok &&
                    VrrpCodec.DetectV3IPv4ChecksumMode(buffer.AsSpan(0, n), src4, group4) == V3ChecksumMode.NoPseudoHeader) ok++;
                n = VrrpCodec.WriteAdvertisement(buffer, v3, vips6, src6, group6, V3ChecksumMode.PseudoHeader);
                if (VrrpCodec.TryParse(buffer.AsSpan(0, n), ctx6, out var c) == PacketValidation.Ok && c.GetAddress(0) == vips6[0]) ok++;
            }
            return ok;
        }

        Assert.Equal(300, RunBatch(100)); // warm-up (JIT, tiering) and sanity
        long before = GC.GetAllocatedBytesForCurrentThread();
        int good = RunBatch(10_000 / 3 + 1);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(3 * (10_000 / 3 + 1), good);
        Assert.Equal(0, allocated);
    }
}

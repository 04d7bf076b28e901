using VrrpPS.Diagnostics;
using VrrpPS.Engine;
using VrrpPS.Protocol;
using Xunit;

namespace VrrpPS.Tests.Diagnostics;

/// <summary>Watch-VrrpAdvertisement -Summary flags, fed with synthetic adverts.</summary>
public sealed class SummaryAnalyzerTests
{
    private static readonly DateTime T0 = new(2025, 3, 3, 10, 0, 0, DateTimeKind.Utc);

    private static VrrpAdvertisementRecord Advert(string source, double atMs, int priority = 100, double intervalS = 1,
        int version = 3, string[]? addresses = null, int ttl = 255, int vrid = 51, VrrpAuthType auth = VrrpAuthType.None, ulong? pass = null) =>
        new()
        {
            Time = T0.AddMilliseconds(atMs), Interface = "eth0", Source = source, Family = "IPv4", Version = version,
            VirtualRouterId = vrid, Priority = priority, AdvertisementInterval = TimeSpan.FromSeconds(intervalS),
            Addresses = addresses ?? ["198.51.100.100"], Ttl = ttl, Valid = ttl == 255, Reason = ttl == 255 ? "Ok" : "BadTtl",
            AuthType = auth, HasPassword = pass is not null, PasswordKey = pass,
        };

    private static IEnumerable<VrrpAdvertisementRecord> Stream(string source, double fromMs, int count, double everyMs, int priority = 100, double intervalS = 1) =>
        Enumerable.Range(0, count).Select(i => Advert(source, fromMs + i * everyMs, priority, intervalS));

    [Fact]
    public void Two_sources_advertising_at_once_is_split_brain_RFC5798_6_4_3()
    {
        // Only the Master advertises; interleaved streams from two sources mean two Masters.
        var adverts = Stream("198.51.100.11", 0, 10, 1000, 150).Concat(Stream("198.51.100.12", 500, 10, 1000, 100));
        var s = Assert.Single(AdvertisementSummaryAnalyzer.Analyze(adverts));
        Assert.True(s.SplitBrain);
        Assert.Contains("SplitBrain", s.Flags);
        Assert.Equal(["198.51.100.11", "198.51.100.12"], s.MastersSeen.Order());
        Assert.Contains(s.Findings, f => f.Contains("198.51.100.11 and 198.51.100.12", StringComparison.Ordinal));
    }

    [Fact]
    public void A_handover_by_preemption_is_not_split_brain()
    {
        // Backup 12 is Master until 11 comes back: 11 preempts, 12 stops at once (RFC 5798 §6.4.3 "higher priority").
        var adverts = Stream("198.51.100.12", 0, 10, 1000, 100).Concat(Stream("198.51.100.11", 9300, 10, 1000, 150));
        var s = Assert.Single(AdvertisementSummaryAnalyzer.Analyze(adverts));
        Assert.False(s.SplitBrain);
        Assert.Empty(s.Flags);
        Assert.True(s.Healthy);
    }

    [Fact]
    public void A_release_then_takeover_is_not_split_brain()
    {
        var adverts = Stream("198.51.100.11", 0, 5, 1000, 150).Append(Advert("198.51.100.11", 4100, 0))
            .Concat(Stream("198.51.100.12", 4400, 5, 1000, 100));
        Assert.False(Assert.Single(AdvertisementSummaryAnalyzer.Analyze(adverts)).SplitBrain);
    }

    [Fact]
    public void Different_intervals_are_flagged_RFC3768_7_1()
    {
        var adverts = Stream("198.51.100.11", 0, 3, 1000, 150, 1).Concat(Stream("198.51.100.12", 20000, 3, 2000, 100, 2));
        var s = Assert.Single(AdvertisementSummaryAnalyzer.Analyze(adverts));
        Assert.True(s.IntervalMismatch);
        Assert.False(s.SplitBrain);
        Assert.Contains(s.Findings, f => f.Contains("198.51.100.12 2s", StringComparison.Ordinal));
    }

    [Fact]
    public void Version_auth_address_and_ttl_problems_are_flagged()
    {
        var adverts = new[]
        {
            Advert("198.51.100.11", 0, version: 2, auth: VrrpAuthType.Pass, pass: 1),
            Advert("198.51.100.12", 10000, version: 2, auth: VrrpAuthType.Pass, pass: 2, addresses: ["198.51.100.101"]),
            Advert("198.51.100.13", 20000, version: 3, ttl: 254),
        };
        var s = Assert.Single(AdvertisementSummaryAnalyzer.Analyze(adverts));
        Assert.True(s.AuthMismatch);
        Assert.True(s.AddressListMismatch);
        Assert.True(s.BadTtl);
        Assert.False(s.VersionMismatch); // the v3 advert with TTL 254 is invalid, so it is not a speaker to compare
        Assert.Equal(["AuthMismatch", "AddressListMismatch", "BadTtl"], s.Flags);
    }

    [Fact]
    public void Versions_differ_between_valid_speakers()
    {
        var s = Assert.Single(AdvertisementSummaryAnalyzer.Analyze([Advert("198.51.100.11", 0, version: 2), Advert("198.51.100.12", 9000, version: 3)]));
        Assert.True(s.VersionMismatch);
    }

    [Fact]
    public void A_foreign_router_on_a_local_VRID_clashes_RFC5798_5_2_3()
    {
        var local = new LocalInstanceInfo("VI_1", "eth0", 51, "IPv4", ["198.51.100.100/24"]);
        var ok = AdvertisementSummaryAnalyzer.Analyze([Advert("198.51.100.11", 0)], [local]);
        Assert.False(Assert.Single(ok).LocalClash);
        Assert.Equal("VI_1", ok[0].LocalInstance);
        var clash = Assert.Single(AdvertisementSummaryAnalyzer.Analyze([Advert("198.51.100.50", 0, addresses: ["203.0.113.9"])], [local]));
        Assert.True(clash.LocalClash);
        Assert.Contains(clash.Findings, f => f.Contains("203.0.113.9", StringComparison.Ordinal));
    }

    [Fact]
    public void Groups_by_family_and_VRID()
    {
        var v6 = Advert("fe80::1", 0);
        v6.Family = "IPv6";
        var list = AdvertisementSummaryAnalyzer.Analyze([Advert("198.51.100.11", 0), Advert("198.51.100.11", 5, vrid: 52), v6]);
        Assert.Equal(3, list.Count);
        Assert.Equal([("IPv4", 51), ("IPv4", 52), ("IPv6", 51)], list.Select(s => (s.Family, s.VirtualRouterId)));
    }

    [Fact]
    public void Decoder_reads_a_v3_advert_and_detects_the_checksum_mode()
    {
        var src = IpAddressValue.Parse("198.51.100.11");
        var dst = IpAddressValue.Parse("224.0.0.18");
        var buf = new byte[64];
        foreach (var mode in new[] { V3ChecksumMode.PseudoHeader, V3ChecksumMode.NoPseudoHeader })
        {
            int n = VrrpCodec.WriteAdvertisement(buf, new AdvertisementFields { Version = VrrpVersion.V3, VirtualRouterId = 51, Priority = 150, AdvertisementIntervalCentiseconds = 10 },
                [IpAddressValue.Parse("198.51.100.100")], src, dst, mode);
            var d = new ReceivedDatagram { Source = src, Destination = dst, Ttl = 255, PayloadLength = n };
            var r = AdvertisementDecoder.Decode(buf.AsSpan(0, n), in d, "eth0", T0, false);
            Assert.True(r.Valid);
            Assert.Equal(mode, r.ChecksumMode);
            Assert.Equal((3, 51, 150), (r.Version, r.VirtualRouterId, r.Priority));
            Assert.Equal(TimeSpan.FromMilliseconds(100), r.AdvertisementInterval);
            Assert.Equal(["198.51.100.100"], r.Addresses);
        }
    }

    [Fact]
    public void Decoder_hides_a_v2_password_unless_asked_RFC3768_5_3_10()
    {
        var src = IpAddressValue.Parse("198.51.100.11");
        var dst = IpAddressValue.Parse("224.0.0.18");
        var buf = new byte[64];
        int n = VrrpCodec.WriteAdvertisement(buf, new AdvertisementFields
        {
            Version = VrrpVersion.V2, VirtualRouterId = 7, Priority = 100, AdvertisementIntervalCentiseconds = 100,
            AuthType = VrrpAuthType.Pass, Password = VrrpPassword.FromString("secret12"),
        }, [IpAddressValue.Parse("198.51.100.100")], src, dst, V3ChecksumMode.PseudoHeader);
        var d = new ReceivedDatagram { Source = src, Destination = dst, Ttl = 254, PayloadLength = n };
        var hidden = AdvertisementDecoder.Decode(buf.AsSpan(0, n), in d, "eth0", T0, false);
        Assert.True(hidden.HasPassword);
        Assert.Null(hidden.Password);
        Assert.False(hidden.Valid);
        Assert.Equal("BadTtl", hidden.Reason);
        Assert.True(hidden.ChecksumValid);
        Assert.Equal("secret12", AdvertisementDecoder.Decode(buf.AsSpan(0, n), in d, "eth0", T0, true).Password);
    }
}

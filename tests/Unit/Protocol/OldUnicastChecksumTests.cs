using VrrpPS.Hosting;
using VrrpPS.Cmdlets;
using VrrpPS.Config;
using VrrpPS.Protocol;
using Xunit;

namespace VrrpPS.Tests.Protocol;

/// <summary>Issue 12: keepalived's `old_unicast_checksum` keeps the VRRPv3 IPv4 pseudo-header but puts the multicast group
/// (224.0.0.18) in it as destination instead of the unicast peer (keepalived vrrp.c: ipv4_phdr.dst = vrrp_mcast_group4 when
/// unicast_chksum_compat is CONFIG/AUTO). Known answers come from <see cref="NaiveChecksum"/>, which shares no code with the codec.</summary>
public sealed class OldUnicastChecksumTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vrrpps-oldsum-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private V3ChecksumMode ModeFor(string extra)
    {
        string path = Path.Combine(_dir, "k.conf");
        File.WriteAllText(path, $$"""
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                version 3
                unicast_src_ip 198.51.100.1
                unicast_peer {
                    198.51.100.2
                }
                {{extra}}
                virtual_ipaddress {
                    198.51.100.100/24
                }
            }
            """);
        var r = KeepalivedConfigReader.Read(path, new KeepalivedReadOptions { ConfigId = "node_a" });
        Assert.False(r.HasErrors, string.Join("\n", r.Diagnostics));
        var batch = new ConfigBatch();
        batch.Add(Assert.Single(r.Instances));
        return Assert.Single(batch.ToDefinitions()).ChecksumMode;
    }

    private static (byte[] message, ushort sent) Advert(V3ChecksumMode mode)
    {
        var buf = new byte[64];
        var fields = new AdvertisementFields { Version = VrrpVersion.V3, VirtualRouterId = 51, Priority = 100, AdvertisementIntervalCentiseconds = 100 };
        int n = VrrpCodec.WriteAdvertisement(buf, fields, [IpAddressValue.Parse("198.51.100.100")],
            IpAddressValue.Parse("198.51.100.1"), IpAddressValue.Parse("198.51.100.2"), mode);
        byte[] m = buf[..n];
        return (m, (ushort)(m[6] << 8 | m[7]));
    }

    [Fact]
    public void Old_unicast_checksum_sends_the_pseudo_header_with_the_multicast_group_as_destination()
    {
        var (m, sent) = Advert(ModeFor("old_unicast_checksum"));
        Assert.Equal(NaiveChecksum.Compute(m, NaiveChecksum.IPv4Pseudo("198.51.100.1", "224.0.0.18", m.Length)), sent);
    }

    [Theory]
    [InlineData("")]
    [InlineData("old_unicast_checksum never")]
    public void Without_old_unicast_checksum_the_pseudo_header_carries_the_peer(string extra)
    {
        var (m, sent) = Advert(ModeFor(extra));
        Assert.Equal(NaiveChecksum.Compute(m, NaiveChecksum.IPv4Pseudo("198.51.100.1", "198.51.100.2", m.Length)), sent);
    }

    [Fact]
    public void An_old_form_advert_from_the_peer_verifies_only_in_old_unicast_checksum_mode()
    {
        var (m, _) = Advert(ModeFor("old_unicast_checksum"));
        Assert.True(VrrpCodec.VerifyChecksum(m, IpAddressValue.Parse("198.51.100.1"), IpAddressValue.Parse("198.51.100.2"), ModeFor("old_unicast_checksum")));
        Assert.False(VrrpCodec.VerifyChecksum(m, IpAddressValue.Parse("198.51.100.1"), IpAddressValue.Parse("198.51.100.2"), ModeFor("")));
        // Watch-VrrpAdvertisement names the form it sees
        Assert.Equal(V3ChecksumMode.PseudoHeaderMulticastGroup,
            VrrpCodec.DetectV3IPv4ChecksumMode(m, IpAddressValue.Parse("198.51.100.1"), IpAddressValue.Parse("198.51.100.2")));
    }
}

using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using VrrpPS.Engine;
using VrrpPS.Platform.Linux;
using VrrpPS.Protocol;
using Xunit;

namespace VrrpPS.Tests.Platform;

[Collection(NamespaceCollection.Name)]
[Trait(TestCategories.Key, TestCategories.Root)]
public sealed class AnnouncerTests
{
    private static readonly byte[] VirtualMac4 = [0x00, 0x00, 0x5e, 0x00, 0x01, 0x33]; // RFC 5798 §7.3, VRID 51
    private static readonly byte[] VirtualMac6 = [0x00, 0x00, 0x5e, 0x00, 0x02, 0x33];
    private readonly LabFixture _lab;

    public AnnouncerTests(LabFixture lab) => _lab = lab;

    [Fact]
    public void ArpAnnouncement_Bytes_SenderEqualsTarget_Rfc5227_2_3()
    {
        var arp = new byte[28];
        LinuxAnnouncer.BuildArp(arp, VirtualMac4, IpAddressValue.Parse("198.51.100.100"));
        Assert.Equal(new byte[]
        {
            0, 1, 8, 0, 6, 4, 0, 1,
            0x00, 0x00, 0x5e, 0x00, 0x01, 0x33, 198, 51, 100, 100,
            0, 0, 0, 0, 0, 0, 198, 51, 100, 100,
        }, arp);
    }

    [Fact]
    public void UnsolicitedNa_Bytes_RouterAndOverrideAndTargetLinkLayerOption_Rfc5798_6_4_2()
    {
        var na = new byte[32];
        LinuxAnnouncer.BuildNeighborAdvertisement(na, VirtualMac6, IpAddressValue.Parse("2001:db8::100"));
        Assert.Equal(136, na[0]);
        Assert.Equal(0, na[1]);
        Assert.Equal(0xa0, na[4]); // R set (RFC 5798/9568 §6.4.1-6.4.2), S clear (unsolicited), O set
        Assert.Equal(new byte[] { 0, 0, 0 }, na.AsSpan(5, 3).ToArray()); // rest of Reserved
        Assert.Equal(IpAddressValue.Parse("2001:db8::100"), IpAddressValue.FromBytes(na.AsSpan(8, 16)));
        Assert.Equal(new byte[] { 2, 1, 0x00, 0x00, 0x5e, 0x00, 0x02, 0x33 }, na.AsSpan(24, 8).ToArray());
    }

    [Fact]
    public void GratuitousArp_UpdatesPeerNeighbourTable_Rfc5798_6_4_2()
    {
        // Let node 2 learn from gratuitous ARP (arp_accept, per namespace) so its table shows what arrived.
        Assert.True(_lab.Lab.Exec(_lab.N2, "sysctl", "-q", "-w", "net.ipv4.conf.all.arp_accept=1", "net.ipv4.conf.eth0.arp_accept=1").Succeeded);
        using IAnnouncer announcer = NetworkNamespace.Run(_lab.N1, () => _lab.Platform.OpenAnnouncer(AddressFamily.InterNetwork));

        string? lladdr = null;
        for (int attempt = 0; attempt < 20 && lladdr is null; attempt++)
        {
            announcer.Announce(_lab.Eth1.Index, VirtualMac4, IpAddressValue.Parse("198.51.100.100"));
            Thread.Sleep(50);
            lladdr = NeighbourMac(_lab.N2, "198.51.100.100");
        }
        _lab.Lab.Exec(_lab.N2, "ip", "neigh", "flush", "dev", "eth0");

        Assert.Equal("00:00:5e:00:01:33", lladdr);
    }

    [Fact]
    public async Task UnsolicitedNa_SeenByTcpdumpWithHopLimit255RouterAndOverride_Rfc5798_6_4_2()
    {
        using IAnnouncer announcer = NetworkNamespace.Run(_lab.N1, () => _lab.Platform.OpenAnnouncer(AddressFamily.InterNetworkV6));
        Process tcpdump = _lab.Lab.StartProcess(_lab.N2, "tcpdump", "-i", "eth0", "-n", "-l", "-v", "-c", "1",
            "icmp6 and ip6[40] == 136");
        Task<string> output = tcpdump.StandardOutput.ReadToEndAsync();
        WaitForListening(tcpdump);

        for (int attempt = 0; attempt < 20 && !tcpdump.HasExited; attempt++)
        {
            announcer.Announce(_lab.Eth1.Index, VirtualMac6, IpAddressValue.Parse("2001:db8::100"));
            tcpdump.WaitForExit(250);
        }
        Assert.True(tcpdump.HasExited, "tcpdump saw no neighbour advertisement");
        string text = await output.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Contains("hlim 255", text);
        Assert.Contains("> ff02::1:", text);
        Assert.Contains("neighbor advertisement", text);
        Assert.Contains("tgt is 2001:db8::100", text);
        // R=1: RFC 4861 §7.2.5 makes a host drop a default router whose NA says R=0.
        Assert.Contains("Flags [router, override]", text);
        Assert.Contains("00:00:5e:00:02:33", text);
        Assert.Contains("icmp6 sum ok", text); // the kernel filled in the checksum
    }

    private static void WaitForListening(Process tcpdump)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            Task<string?> line = tcpdump.StandardError.ReadLineAsync();
            if (!line.Wait(TimeSpan.FromSeconds(5)) || line.Result is null)
            {
                break;
            }
            if (line.Result.Contains("listening on", StringComparison.Ordinal))
            {
                return;
            }
        }
        throw new Xunit.Sdk.XunitException("tcpdump did not start listening");
    }

    private string? NeighbourMac(string ns, string address)
    {
        var r = _lab.Lab.Exec(ns, "ip", "-j", "neigh", "show", address, "dev", "eth0");
        using JsonDocument doc = JsonDocument.Parse(r.StandardOutput.Length == 0 ? "[]" : r.StandardOutput);
        foreach (JsonElement n in doc.RootElement.EnumerateArray())
        {
            if (n.TryGetProperty("lladdr", out JsonElement mac))
            {
                return mac.GetString();
            }
        }
        return null;
    }
}

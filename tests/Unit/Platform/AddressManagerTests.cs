using System.Text.Json;
using VrrpPS.Engine;
using VrrpPS.Platform.Linux;
using VrrpPS.Protocol;
using Xunit;

namespace VrrpPS.Tests.Platform;

[Collection(NamespaceCollection.Name)]
[Trait(TestCategories.Key, TestCategories.Root)]
public sealed class AddressManagerTests
{
    private readonly LabFixture _lab;

    public AddressManagerTests(LabFixture lab) => _lab = lab;

    private T InN1<T>(Func<IAddressManager, T> f) => NetworkNamespace.Run(_lab.N1, () => f(_lab.Platform.Addresses));

    /// <summary>The addr_info entry for <paramref name="local"/> in <c>ip -j addr show dev eth0</c>, or null.</summary>
    private JsonElement? IpAddrInfo(string local)
    {
        var r = _lab.Lab.Exec(_lab.N1, "ip", "-j", "addr", "show", "dev", "eth0");
        Assert.True(r.Succeeded, r.ToString());
        using JsonDocument doc = JsonDocument.Parse(r.StandardOutput);
        foreach (JsonElement info in doc.RootElement[0].GetProperty("addr_info").EnumerateArray())
        {
            if (info.GetProperty("local").GetString() == local)
            {
                return info.Clone();
            }
        }
        return null;
    }

    [Fact]
    public void AddListRemove_IPv4VipWithLabel_IsIdempotent_KeepalivedVirtualIpaddress()
    {
        var vip = new VirtualAddressSpec(IpAddressValue.Parse("198.51.100.100"), 24) { Label = "eth0:vi1" };
        int index = _lab.Eth1.Index;

        Assert.True(InN1(a => a.Add(index, vip)));
        Assert.False(InN1(a => a.Add(index, vip)));
        JsonElement info = IpAddrInfo("198.51.100.100") ?? throw new Xunit.Sdk.XunitException("VIP not on eth0");
        Assert.Equal(24, info.GetProperty("prefixlen").GetInt32());
        Assert.Equal("eth0:vi1", info.GetProperty("label").GetString());
        Assert.Contains(InN1(a => a.List(index)), x => x.Address == vip.Address && x.PrefixLength == 24 && x.Label == "eth0:vi1");
        Assert.Contains("198.51.100.100/24", _lab.Lab.AddressesOf(_lab.N1, "eth0"));

        Assert.True(InN1(a => a.Remove(index, vip)));
        Assert.False(InN1(a => a.Remove(index, vip)));
        Assert.Null(IpAddrInfo("198.51.100.100"));
        Assert.DoesNotContain(InN1(a => a.List(index)), x => x.Address == vip.Address);
    }

    [Fact]
    public void IPv6Vip_IsAddedWithNodad_UsableAtOnce_Rfc5798_8_2()
    {
        // Turn DAD on for this interface so that without IFA_F_NODAD the VIP would be "tentative".
        Assert.True(_lab.Lab.Exec(_lab.N1, "sysctl", "-q", "-w", "net.ipv6.conf.eth0.accept_dad=1").Succeeded);
        var vip = new VirtualAddressSpec(IpAddressValue.Parse("2001:db8::100"), 64);
        int index = _lab.Eth1.Index;
        try
        {
            Assert.True(InN1(a => a.Add(index, vip)));
            Assert.False(InN1(a => a.Add(index, vip)));
            JsonElement info = IpAddrInfo("2001:db8::100") ?? throw new Xunit.Sdk.XunitException("IPv6 VIP missing");
            Assert.Equal(64, info.GetProperty("prefixlen").GetInt32());
            Assert.True(info.TryGetProperty("nodad", out JsonElement nodad) && nodad.GetBoolean());
            Assert.False(info.TryGetProperty("tentative", out _));
            Assert.Contains(InN1(a => a.List(index)), x => x.Address == vip.Address && x.PrefixLength == 64);
            Assert.True(InN1(a => a.Remove(index, vip)));
            Assert.False(InN1(a => a.Remove(index, vip)));
            Assert.Null(IpAddrInfo("2001:db8::100"));
        }
        finally
        {
            InN1(a => a.Remove(index, vip));
            _lab.Lab.Exec(_lab.N1, "sysctl", "-q", "-w", "net.ipv6.conf.eth0.accept_dad=0");
        }
    }

    [Fact]
    public void Options_BroadcastPeerDeprecatedScope_ReachTheKernel()
    {
        int index = _lab.Eth1.Index;
        var withBroadcast = new VirtualAddressSpec(IpAddressValue.Parse("198.51.100.101"), 24)
        {
            Broadcast = IpAddressValue.Parse("198.51.100.255"),
            Deprecated = true,
        };
        var withPeer = new VirtualAddressSpec(IpAddressValue.Parse("198.51.100.102"), 32) { Peer = IpAddressValue.Parse("198.51.100.103") };
        var hostScope = new VirtualAddressSpec(IpAddressValue.Parse("198.51.100.104"), 32) { Scope = 254 };
        try
        {
            Assert.True(InN1(a => a.Add(index, withBroadcast)));
            Assert.True(InN1(a => a.Add(index, withPeer)));
            Assert.True(InN1(a => a.Add(index, hostScope)));

            JsonElement b = IpAddrInfo("198.51.100.101")!.Value;
            Assert.Equal("198.51.100.255", b.GetProperty("broadcast").GetString());
            Assert.True(b.TryGetProperty("deprecated", out JsonElement dep) && dep.GetBoolean()); // keepalived "preferred_lft 0"
            JsonElement p = IpAddrInfo("198.51.100.102")!.Value;
            Assert.Equal("198.51.100.103", p.GetProperty("address").GetString());
            Assert.Equal("host", IpAddrInfo("198.51.100.104")!.Value.GetProperty("scope").GetString());
            Assert.Contains(InN1(a => a.List(index)), x => x.Address == withPeer.Address && x.PrefixLength == 32);

            Assert.True(InN1(a => a.Remove(index, withPeer)));
            Assert.Null(IpAddrInfo("198.51.100.102"));
        }
        finally
        {
            InN1(a => a.Remove(index, withBroadcast));
            InN1(a => a.Remove(index, withPeer));
            InN1(a => a.Remove(index, hostScope));
        }
    }

    [Fact]
    public void Add_OnMissingInterface_ThrowsNetlinkExceptionWithErrno()
    {
        var vip = new VirtualAddressSpec(IpAddressValue.Parse("198.51.100.100"), 24);
        var ex = Assert.Throws<NetlinkException>(() => InN1(a => a.Add(99_999, vip)));
        Assert.Equal(19, ex.Errno); // ENODEV
        Assert.Contains("No such device", ex.Message);
        Assert.IsAssignableFrom<IOException>(ex);
    }

    [Fact]
    public void FindInterface_ByNameAndIndex_ReportsMacStateAndAddresses()
    {
        NetworkInterfaceInfo? byName = NetworkNamespace.Run(_lab.N1, () => _lab.Platform.FindInterface("eth0"));
        Assert.NotNull(byName);
        NetworkInterfaceInfo? byIndex = NetworkNamespace.Run(_lab.N1, () => _lab.Platform.FindInterface(byName.Index));
        Assert.NotNull(byIndex);
        Assert.Equal("eth0", byIndex.Name);
        Assert.True(byName.IsUp);

        var r = _lab.Lab.Exec(_lab.N1, "ip", "-j", "link", "show", "dev", "eth0");
        using JsonDocument doc = JsonDocument.Parse(r.StandardOutput);
        string mac = doc.RootElement[0].GetProperty("address").GetString()!;
        Assert.Equal(mac, string.Join(':', byName.HardwareAddress.Select(b => b.ToString("x2"))));
        Assert.Equal(doc.RootElement[0].GetProperty("ifindex").GetInt32(), byName.Index);
        Assert.Contains(byName.Addresses, a => a.Address == IpAddressValue.Parse("198.51.100.11") && a.PrefixLength == 24);
        Assert.Contains(byName.Addresses, a => a.Address == IpAddressValue.Parse("2001:db8::11") && a.PrefixLength == 64);

        Assert.Null(NetworkNamespace.Run(_lab.N1, () => _lab.Platform.FindInterface("nosuchif0")));
        Assert.Null(NetworkNamespace.Run(_lab.N1, () => _lab.Platform.FindInterface(99_999)));
    }
}

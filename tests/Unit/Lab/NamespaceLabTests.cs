using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using VrrpPS.Platform.Linux;
using VrrpPS.Lab;
using VrrpPS.Tests.Platform;
using Xunit;

namespace VrrpPS.Tests.Lab;

[Collection(NamespaceCollection.Name)]
[Trait(TestCategories.Key, TestCategories.Root)]
public sealed class NamespaceLabTests
{
    private static string[] OfTag(string tag) =>
        NamespaceLab.ListNamespaces().Where(n => n.StartsWith(tag + "-", StringComparison.Ordinal)).ToArray();

    [Fact]
    public void Create_BuildsBridgedNodesAndClient_DisposeRemovesEverything()
    {
        NamespaceLab lab = NamespaceLab.Create(2, new LabOptions { Client = true });
        string tag = lab.Tag;
        try
        {
            Assert.Matches("^vp[a-z0-9]{4}$", tag);
            Assert.Equal(new[] { $"{tag}-br", $"{tag}-c", $"{tag}-n1", $"{tag}-n2" }, OfTag(tag).Order().ToArray());
            Assert.Equal(new[] { $"{tag}-n1", $"{tag}-n2" }, lab.NodeNamespaces);
            Assert.Equal($"{tag}-c", lab.ClientNamespace);
            Assert.Contains("198.51.100.11/24", lab.AddressesOf(lab.NodeNamespace(1), "eth0"));
            Assert.Contains("198.51.100.12/24", lab.AddressesOf(lab.NodeNamespace(2), "eth0"));
            Assert.Contains("198.51.100.200/24", lab.AddressesOf(lab.ClientNamespace!, "eth0"));

            // The bridge joins the nodes: node 1 reaches node 2 and the client reaches node 1
            // (ICMP echo from a thread inside the namespace; no ping binary on this machine).
            Assert.Equal(IPStatus.Success, PingFrom(lab.NodeNamespace(1), "198.51.100.12"));
            Assert.Equal(IPStatus.Success, PingFrom(lab.ClientNamespace!, "198.51.100.11"));
        }
        finally
        {
            lab.Dispose();
        }
        Assert.Empty(OfTag(tag));
    }

    private static IPStatus PingFrom(string ns, string address) =>
        NetworkNamespace.Run(ns, () =>
        {
            using var ping = new Ping();
            return ping.Send(IPAddress.Parse(address), 2000).Status;
        });

    [Fact]
    public void Create_FailingHalfway_RemovesWhatWasCreated()
    {
        string tag = NamespaceLab.NewTag();
        // "lo" already exists in every namespace, so creating node 1's veth fails after the
        // bridge namespace and node 1's namespace were made.
        var ex = Assert.Throws<InvalidOperationException>(() => NamespaceLab.Create(2, new LabOptions { Tag = tag, InterfaceName = "lo" }));
        Assert.Contains("veth", ex.Message);
        Assert.Empty(OfTag(tag));
    }

    [Theory]
    [InlineData("10.0.0.1/24")]
    [InlineData("192.0.2.1/24")]
    [InlineData("198.51.101.1/24")]
    [InlineData("2001:db9::1/64")]
    [InlineData("198.51.100.1")]
    public void Create_RejectsAddressesOutsideTheLabRanges_BeforeCreatingAnything(string cidr)
    {
        string tag = NamespaceLab.NewTag();
        Assert.Throws<ArgumentException>(() => NamespaceLab.Create(1, new LabOptions { Tag = tag, NodeAddresses = [cidr] }));
        Assert.Empty(OfTag(tag));
    }

    [Fact]
    public void Create_WithCustomAddressesIPv6AndInterfaceName()
    {
        using NamespaceLab lab = NamespaceLab.Create(1, new LabOptions
        {
            InterfaceName = "lan0",
            IPv6 = true,
            NodeAddresses = ["203.0.113.5/24, 198.18.0.5/15"],
        });
        string[] addresses = lab.AddressesOf(lab.NodeNamespace(1), "lan0");
        Assert.Contains("203.0.113.5/24", addresses);
        Assert.Contains("198.18.0.5/15", addresses);
        Assert.Contains("2001:db8::11/64", addresses);
        Assert.DoesNotContain("198.51.100.11/24", addresses);
    }

    [Fact]
    public void Dispose_KillsStartedProcesses()
    {
        Process sleeper;
        string tag;
        using (NamespaceLab lab = NamespaceLab.Create(1))
        {
            tag = lab.Tag;
            sleeper = lab.StartProcess(lab.NodeNamespace(1), "sleep", "60");
            Assert.False(sleeper.HasExited);
        }
        Assert.True(sleeper.WaitForExit(3000));
        Assert.Empty(OfTag(tag));
    }

    [Fact]
    public void SetLinkUp_False_TakesTheCarrierFromTheNode()
    {
        using NamespaceLab lab = NamespaceLab.Create(1);
        lab.SetLinkUp(1, false);
        string down = lab.Exec(lab.NodeNamespace(1), "ip", "-o", "link", "show", "eth0").StandardOutput;
        lab.SetLinkUp(1, true);
        string up = lab.Exec(lab.NodeNamespace(1), "ip", "-o", "link", "show", "eth0").StandardOutput;

        Assert.Contains("NO-CARRIER", down);
        Assert.DoesNotContain("LOWER_UP", down);
        Assert.DoesNotContain("NO-CARRIER", up);
    }

    [Fact]
    public void CleanupStale_RemovesLeftoversOfACrashedRun_Only()
    {
        string tag = NamespaceLab.NewTag();
        string other = NamespaceLab.NewTag();
        try
        {
            foreach (string ns in new[] { $"{tag}-br", $"{tag}-n1", $"{other}-n1" })
            {
                Assert.True(new ProcessStartInfo("ip", ["netns", "add", ns]) is var psi && Process.Start(psi)!.WaitForExit(5000));
            }
            Assert.Equal(2, NamespaceLab.CleanupStale(tag));
            Assert.Empty(OfTag(tag));
            Assert.Single(OfTag(other));
        }
        finally
        {
            NamespaceLab.CleanupStale(tag);
            NamespaceLab.CleanupStale(other);
        }
    }

    [Fact]
    public void Exec_RefusesNamespacesOfOtherLabs()
    {
        using NamespaceLab lab = NamespaceLab.Create(1);
        Assert.Throws<ArgumentException>(() => lab.Exec("somebody-else", "true"));
        Assert.Throws<ArgumentException>(() => NamespaceLab.CleanupStale(""));
    }
}

using VrrpPS.Engine;
using VrrpPS.Platform.Linux;
using Xunit;

namespace VrrpPS.Tests.Platform;

[Collection(NamespaceCollection.Name)]
[Trait(TestCategories.Key, TestCategories.Root)]
public sealed class LinkMonitorTests
{
    private readonly LabFixture _lab;

    public LinkMonitorTests(LabFixture lab) => _lab = lab;

    /// <summary>keepalived: an instance whose interface loses its link goes to FAULT, so the
    /// engine must hear of carrier loss quickly (here within 1 s) and of its return.</summary>
    [Fact]
    public void CableCutAndRestore_ReportedWithinOneSecond()
    {
        using ILinkMonitor monitor = NetworkNamespace.Run(_lab.N2, () => _lab.Platform.OpenLinkMonitor());
        using IPoller poller = _lab.Platform.CreatePoller();
        poller.Add(monitor.FileDescriptor);
        try
        {
            _lab.Lab.SetLinkUp(2, false);
            LinkChange? down = WaitFor(monitor, poller, c => c.InterfaceIndex == _lab.Eth2.Index && !c.IsUp, 1000);
            Assert.NotNull(down);
            Assert.Equal("eth0", down.Value.Name);
            Assert.False(NetworkNamespace.Run(_lab.N2, () => _lab.Platform.FindInterface("eth0"))!.IsUp);

            _lab.Lab.SetLinkUp(2, true);
            LinkChange? up = WaitFor(monitor, poller, c => c.InterfaceIndex == _lab.Eth2.Index && c.IsUp, 1000);
            Assert.NotNull(up);
            Assert.True(NetworkNamespace.Run(_lab.N2, () => _lab.Platform.FindInterface("eth0"))!.IsUp);
        }
        finally
        {
            _lab.Lab.SetLinkUp(2, true);
        }
    }

    [Fact]
    public void Drain_WithNothingPending_ReturnsZero()
    {
        using ILinkMonitor monitor = NetworkNamespace.Run(_lab.N1, () => _lab.Platform.OpenLinkMonitor());
        Assert.Equal(0, monitor.Drain(new LinkChange[4]));
    }

    [Fact]
    public void Drain_WithSmallSpan_KeepsTheRestForTheNextCall()
    {
        using ILinkMonitor monitor = NetworkNamespace.Run(_lab.N1, () => _lab.Platform.OpenLinkMonitor());
        // Two changes in the node's namespace: lo down and up again (no traffic involved).
        Assert.True(_lab.Lab.Exec(_lab.N1, "ip", "link", "set", "lo", "down").Succeeded);
        Assert.True(_lab.Lab.Exec(_lab.N1, "ip", "link", "set", "lo", "up").Succeeded);
        var all = new List<LinkChange>();
        var one = new LinkChange[1];
        long deadline = Environment.TickCount64 + 1000;
        while (Environment.TickCount64 < deadline && !all.Any(c => c.Name == "lo" && c.IsUp))
        {
            int n = monitor.Drain(one);
            Assert.InRange(n, 0, 1);
            all.AddRange(one.Take(n));
            if (n == 0)
            {
                Thread.Sleep(10);
            }
        }
        Assert.Contains(all, c => c.Name == "lo" && !c.IsUp);
        Assert.Contains(all, c => c.Name == "lo" && c.IsUp);
    }

    private static LinkChange? WaitFor(ILinkMonitor monitor, IPoller poller, Func<LinkChange, bool> match, int milliseconds)
    {
        var changes = new LinkChange[16];
        var ready = new int[2];
        long deadline = Environment.TickCount64 + milliseconds;
        while (true)
        {
            int n = monitor.Drain(changes);
            for (int i = 0; i < n; i++)
            {
                if (match(changes[i]))
                {
                    return changes[i];
                }
            }
            long left = deadline - Environment.TickCount64;
            if (left <= 0)
            {
                return null;
            }
            poller.Wait(left * 1000, ready);
        }
    }
}

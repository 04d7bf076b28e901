using VrrpPS.Platform.Linux;
using Xunit;

namespace VrrpPS.Tests.Platform;

public sealed class PlatformStatusTests
{
    [Fact]
    public void Clock_IsMonotonicMicroseconds()
    {
        var clock = new LinuxMonotonicClock();
        long a = clock.NowMicroseconds;
        Thread.Sleep(20);
        long b = clock.NowMicroseconds;
        Assert.InRange(b - a, 19_000, 2_000_000);
        long previous = clock.NowMicroseconds;
        for (int i = 0; i < 10_000; i++)
        {
            long now = clock.NowMicroseconds;
            Assert.True(now >= previous);
            previous = now;
        }
    }

    [Theory]
    [InlineData("0000000000003000", true)]   // CAP_NET_ADMIN (12) + CAP_NET_RAW (13)
    [InlineData("000001ffffffffff", true)]   // full root set
    [InlineData("0000000000001000", false)]  // NET_ADMIN only: raw sockets would fail
    [InlineData("0000000000002000", false)]  // NET_RAW only: addresses would fail
    [InlineData("0000000000000000", false)]
    public void CapEff_NeedsNetAdminAndNetRaw(string capEff, bool expected)
    {
        string path = Path.Combine(Path.GetTempPath(), $"vrrpps-status-{Guid.NewGuid():N}");
        File.WriteAllText(path, $"Name:\ttest\nCapInh:\t0000000000000000\nCapEff:\t{capEff}\nCapBnd:\t000001ffffffffff\n");
        try
        {
            ulong? caps = LinuxNetworkPlatform.ReadEffectiveCapabilities(path);
            Assert.NotNull(caps);
            Assert.Equal(expected, LinuxNetworkPlatform.HasAdminCapabilities(caps.Value));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void HasNetworkAdminRights_AgreesWithWhetherARawSocketOpens()
    {
        // Opening (not using) a raw socket is the independent probe for CAP_NET_RAW.
        bool canOpenRaw;
        try
        {
            using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork,
                System.Net.Sockets.SocketType.Raw, System.Net.Sockets.ProtocolType.Icmp);
            canOpenRaw = true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            canOpenRaw = false;
        }
        Assert.Equal(canOpenRaw, new LinuxNetworkPlatform().HasNetworkAdminRights);
    }
}

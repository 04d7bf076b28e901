using VrrpPS.Engine;
using VrrpPS.Protocol;
using VrrpPS.StateMachine;
using VrrpPS.Tests.Simulation.Engine;
using Xunit;

namespace VrrpPS.Tests.Engine;

/// <summary>RFC 5798 §6.4.3 Accept_Mode in the engine (simulated time): the filter is installed only while a non-owner is Master.</summary>
public sealed class AcceptModeEngineTests : IDisposable
{
    private readonly EngineSimulator _sim = new(seed: 14);

    public void Dispose() => _sim.Dispose();

    private static InstanceDefinition Def(int priority, bool accept) => new()
    {
        Name = "VI_1",
        InterfaceName = "eth0",
        VirtualRouterId = 51,
        Priority = priority,
        AdvertisementIntervalCentiseconds = 5,
        VirtualAddresses = [new VirtualAddressSpec(IpAddressValue.Parse("198.51.100.100"), 24)],
        AcceptMode = accept,
        KeepalivedCompatible = true, // priority 255 without the address only warns, as in keepalived
    };

    private void WaitFor(SimNode n, VrrpState state) =>
        Assert.True(_sim.RunUntil(() => n.State().State == state, TimeSpan.FromSeconds(5)), $"not {state}");

    [Fact]
    public void No_accept_blocks_while_Master_and_unblocks_on_Backup_and_on_stop()
    {
        var a = _sim.AddNode("198.51.100.11");
        a.Engine.Start([Def(150, accept: false)]);
        WaitFor(a, VrrpState.Master);
        // the start removes what a crashed run may have left, then Master installs the filter
        Assert.Equal(["unblock VI_1", "block VI_1 198.51.100.100"], a.Host.AcceptFilter.Journal);

        var b = _sim.AddNode("198.51.100.12");
        b.Engine.Start([Def(200, accept: true)]);
        WaitFor(a, VrrpState.Backup);
        Assert.Equal(["unblock VI_1", "block VI_1 198.51.100.100", "unblock VI_1"], a.Host.AcceptFilter.Journal);

        b.Engine.Stop("VI_1");
        WaitFor(a, VrrpState.Master);
        a.Engine.Stop("VI_1");
        Assert.Equal(["unblock VI_1", "block VI_1 198.51.100.100", "unblock VI_1", "block VI_1 198.51.100.100", "unblock VI_1"],
            a.Host.AcceptFilter.Journal);
        Assert.Empty(b.Host.AcceptFilter.Journal);
    }

    [Theory]
    [InlineData(150, true)]
    [InlineData(255, false)] // the owner always accepts (keepalived turns accept on at priority 255)
    public void Accept_mode_or_the_owner_never_installs_a_filter(int priority, bool accept)
    {
        var a = _sim.AddNode("198.51.100.11");
        a.Engine.Start([Def(priority, accept)]);
        WaitFor(a, VrrpState.Master);
        a.Engine.Stop("VI_1");
        Assert.DoesNotContain(a.Host.AcceptFilter.Journal, j => j.StartsWith("block", StringComparison.Ordinal));
    }
}

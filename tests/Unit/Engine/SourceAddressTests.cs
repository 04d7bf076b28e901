using VrrpPS.Engine;
using VrrpPS.Protocol;
using VrrpPS.StateMachine;
using VrrpPS.Tests.Simulation.Engine;
using Xunit;

namespace VrrpPS.Tests.Engine;

/// <summary>
/// Which address an instance advertises from when nothing is configured (keepalived: the
/// interface's first address of the family, IPv6 link-local; addresses it installed itself as VIPs
/// do not count), and the RFC 5798 §5.2.4 owner whose real address is the VIP.
/// </summary>
public sealed class SourceAddressTests : IDisposable
{
    private const string Vip = "198.51.100.100";
    private readonly EngineSimulator _sim = new(seed: 14);

    public void Dispose() => _sim.Dispose();

    private static InstanceDefinition Def(int priority, string name = "VI_1", int vrid = 51, string vip = Vip) => new()
    {
        Name = name,
        InterfaceName = "eth0",
        VirtualRouterId = vrid,
        Priority = priority,
        Version = VrrpVersion.V3,
        AdvertisementIntervalCentiseconds = 5,
        VirtualAddresses = [new VirtualAddressSpec(IpAddressValue.Parse(vip), 24)],
    };

    [Fact]
    public void AnOwnerWhoseOnlyAddressIsTheVipStartsAsMasterAdvertisesFromItAndKeepsItOnStop()
    {
        var node = _sim.AddNode(Vip);
        var (owner, host) = (node.Engine, node.Host);
        owner.Start([Def(priority: 255)]);

        _sim.RunFor(TimeSpan.FromMilliseconds(200));
        var state = node.State();
        Assert.Equal(VrrpState.Master, state.State);
        Assert.Equal(Vip, state.SourceAddress);
        Assert.Contains(_sim.Network.Wire, w => w.Host == host.Id && w.Priority == 255);

        owner.Stop("VI_1");
        // The VIP is the owner's own address: releasing must not delete it (keepalived removes only what it added).
        Assert.False(host.PrimaryRemoved, string.Join(", ", host.SimAddresses.Journal));
        Assert.True(host.Owns(IpAddressValue.Parse(Vip)));
    }

    [Fact]
    public void ABackupWhoseOnlyAddressIsTheVipIsRefusedWithAClearErrorAndTheAddressStays()
    {
        var node = _sim.AddNode(Vip);
        var (backup, host) = (node.Engine, node.Host);

        var ex = Assert.Throws<VrrpEngineException>(() => backup.Start([Def(priority: 100)]));

        Assert.Equal(EngineErrorIds.NoSourceAddress, ex.ErrorId);
        Assert.Contains($"only IPv4 address on eth0 is the virtual address {Vip}", ex.Message);
        Assert.Contains("priority 255", ex.Message);
        Assert.Equal(0, backup.InstanceCount);
        Assert.Empty(host.SimAddresses.Journal);
    }
}

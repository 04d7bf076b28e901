using System.Management.Automation;
using VrrpPS.Config;
using VrrpPS.Engine;
using VrrpPS.Hosting;
using VrrpPS.Protocol;
using Xunit;

namespace VrrpPS.Tests.Hosting;

/// <summary>
/// Start-VrrpInstance's parameters → engine definition, on the plain parameter object the cmdlet binds
/// into (no pwsh, no engine): the rules users rely on when they start an instance by parameters.
/// </summary>
public sealed class StartParametersTests
{
    private static StartParameters Minimal(Action<StartParameters>? change = null)
    {
        var p = new StartParameters { Name = "VI_1", Interface = "eth0", VirtualRouterId = 51, VirtualIPAddress = ["198.51.100.100/24"] };
        change?.Invoke(p);
        return p;
    }

    private static InstanceDefinition Build(StartParameters p) =>
        TrackingParameterBuilder.ApplyActions(p, TrackingParameterBuilder.Apply(p, ParameterDefinitionBuilder.Build(p)));

    [Theory]
    [InlineData(3, 0.01, 1)]
    [InlineData(3, 0.1, 10)]
    [InlineData(3, 40.95, 4095)]
    [InlineData(2, 1, 100)]
    [InlineData(2, 255, 25500)]
    public void AnExactIntervalBecomesCentiseconds(int version, double seconds, int centiseconds)
    {
        var d = Build(Minimal(p => { p.Version = version; p.AdvertisementInterval = seconds; }));
        Assert.Equal(centiseconds, d.AdvertisementIntervalCentiseconds);
        Assert.Equal(version == 2 ? VrrpVersion.V2 : VrrpVersion.V3, d.Version);
    }

    [Theory]
    [InlineData(2, 0.5, "whole seconds from 1 to 255")]
    [InlineData(2, 1.5, "whole seconds from 1 to 255")]
    [InlineData(3, 0.015, "0.01 to 40.95 s in steps of 0.01 s")]
    [InlineData(3, 0, "0.01 to 40.95 s in steps of 0.01 s")]
    [InlineData(3, double.NaN, "0.01 to 40.95 s in steps of 0.01 s")]
    public void AnIntervalTheVersionCannotCarryIsRefusedWithAStableErrorId(int version, double seconds, string rule)
    {
        var ex = Assert.Throws<VrrpEngineException>(() => Build(Minimal(p => { p.Version = version; p.AdvertisementInterval = seconds; })));
        Assert.Equal("VrrpAdvertisementIntervalOutOfRange", ex.ErrorId);
        Assert.StartsWith("(VI_1) advertisement interval ", ex.Message);
        Assert.Contains(rule, ex.Message);
    }

    [Fact]
    public void NoVirtualMacUnlessAskedFor()
    {
        var d = Build(Minimal());
        Assert.False(d.UseVirtualMac);
        Assert.Null(d.VirtualMacName);
    }

    [Fact]
    public void AVirtualMacNameImpliesUseVirtualMac()
    {
        var d = Build(Minimal(p => p.VirtualMacName = "vrrp.51"));
        Assert.True(d.UseVirtualMac);
        Assert.Equal("vrrp.51", d.VirtualMacName);
        Assert.False(d.VirtualMacTransmitBase);
    }

    [Fact]
    public void TransmitFromTheBaseInterfaceImpliesUseVirtualMac()
    {
        var d = Build(Minimal(p => p.VirtualMacTransmitBase = true));
        Assert.True(d.UseVirtualMac);
        Assert.True(d.VirtualMacTransmitBase);
    }

    [Fact]
    public void TrackersKeepTheirWeightsAndDirection()
    {
        var d = Build(Minimal(p =>
        {
            p.TrackInterface = [new VrrpTrackInterface { Name = "eth1", Weight = -20, Reverse = true }];
            p.TrackScript = [new VrrpTrackScript { Name = "api", Command = ["/bin/true"], Weight = -60, Rise = 2, Fall = 3 }];
            p.TrackFile = [new VrrpTrackFile { Path = "/run/vrrp/maint", Weight = -1 }];
            p.TrackProcess = [new VrrpTrackProcess { Process = "haproxy", Weight = 10 }];
        }));
        var i = Assert.Single(d.TrackInterfaces);
        Assert.Equal(("eth1", -20, true), (i.InterfaceName, i.Weight, i.Reverse));
        var s = Assert.Single(d.TrackScripts);
        Assert.Equal(("api", -60, 2, 3), (s.Name, s.Weight, s.Rise, s.Fall));
        var f = Assert.Single(d.TrackFiles);
        Assert.Equal(("/run/vrrp/maint", -1), (f.Name, f.Weight)); // no Name: the path names it
        var pr = Assert.Single(d.TrackProcesses);
        Assert.Equal(("haproxy", 10, 1), (pr.Name, pr.Weight, pr.Quorum));
    }

    [Fact]
    public void ATrackScriptNeedsExactlyOneOfScriptBlockOrCommand()
    {
        var both = Minimal(p => p.TrackScript = [new VrrpTrackScript { Name = "api", Command = ["/bin/true"], ScriptBlock = ScriptBlock.Create("$true") }]);
        Assert.Equal("VrrpInvalidTrackScript", Assert.Throws<VrrpEngineException>(() => Build(both)).ErrorId);
        var neither = Minimal(p => p.TrackScript = [new VrrpTrackScript { Name = "api" }]);
        Assert.Equal("VrrpInvalidTrackScript", Assert.Throws<VrrpEngineException>(() => Build(neither)).ErrorId);
    }

    [Fact]
    public void ScriptBlockActionsTravelAsTextWithTheGivenTimeout()
    {
        var d = Build(Minimal(p => { p.OnMaster = ScriptBlock.Create("'up'"); p.NotifyTimeout = 5; }));
        Assert.Equal("'up'", d.Notify!.OnMaster);
        Assert.Null(d.Notify.OnBackup);
        Assert.Equal(5, d.Notify.TimeoutSeconds);

        var defaulted = Build(Minimal(p => p.OnStop = ScriptBlock.Create("'down'")));
        Assert.Equal(StartParameters.DefaultNotifyTimeoutSeconds, defaulted.Notify!.TimeoutSeconds);
    }

    [Fact]
    public void WithoutNotifyParametersThereIsNoNotifyDefinition()
    {
        Assert.Null(Build(Minimal()).Notify);
    }

    [Fact]
    public void AddressesAndPreemptionAreTakenAsGiven()
    {
        var d = Build(Minimal(p =>
        {
            p.UnicastPeer = ["198.51.100.2"];
            p.UnicastSourceAddress = "198.51.100.1";
            p.NoPreempt = true;
            p.PreemptDelay = 2.5;
            p.AuthenticationPassword = "";
        }));
        Assert.Equal("198.51.100.2", Assert.Single(d.UnicastPeers).ToString());
        Assert.Equal("198.51.100.1", d.SourceAddress.ToString());
        Assert.False(d.Preempt);
        Assert.Equal(2.5, d.PreemptDelaySeconds);
        Assert.Null(d.AuthenticationPassword); // an empty password is no authentication
        Assert.Equal(24, Assert.Single(d.VirtualAddresses).PrefixLength);
    }

    [Fact]
    public void AnUnparsablePeerIsRefusedWithAStableErrorId()
    {
        var ex = Assert.Throws<VrrpEngineException>(() => Build(Minimal(p => p.UnicastPeer = ["198.51.100.300"])));
        Assert.Equal("VrrpInvalidAddress", ex.ErrorId);
    }

    [Fact]
    public void ThePlanNamesEveryInstanceForShouldProcess()
    {
        var starter = new InstanceStarter(Minimal());
        starter.AddParameters();
        var plan = starter.Plan();
        Assert.Equal("VI_1 (VRID 51 on eth0)", plan.Description);
        Assert.Equal(["VI_1"], plan.Names);
        Assert.Empty(plan.Statics);
    }

    [Fact]
    public void AnObjectThatIsNotConfigIsRefusedWithAStableErrorId()
    {
        var starter = new InstanceStarter(new StartParameters());
        Assert.Equal("VrrpUnsupportedInputObject", Assert.Throws<VrrpEngineException>(() => starter.AddConfig(42)).ErrorId);
    }
}

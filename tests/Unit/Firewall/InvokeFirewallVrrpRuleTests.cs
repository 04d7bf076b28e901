using System.Management.Automation;
using System.Management.Automation.Runspaces;
using VrrpPS.Cmdlets;
using VrrpPS.Firewall;
using Xunit;
using static VrrpPS.Tests.Firewall.NftCannedRulesets;

namespace VrrpPS.Tests.Firewall;

/// <summary>The cmdlet in a real runspace with a fake runner: binding, -WhatIf, errors, pipeline config objects.</summary>
public sealed class InvokeFirewallVrrpRuleTests : IDisposable
{
    private readonly FakeCommandRunner _runner = new();

    public InvokeFirewallVrrpRuleTests()
    {
        _runner.On("nft -j list ruleset", 0, InetFilterPolicyDrop()).On("nft -j -f -", 0);
        InvokeFirewallVrrpRule.RunnerFactory = () => _runner;
        InvokeFirewallVrrpRule.InterfaceExists = name => name is "eth0" or "veth1";
    }

    public void Dispose()
    {
        InvokeFirewallVrrpRule.RunnerFactory = () => new ProcessCommandRunner();
        InvokeFirewallVrrpRule.InterfaceExists = FirewallInputValidator.InterfaceExists;
    }

    private static (List<PSObject> Output, List<ErrorRecord> Errors) Invoke(string script)
    {
        InitialSessionState iss = InitialSessionState.CreateDefault2();
        iss.Commands.Add(new SessionStateCmdletEntry("Invoke-FirewallVrrpRule", typeof(InvokeFirewallVrrpRule), null));
        using var ps = PowerShell.Create(iss);
        ps.AddScript(script);
        var output = ps.Invoke().ToList();
        return (output, ps.Streams.Error.ToList());
    }

    [Fact]
    public void PassThru_ReportsChangedProviderAndRules()
    {
        (List<PSObject> output, List<ErrorRecord> errors) = Invoke("Invoke-FirewallVrrpRule -Provider Nftables -Interface eth0 -AddressFamily IPv4 -PassThru");
        Assert.Empty(errors);
        var result = Assert.IsType<FirewallVrrpRuleResult>(Assert.Single(output).BaseObject);
        Assert.True(result.Changed);
        Assert.Equal(FirewallRuleAction.Added, result.Action);
        Assert.Equal(FirewallProviderKind.Nftables, result.Provider);
        Assert.Equal("eth0", result.Interface);
        Assert.Single(result.Rules);
        Assert.Single(_runner.Mutations);
    }

    [Fact]
    public void WhatIf_AppliesNothing_AndReportsUnchanged()
    {
        (List<PSObject> output, _) = Invoke("Invoke-FirewallVrrpRule -Provider Nftables -WhatIf -PassThru");
        var result = Assert.IsType<FirewallVrrpRuleResult>(Assert.Single(output).BaseObject);
        Assert.False(result.Changed);
        Assert.Equal(FirewallRuleAction.None, result.Action);
        Assert.Empty(_runner.Mutations);
    }

    [Theory]
    [InlineData("-Interface 'eth0; rm -rf /'", "InvalidInterfaceName")]
    [InlineData("-Interface eth7", "InterfaceNotFound")]
    [InlineData("-Peer '198.51.100.1; reboot'", "InvalidPeerAddress")]
    [InlineData("-Peer 198.51.100", "InvalidPeerAddress")]
    [InlineData("-Peer 198.51.100.2 -AddressFamily IPv6", "PeerFamilyMismatch")]
    [InlineData("-Zone 'public --panic-on'", "InvalidZoneName")]
    public void BadInput_IsAnErrorRecordWithStableId_AndNoToolRuns(string args, string errorId)
    {
        (_, List<ErrorRecord> errors) = Invoke("Invoke-FirewallVrrpRule -Provider Nftables " + args);
        ErrorRecord error = Assert.Single(errors);
        Assert.Equal(errorId + ",VrrpPS.Cmdlets.InvokeFirewallVrrpRule", error.FullyQualifiedErrorId);
        Assert.Empty(_runner.Calls);
    }

    [Fact]
    public void MissingTool_IsTerminatingToolNotFound()
    {
        _runner.Programs.Clear();
        (List<PSObject> output, List<ErrorRecord> errors) = Invoke("Invoke-FirewallVrrpRule -Provider Nftables -PassThru; 'after'");
        Assert.Equal("FirewallToolNotFound,VrrpPS.Cmdlets.InvokeFirewallVrrpRule", Assert.Single(errors).FullyQualifiedErrorId);
        Assert.Equal("after", Assert.Single(output).BaseObject); // statement-terminating: no result object was written
    }

    [Fact]
    public void PipelineConfigObjects_BindInterfaceUnicastPeerAndVipFamily_ScriptsAreSkipped()
    {
        const string script = """
            $peer = [pscustomobject]@{ Address = '198.51.100.2' }
            @(
              [pscustomobject]@{ Name = 'VI_1'; Interface = 'veth1'; UnicastPeer = @($peer, '198.51.100.3'); VirtualIPAddress = @('198.51.100.10/24') },
              [pscustomobject]@{ Name = 'chk_http'; Script = '/bin/true' }
            ) | Invoke-FirewallVrrpRule -Provider Nftables -PassThru
            """;
        (List<PSObject> output, List<ErrorRecord> errors) = Invoke(script);
        Assert.Empty(errors);
        var result = Assert.IsType<FirewallVrrpRuleResult>(Assert.Single(output).BaseObject);
        Assert.Equal("veth1", result.Interface);
        Assert.Equal(VrrpAddressFamily.IPv4, result.AddressFamily);
        string batch = Assert.Single(_runner.Mutations).Stdin!;
        Assert.Contains("\"right\":\"veth1\"", batch);
        Assert.Contains("{\"set\":[\"198.51.100.2\",\"198.51.100.3\"]}", batch);
    }

    [Fact]
    public void TypedConfigObject_LikeVrrpInstanceConfig_BindsCustomGroupAndVipFamily()
    {
        // Shape of VrrpPS.Config.VrrpInstanceConfig: typed arrays of objects with an Address property,
        // keepalived mcast_group4 as MulticastGroup4, Version (2/3) which must not be read as a family.
        var config = new FakeInstanceConfig
        {
            Interface = "eth0", MulticastGroup4 = "224.0.0.19",
            VirtualIPAddress = [new FakeAddress { Address = "198.51.100.10", PrefixLength = 24 }],
        };
        InitialSessionState iss = InitialSessionState.CreateDefault2();
        iss.Commands.Add(new SessionStateCmdletEntry("Invoke-FirewallVrrpRule", typeof(InvokeFirewallVrrpRule), null));
        using var ps = PowerShell.Create(iss);
        ps.AddCommand("Invoke-FirewallVrrpRule").AddParameter("Provider", "Nftables").AddParameter("PassThru");
        var result = Assert.IsType<FirewallVrrpRuleResult>(Assert.Single(ps.Invoke(new object[] { config })).BaseObject);
        Assert.Empty(ps.Streams.Error);
        Assert.Equal(VrrpAddressFamily.IPv4, result.AddressFamily);
        string batch = Assert.Single(_runner.Mutations).Stdin!;
        Assert.Contains("\"right\":\"224.0.0.19\"", batch);
        Assert.DoesNotContain("224.0.0.18", batch);
    }

    [Theory]
    [InlineData("-MulticastGroup4 198.51.100.1")]
    [InlineData("-MulticastGroup4 ff02::12")]
    [InlineData("-MulticastGroup6 'ff02::12; flush'")]
    public void BadMulticastGroup_IsInvalidMulticastGroup(string args)
    {
        (_, List<ErrorRecord> errors) = Invoke("Invoke-FirewallVrrpRule -Provider Nftables " + args);
        Assert.Equal("InvalidMulticastGroup,VrrpPS.Cmdlets.InvokeFirewallVrrpRule", Assert.Single(errors).FullyQualifiedErrorId);
        Assert.Empty(_runner.Calls);
    }

    [Fact]
    public void PermanentWithNftables_IsWarnedAboutNotSilentlyIgnored()
    {
        (List<PSObject> output, _) = Invoke("Invoke-FirewallVrrpRule -Provider Nftables -Permanent -PassThru -WarningAction SilentlyContinue");
        var result = Assert.IsType<FirewallVrrpRuleResult>(Assert.Single(output).BaseObject);
        Assert.Contains(result.Warnings, w => w.Contains("firewalld only", StringComparison.Ordinal));
    }

    public sealed class FakeAddress
    {
        public string Address { get; set; } = "";
        public int PrefixLength { get; set; }
    }

    public sealed class FakeInstanceConfig
    {
        public string Name { get; set; } = "VI_1";
        public string Interface { get; set; } = "";
        public int Version { get; set; } = 3;
        public FakeAddress[] UnicastPeer { get; set; } = [];
        public string? MulticastGroup4 { get; set; }
        public string? MulticastGroup6 { get; set; }
        public FakeAddress[] VirtualIPAddress { get; set; } = [];
    }

    [Fact]
    public void IPv6VirtualAddresses_WithoutPeers_SelectIPv6Multicast()
    {
        (List<PSObject> output, _) = Invoke(
            "[pscustomobject]@{ Interface = 'eth0'; VirtualIPAddress = @([pscustomobject]@{ Address = '2001:db8::10' }) } | Invoke-FirewallVrrpRule -Provider Nftables -PassThru");
        var result = Assert.IsType<FirewallVrrpRuleResult>(Assert.Single(output).BaseObject);
        Assert.Equal(VrrpAddressFamily.IPv6, result.AddressFamily);
        Assert.Contains("ff02::12", Assert.Single(_runner.Mutations).Stdin);
    }
}

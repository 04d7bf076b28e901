using VrrpPS.Hosting;
using VrrpPS.Cmdlets;
using VrrpPS.Config;
using VrrpPS.Engine;
using VrrpPS.Protocol;
using VrrpPS.Tests.Simulation.Engine;
using Xunit;

namespace VrrpPS.Tests.Engine;

/// <summary>
/// static_ipaddress / static_routes / static_rules: keepalived.conf lines → engine entries (bad lines named by
/// file:line), and the engine's set reconciled as keepalived's reload does (unchanged entries untouched, an
/// unknown interface refused before anything changes, everything removed when the engine stops).
/// </summary>
public sealed class StaticEntriesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vrrpps-static-").FullName;
    private readonly SimHost _host = new(new SimNetwork(new Random(1)), 1, "198.51.100.11");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (IReadOnlyList<StaticNetworkEntry>? Entries, VrrpEngineException? Error, string Path) Entries(string text)
    {
        string path = Path.Combine(_dir, "k.conf");
        File.WriteAllText(path, text);
        var r = KeepalivedConfigReader.Read(path, new KeepalivedReadOptions { ConfigId = "n" });
        Assert.DoesNotContain(r.Diagnostics, d => d.Severity == ConfigDiagnosticSeverity.Error);
        var batch = new ConfigBatch();
        foreach (var s in r.Statics)
        {
            batch.Add(s);
        }
        try
        {
            return (batch.StaticEntries(), null, path);
        }
        catch (VrrpEngineException ex)
        {
            return (null, ex, path);
        }
    }

    private static StaticNetworkEntry Address(string a, string dev = "eth0", string source = "k.conf:2") =>
        new() { Address = new VirtualAddressSpec(IpAddressValue.Parse(a), 32) { Device = dev }, Source = source };

    [Fact]
    public void Lines_become_entries_with_their_file_and_line()
    {
        var (entries, error, path) = Entries("static_ipaddress {\n  203.0.113.5/32 dev lo scope host\n}\nstatic_routes {\n  blackhole 198.19.1.0/24\n}\nstatic_rules {\n  from 203.0.113.5 table 100 pref 1000\n}\n");
        Assert.Null(error);
        Assert.Equal(3, entries!.Count);
        Assert.Equal((byte)254, entries[0].Address!.Scope);
        Assert.Equal("lo", entries[0].Address!.Device);
        Assert.Equal($"{path}:2", entries[0].Source);
        Assert.Equal((byte)6, entries[1].Route!.Type);
        Assert.True(entries[2].Route!.IsRule);
        Assert.Equal($"{path}:8", entries[2].Source);
    }

    [Theory]
    [InlineData("static_ipaddress {\n  203.0.113.5/32\n}\n", 2, "names no interface")]
    [InlineData("static_routes {\n  198.18.0.0/16 via 198.51.100.254 realm 5\n}\n", 2, "'realm' is not supported")]
    [InlineData("static_rules {\n  table 100\n}\n", 2, "neither from nor to")]
    public void A_line_that_cannot_be_installed_is_an_error_at_file_line(string text, int line, string why)
    {
        var (_, error, path) = Entries(text);
        Assert.NotNull(error);
        Assert.Equal("VrrpStaticConfigInvalid", error!.ErrorId);
        Assert.StartsWith($"{path}:{line}: ", error.Message);
        Assert.Contains(why, error.Message);
    }

    [Fact]
    public void A_bad_prefix_is_a_parse_error_at_file_line_column()
    {
        string path = Path.Combine(_dir, "p.conf");
        File.WriteAllText(path, "static_ipaddress {\n  203.0.113.5/40 dev lo\n}\n");
        var r = KeepalivedConfigReader.Read(path, new KeepalivedReadOptions());
        var d = Assert.Single(r.Diagnostics, d => d.Severity == ConfigDiagnosticSeverity.Error);
        Assert.Equal((path, 2, "KeepalivedInvalidAddress"), (d.File, d.Line, d.ErrorId));
    }

    [Fact]
    public void Reconciling_touches_only_what_changed_and_stopping_removes_everything()
    {
        using var engine = new VrrpEngine(_host, EngineDriver.Manual);
        engine.SetStaticEntries([Address("203.0.113.5"), Address("203.0.113.6")]);
        Assert.Equal(["add 203.0.113.5", "add 203.0.113.6"], _host.SimAddresses.Journal);
        _host.SimAddresses.Journal.Clear();
        // The same address on another line (a reload that moved it) is the same entry: left alone.
        engine.SetStaticEntries([Address("203.0.113.5", source: "k.conf:9"), Address("203.0.113.7")]);
        Assert.Equal(["del 203.0.113.6", "add 203.0.113.7"], _host.SimAddresses.Journal);
        _host.SimAddresses.Journal.Clear();
        engine.Dispose();
        Assert.Equal(["del 203.0.113.7", "del 203.0.113.5"], _host.SimAddresses.Journal.OrderByDescending(x => x).ToList());
        Assert.False(_host.SimAddresses.Holds(IpAddressValue.Parse("203.0.113.5")));
    }

    [Fact]
    public void An_unknown_interface_changes_nothing()
    {
        using var engine = new VrrpEngine(_host, EngineDriver.Manual);
        engine.SetStaticEntries([Address("203.0.113.5")]);
        _host.SimAddresses.Journal.Clear();
        var ex = Assert.Throws<VrrpEngineException>(() => engine.SetStaticEntries([Address("203.0.113.6"), Address("203.0.113.7", dev: "nosuch0", source: "k.conf:7")]));
        Assert.Equal("VrrpStaticInterfaceNotFound", ex.ErrorId);
        Assert.StartsWith("k.conf:7: interface 'nosuch0'", ex.Message);
        Assert.Empty(_host.SimAddresses.Journal);
        Assert.Single(engine.StaticEntries);
    }

    [Fact]
    public void A_kernel_refusal_undoes_the_call()
    {
        using var engine = new VrrpEngine(_host, EngineDriver.Manual);
        engine.SetStaticEntries([Address("203.0.113.5")]);
        _host.SimAddresses.Journal.Clear();
        _host.FailNext.Add("add");
        var ex = Assert.Throws<VrrpEngineException>(() => engine.SetStaticEntries([Address("203.0.113.6")]));
        Assert.Equal("VrrpStaticEntryFailed", ex.ErrorId);
        Assert.Contains("k.conf:2", ex.Message);
        // 203.0.113.5 was removed to make room, the add failed: it is put back.
        Assert.Equal(["del 203.0.113.5", "add 203.0.113.5"], _host.SimAddresses.Journal.Where(j => !j.StartsWith("add 203.0.113.6", StringComparison.Ordinal)));
        Assert.True(_host.SimAddresses.Holds(IpAddressValue.Parse("203.0.113.5")));
        Assert.Equal("203.0.113.5", Assert.Single(engine.StaticEntries).Address!.Address.ToString());
    }
}

using System.Collections;
using VrrpPS.Config;
using VrrpPS.Diagnostics;
using VrrpPS.Engine;
using Xunit;

namespace VrrpPS.Tests.Diagnostics;

/// <summary>Test-VrrpFailover -Lab's inputs, refused before any namespace is built, with stable ErrorIds.</summary>
public sealed class SandboxInputsTests : IDisposable
{
    private const string Node = "vrrp_instance VI_1 {\nstate BACKUP\ninterface eth0\nvirtual_router_id 51\npriority 100\nvirtual_ipaddress {\n198.51.100.100/24\n}\n}\n";
    private readonly string _dir = Directory.CreateTempSubdirectory("vrrpps-inputs").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string File(string name, string text)
    {
        string p = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(p, text);
        return p;
    }

    [Fact]
    public void TwoValidFilesMakeATwoNodePlanAndReportNothing()
    {
        var reported = new List<string>();
        var plan = SandboxInputs.Plan([File("n1.conf", Node), File("n2.conf", Node.Replace("priority 100", "priority 90"))], null,
            (f, d) => reported.Add(d.ErrorId));
        Assert.Equal(2, plan.Nodes.Count);
        Assert.Empty(reported);
    }

    [Fact]
    public void AFileWithErrorsReportsEachErrorAndStopsTheLabNamingTheFile()
    {
        string bad = File("n2.conf", Node.Replace("virtual_router_id 51", "virtual_router_id 300"));
        var reported = new List<(string File, ConfigDiagnostic D)>();
        var ex = Assert.Throws<VrrpEngineException>(() => SandboxInputs.Plan([File("n1.conf", Node), bad], null, (f, d) => reported.Add((f, d))));
        Assert.Equal("VrrpSandboxConfigInvalid", ex.ErrorId);
        Assert.Equal($"{bad} has errors; fix them first (Test-VrrpConfig).", ex.Message);
        Assert.NotEmpty(reported);
        Assert.All(reported, r => Assert.Equal(bad, r.File));
        Assert.All(reported, r => Assert.Equal(4, r.D.Line));
    }

    [Fact]
    public void AFileWithoutAnInstanceCannotBeALabNode()
    {
        var ex = Assert.Throws<VrrpEngineException>(() => SandboxInputs.Plan([File("n1.conf", Node), File("n2.conf", "global_defs {\n}\n")], null, (_, _) => { }));
        Assert.Equal("VrrpSandboxConfigInvalid", ex.ErrorId);
    }

    [Fact]
    public void TrackOverridesArePassOrFailInAnyCase()
    {
        var o = SandboxInputs.TrackOverrides(new Hashtable { ["chk_api"] = "FAIL", ["chk_db"] = "pass" });
        Assert.Equal("FAIL", o["chk_api"]);
        Assert.Equal("pass", o["chk_db"]);
        Assert.Empty(SandboxInputs.TrackOverrides(null));
    }

    [Fact]
    public void AnyOtherTrackOverrideIsRefusedNamingTheScript()
    {
        var ex = Assert.Throws<VrrpEngineException>(() => SandboxInputs.TrackOverrides(new Hashtable { ["chk_api"] = "down" }));
        Assert.Equal("VrrpSandboxBadTrackOverride", ex.ErrorId);
        Assert.Equal("-TrackOverride chk_api = 'down': use 'pass' or 'fail'.", ex.Message);
        Assert.Equal("chk_api", ex.Target);
    }
}

using VrrpPS.Engine;
using VrrpPS.Platform.Linux;
using VrrpPS.Engine.Tracking;
using Xunit;

namespace VrrpPS.Tests.Tracking;

/// <summary>Process checks (argument arrays, timeout kills the tree, script security) and ScriptBlock checks.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vrrpps-track-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteScript(string name, string body, UnixFileMode mode)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, mode);
        return path;
    }

    private const UnixFileMode RootOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    [Fact]
    public async Task ArgumentsWithSpacesAndQuotesReachTheProgramUnchanged()
    {
        string[] args = ["a b", "it's", "\"q\"", "$HOME", "*", ""];
        var r = await LinuxProcessRunner.Shared.RunAsync(new ProcessRequest(["/usr/bin/printf", "%s|", .. args], TimeSpan.FromSeconds(5)));
        Assert.True(r.Success, r.Error);
        Assert.Equal(string.Join("|", args) + "|", r.Output);
    }

    [Fact]
    public async Task TimeoutKillsTheScriptAndItsChildren()
    {
        // keepalived: a script exceeding `timeout` is killed and counts as a failure.
        string pidFile = Path.Combine(_dir, "child.pid");
        string script = WriteScript("hang.sh", $"sleep 60 &\necho $! > {pidFile}\nwait", RootOnly);
        var started = DateTime.UtcNow;
        var r = await LinuxProcessRunner.Shared.RunAsync(new ProcessRequest([script], TimeSpan.FromMilliseconds(300)));
        Assert.False(r.Success);
        Assert.True(r.TimedOut);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(4));
        int child = int.Parse(File.ReadAllText(pidFile).Trim());
        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (Directory.Exists($"/proc/{child}") && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }
        Assert.False(Directory.Exists($"/proc/{child}") && !File.ReadAllText($"/proc/{child}/stat").Contains(") Z "),
            $"child sleep {child} survived the timeout");
    }

    [Fact]
    public async Task ExitCodeDecides()
    {
        Assert.True((await LinuxProcessRunner.Shared.RunAsync(new ProcessRequest(["/bin/true"], TimeSpan.FromSeconds(5)))).Success);
        var r = await LinuxProcessRunner.Shared.RunAsync(new ProcessRequest(["/bin/sh", "-c", "echo nope >&2; exit 3"], TimeSpan.FromSeconds(5)));
        Assert.False(r.Success);
        Assert.Equal("exit code 3: nope", r.Error);
    }

    [Fact]
    public async Task ChecksGetPathOnly_ToolsGetTheCallersEnvironmentPlusOverrides()
    {
        // A check or notify program sees nothing of pwsh's environment; a system tool (firewall, lab) does.
        Environment.SetEnvironmentVariable("VRRPPS_RUNNER_TEST", "from-pwsh");
        try
        {
            string[] printenv = ["/usr/bin/env"];
            var check = await LinuxProcessRunner.Shared.RunAsync(new ProcessRequest(printenv, TimeSpan.FromSeconds(5)));
            Assert.Equal($"PATH={ScriptSecurity.SafePath}\n", check.Output);
            var tool = await LinuxProcessRunner.Shared.RunAsync(new ProcessRequest(printenv, TimeSpan.FromSeconds(5))
            {
                InheritEnvironment = true,
                Environment = new Dictionary<string, string> { ["LC_ALL"] = "C" },
                OutputCap = ProcessRequest.ToolOutputCap,
            });
            Assert.Contains("VRRPPS_RUNNER_TEST=from-pwsh\n", tool.Output);
            Assert.Contains("LC_ALL=C\n", tool.Output);
        }
        finally
        {
            Environment.SetEnvironmentVariable("VRRPPS_RUNNER_TEST", null);
        }
    }

    [Fact]
    public async Task StandardInputAndStandardError_AreCarried_AndAMissingProgramIsStartFailed()
    {
        var cat = await LinuxProcessRunner.Shared.RunAsync(new ProcessRequest(["cat"], TimeSpan.FromSeconds(5)) { StandardInput = "in" });
        Assert.Equal("in", cat.Output);
        var ls = await LinuxProcessRunner.Shared.RunAsync(new ProcessRequest(["ls", "/vrrpps-no-such-dir"], TimeSpan.FromSeconds(5)));
        Assert.False(ls.Success);
        Assert.False(ls.StartFailed);
        Assert.Contains("vrrpps-no-such-dir", ls.StandardError);
        var missing = await LinuxProcessRunner.Shared.RunAsync(new ProcessRequest(["vrrpps-no-such-program"], TimeSpan.FromSeconds(5)));
        Assert.True(missing.StartFailed);
        Assert.StartsWith("cannot start vrrpps-no-such-program", missing.Error);
    }

    [Trait(TestCategories.Key, TestCategories.Root)]
    [Fact]
    public void WorldWritableScriptIsRefusedWhenRunningAsRoot()
    {
        // keepalived enable_script_security: a script non-root users can change is not run as root.
        string bad = WriteScript("bad.sh", "exit 0", RootOnly | UnixFileMode.OtherWrite);
        var ex = Assert.Throws<VrrpEngineException>(() => ScriptSecurity.Check("track script chk", bad));
        Assert.Equal("VrrpScriptInsecure", ex.ErrorId);
        Assert.Contains("chmod go-w", ex.Message);
        Assert.Contains(bad, ex.Message);
        string good = WriteScript("good.sh", "exit 0", RootOnly);
        if (ScriptSecurity.RunningAsRoot)
        {
            ScriptSecurity.Check("track script chk", good); // root-owned 0755 in a 0700 temp dir: accepted
        }
        Assert.Equal("VrrpScriptNotFound",
            Assert.Throws<VrrpEngineException>(() => ScriptSecurity.Check("x", Path.Combine(_dir, "missing"))).ErrorId);
    }

    [Fact]
    public async Task ScriptBlockThatThrowsKeepsItsMessage()
    {
        using var rs = new EngineRunspace();
        var r = await rs.InvokeAsync("throw 'api unreachable'", [], TimeSpan.FromSeconds(10));
        Assert.False(r.Success);
        Assert.Equal("api unreachable", r.Error);
    }

    [Fact]
    public async Task ScriptBlockReturningFalseFailsAndTrueSucceeds()
    {
        using var rs = new EngineRunspace();
        Assert.False((await rs.InvokeAsync("$false", [], TimeSpan.FromSeconds(10))).Success);
        Assert.True((await rs.InvokeAsync("1 -eq 1", [], TimeSpan.FromSeconds(10))).Success);
        var withArg = await rs.InvokeAsync("param($e) $e.Name", [new VrrpStateChangedEventArgs { Name = "VI_9" }], TimeSpan.FromSeconds(10));
        Assert.Equal("VI_9", withArg.Output);
    }

    [Fact]
    public async Task HangingScriptBlockIsStoppedAtItsTimeoutAndTheRunspaceStaysUsable()
    {
        using var rs = new EngineRunspace();
        var started = DateTime.UtcNow;
        var r = await rs.InvokeAsync("Start-Sleep -Seconds 60", [], TimeSpan.FromMilliseconds(300));
        Assert.False(r.Success);
        Assert.Contains("timed out", r.Error);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        Assert.True((await rs.InvokeAsync("$true", [], TimeSpan.FromSeconds(10))).Success);
    }

    [Fact]
    public void TrackFileReadsTheLeadingInteger()
    {
        string f = Path.Combine(_dir, "prio");
        var def = new TrackFileDefinition { Name = "f", Path = f, InitialValue = 7 };
        Assert.Equal(7, TrackerRunner.ReadValue(def).Value); // missing ⇒ init_file value
        File.WriteAllText(f, "-12 maintenance\n");
        Assert.Equal(-12, TrackerRunner.ReadValue(def).Value);
    }
}

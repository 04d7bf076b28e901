using VrrpPS.Firewall;
using Xunit;

namespace VrrpPS.Tests.Firewall;

/// <summary>The real runner passes each argument as one argv entry (no shell), feeds stdin, and bounds run time.</summary>
public sealed class ProcessCommandRunnerTests
{
    private readonly ProcessCommandRunner _runner = new();

    [Fact]
    public void ShellMetacharacters_StayInsideOneArgument()
    {
        CommandResult r = _runner.Run("printf", ["%s|", "a b", "eth0; rm -rf /", "$(id)"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("a b|eth0; rm -rf /|$(id)|", r.StandardOutput);
    }

    [Fact]
    public void StandardInput_IsDelivered() =>
        Assert.Equal("{\"nftables\":[]}", _runner.Run("cat", [], "{\"nftables\":[]}").StandardOutput);

    [Fact]
    public void Timeout_KillsAndReportsTimedOut()
    {
        CommandResult r = _runner.Run("sleep", ["10"], timeout: TimeSpan.FromMilliseconds(200));
        Assert.True(r.TimedOut);
        Assert.Equal(FirewallErrorIds.CommandTimedOut, FirewallException.FromResult("sleep", ["10"], r).ErrorId);
    }

    [Fact]
    public void MissingProgram_IsToolNotFound()
    {
        Assert.False(_runner.Exists("vrrpps-no-such-tool"));
        Assert.Equal(FirewallErrorIds.ToolNotFound,
            Assert.Throws<FirewallException>(() => _runner.Run("vrrpps-no-such-tool", [])).ErrorId);
    }

    [Fact]
    public void Timeout_HoldsEvenWhenTheProgramDoesNotReadItsInput()
    {
        // More input than a pipe holds (64 KiB) to a program that never reads it: feeding the input
        // must not block the run past its timeout.
        CommandResult r = _runner.Run("sleep", ["3"], new string('x', 1 << 20), timeout: TimeSpan.FromMilliseconds(300));
        Assert.True(r.TimedOut);
        Assert.Equal(-1, r.ExitCode);
    }

    [Fact]
    public void StandardError_AndExitCode_AreCaptured()
    {
        CommandResult r = _runner.Run("ls", ["/vrrpps-no-such-dir"]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.False(r.TimedOut);
        Assert.Contains("vrrpps-no-such-dir", r.StandardError);
        Assert.Equal("", r.StandardOutput);
    }
}

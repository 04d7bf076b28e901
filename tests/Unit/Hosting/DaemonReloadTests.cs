using System.Text.RegularExpressions;
using VrrpPS.Engine;
using VrrpPS.Hosting;
using Xunit;

namespace VrrpPS.Tests.Hosting;

/// <summary>
/// Issue 11 item 4: whatever a reload throws, the daemon keeps its running configuration. The
/// reload policy is a pure function of the reload attempt: an outcome, never an exception.
/// </summary>
public sealed class DaemonReloadTests
{
    [Fact]
    public void A_non_engine_exception_is_a_failed_reload_not_a_crash()
    {
        // What `include conf.d/[z-a].conf` threw from the include glob before it became a config error.
        var outcome = DaemonReload.Run(() => { _ = new Regex("^[z-a]$"); return new ReloadResult(); }, "/etc/keepalived/keepalived.conf");
        Assert.False(outcome.Succeeded);
        Assert.Equal("VrrpReloadFailed", outcome.ErrorId);
        Assert.StartsWith("reload failed: /etc/keepalived/keepalived.conf: RegexParseException: ", outcome.Message);
        Assert.EndsWith("; running configuration kept", outcome.Message);
    }

    [Fact]
    public void A_config_error_keeps_its_error_id_and_file_line_message()
    {
        var outcome = DaemonReload.Run(() => throw new VrrpEngineException("VrrpReloadFailed",
            "the new configuration has errors: /etc/keepalived/keepalived.conf:12:5: KeepalivedConfigSyntax: unexpected '}'"), "x");
        Assert.False(outcome.Succeeded);
        Assert.Equal("reload failed: the new configuration has errors: /etc/keepalived/keepalived.conf:12:5: KeepalivedConfigSyntax: " +
                     "unexpected '}'; running configuration kept", outcome.Message);
    }

    [Fact]
    public void I_O_and_invalid_operation_errors_are_caught_too()
    {
        Assert.False(DaemonReload.Run(() => throw new IOException("disk"), null).Succeeded);
        Assert.False(DaemonReload.Run(() => throw new InvalidOperationException("bug"), null).Succeeded);
        Assert.False(DaemonReload.Run(() => throw new UnauthorizedAccessException("denied"), null).Succeeded);
    }

    [Fact]
    public void Instances_started_from_parameters_have_nothing_to_reload()
    {
        var outcome = DaemonReload.Run(null, null);
        Assert.False(outcome.Succeeded);
        Assert.Equal("VrrpReloadNothingToReload", outcome.ErrorId);
    }

    [Fact]
    public void A_good_reload_says_what_happened_to_each_instance()
    {
        var outcome = DaemonReload.Run(() => new ReloadResult { Started = ["VI_2"], PriorityChanged = ["VI_1"] }, null);
        Assert.True(outcome.Succeeded);
        Assert.Equal("reload done: started [VI_2], stopped [], restarted [], priority changed [VI_1], unchanged []", outcome.Message);
    }
}

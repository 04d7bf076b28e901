namespace VrrpPS.Hosting;

/// <summary>
/// The control socket: a Unix domain stream socket (mode 0600, or 0660 for the -ControlSocketGroup)
/// speaking newline-delimited JSON, one request and one response per line. Read-only commands
/// (state, stats, metrics) are open to the monitoring group; control commands (stop, set-priority,
/// release, resume, reload, sync, shutdown) need root. Lets Get-VrrpState in another pwsh see a daemon's
/// instances, and `systemctl reload` learn whether a reload worked.
/// </summary>
public sealed class ControlRequest
{
    public string Command { get; set; } = "state";
    public string? Name { get; set; }
    public int? Priority { get; set; }
    /// <summary>"sync": the keepalived.conf to converge to (absolute), its config id, and whether only to report.</summary>
    public string? Path { get; set; }
    public string? ConfigId { get; set; }
    public bool DryRun { get; set; }
}

using VrrpPS.Engine;

namespace VrrpPS.Hosting;

/// <summary>
/// What one reload (SIGHUP, `systemctl reload`, a control-socket "reload") did: the per-instance
/// result, or why it failed — in which case the running configuration was kept.
/// </summary>
public sealed class ReloadOutcome
{
    public bool Succeeded { get; set; }
    public ReloadResult? Result { get; set; }
    /// <summary>One line for the log, the STATUS= of systemd and the ExecReload command's output.</summary>
    public string Message { get; set; } = string.Empty;
    public string? ErrorId { get; set; }

    public static ReloadOutcome Done(ReloadResult r) => new()
    {
        Succeeded = true,
        Result = r,
        Message = $"reload done: started [{string.Join(", ", r.Started)}], stopped [{string.Join(", ", r.Stopped)}], " +
                  $"restarted [{string.Join(", ", r.Restarted)}], priority changed [{string.Join(", ", r.PriorityChanged)}], " +
                  $"unchanged [{string.Join(", ", r.Unchanged)}]",
    };

    public static ReloadOutcome Failed(string errorId, string reason) => new()
    {
        Succeeded = false,
        ErrorId = errorId,
        Message = $"reload failed: {reason}; running configuration kept",
    };
}

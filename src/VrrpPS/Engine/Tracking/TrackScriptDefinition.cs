namespace VrrpPS.Engine.Tracking;

/// <summary>
/// A health check (keepalived vrrp_script): either a process run with an argument array (never a
/// shell string) or a PowerShell ScriptBlock given as text, run in the engine's own runspace.
/// Weight/Reverse are this instance's (a track_script reference may override the script's own).
/// </summary>
public sealed record TrackScriptDefinition
{
    public required string Name { get; init; }
    /// <summary>Executable and its arguments; null for a ScriptBlock check.</summary>
    public IReadOnlyList<string>? Command { get; init; }
    /// <summary>The ScriptBlock's text, re-created inside the engine runspace.</summary>
    public string? ScriptBlockText { get; init; }
    public double IntervalSeconds { get; init; } = 1;
    /// <summary>0 = the interval (keepalived: a script may not outlive its interval).</summary>
    public double TimeoutSeconds { get; init; }
    public int Rise { get; init; } = 1;
    public int Fall { get; init; } = 1;
    /// <summary>-253..253; 0 ⇒ FAULT while failing.</summary>
    public int Weight { get; init; }
    public bool Reverse { get; init; }
    public bool InitFail { get; init; }
    /// <summary>Run as this user (and group) when the engine runs as root.</summary>
    public string? User { get; init; }
    public string? Group { get; init; }

    public TrackerKind Kind => Command is null ? TrackerKind.ScriptBlock : TrackerKind.Script;
    public TimeSpan EffectiveTimeout => TimeSpan.FromSeconds(TimeoutSeconds > 0 ? TimeoutSeconds : IntervalSeconds);
}

using VrrpPS.Engine;

namespace VrrpPS.Hosting;

public sealed class ControlResponse
{
    public bool Ok { get; set; }
    public string? ErrorId { get; set; }
    public string? Error { get; set; }
    public VrrpInstanceState[]? States { get; set; }
    /// <summary>The answer to "reload" and "sync".</summary>
    public ReloadOutcome? Reload { get; set; }
    /// <summary>The answer to "metrics": OpenMetrics text.</summary>
    public string? Text { get; set; }
}

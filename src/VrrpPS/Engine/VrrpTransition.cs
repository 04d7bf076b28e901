using VrrpPS.StateMachine;

namespace VrrpPS.Engine;

/// <summary>One state change, with the reason in words.</summary>
public sealed class VrrpTransition
{
    public DateTime Time { get; set; }
    public VrrpState From { get; set; }
    public VrrpState To { get; set; }
    public string Reason { get; set; } = string.Empty;
    public int Priority { get; set; }

    public override string ToString() => $"{Time:O} {From} -> {To}: {Reason}";
}

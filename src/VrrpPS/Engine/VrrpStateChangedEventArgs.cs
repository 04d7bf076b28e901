using VrrpPS.StateMachine;

namespace VrrpPS.Engine;

/// <summary>Event arguments of the VrrpPS.StateChanged engine event ($Event.SourceEventArgs).</summary>
public sealed class VrrpStateChangedEventArgs : EventArgs
{
    public string Name { get; init; } = string.Empty;
    /// <summary>"INSTANCE" or "GROUP" (keepalived's first notify argument).</summary>
    public string Type { get; init; } = "INSTANCE";
    public VrrpState OldState { get; init; }
    public VrrpState NewState { get; init; }
    public int Priority { get; init; }
    public string Reason { get; init; } = string.Empty;
    public DateTime Time { get; init; }

    public override string ToString() => $"{Name} {OldState} -> {NewState} ({Reason})";
}

namespace VrrpPS.Engine.Tracking;

/// <summary>keepalived track_interface: an interface whose link state adjusts priority (weight 0 ⇒ FAULT when down).</summary>
public sealed record TrackInterfaceDefinition
{
    public required string InterfaceName { get; init; }
    public int Weight { get; init; }
    public bool Reverse { get; init; }
}

namespace VrrpPS.Engine.Tracking;

/// <summary>keepalived track_file: the integer in the file times Weight is added (weight 0: non-zero ⇒ FAULT).</summary>
public sealed record TrackFileDefinition
{
    public required string Name { get; init; }
    public required string Path { get; init; }
    public int Weight { get; init; } = 1;
    public bool Reverse { get; init; }
    /// <summary>Value assumed while the file is missing (keepalived init_file; default 0).</summary>
    public long InitialValue { get; init; }
    public double PollSeconds { get; init; } = 1;
}

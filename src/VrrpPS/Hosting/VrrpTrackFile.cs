using VrrpPS.Engine.Tracking;

namespace VrrpPS.Hosting;

/// <summary>One -TrackFile entry: @{ Name='maint'; Path='/run/vrrp/maint'; Weight=-1 }.</summary>
public sealed class VrrpTrackFile
{
    public string Name { get; set; } = string.Empty;
    public string Path { get; set; } = string.Empty;
    public int Weight { get; set; } = 1;
    public bool Reverse { get; set; }
    public long InitialValue { get; set; }

    internal TrackFileDefinition ToDefinition() => new()
    {
        Name = string.IsNullOrEmpty(Name) ? Path : Name, Path = Path, Weight = Weight, Reverse = Reverse, InitialValue = InitialValue,
    };
}

namespace VrrpPS.Hosting;

/// <summary>One instance in a <see cref="VrrpSyncResult"/>.</summary>
public sealed class VrrpSyncInstance
{
    public string Name { get; init; } = string.Empty;
    public VrrpSyncAction Action { get; init; }

    public override string ToString() => $"{Name}: {Action}";
}

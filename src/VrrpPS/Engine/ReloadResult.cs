namespace VrrpPS.Engine;

/// <summary>What a reload did to each instance.</summary>
public sealed class ReloadResult
{
    public string[] Started { get; set; } = [];
    public string[] Stopped { get; set; } = [];
    public string[] Restarted { get; set; } = [];
    public string[] PriorityChanged { get; set; } = [];
    public string[] Unchanged { get; set; } = [];
}

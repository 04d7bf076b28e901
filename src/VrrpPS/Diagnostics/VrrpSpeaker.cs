using VrrpPS.Protocol;

namespace VrrpPS.Diagnostics;

/// <summary>One VRRP speaker (source address) of a virtual router, as seen during a capture.</summary>
public sealed class VrrpSpeaker
{
    public string Source { get; set; } = string.Empty;
    /// <summary>Priority of the last advert (0 = it released).</summary>
    public int Priority { get; set; }
    public int[] PrioritiesSeen { get; set; } = [];
    public TimeSpan AdvertisementInterval { get; set; }
    public int Version { get; set; }
    public VrrpAuthType AuthType { get; set; }
    public bool HasPassword { get; set; }
    public string[] Addresses { get; set; } = [];
    public int Advertisements { get; set; }
    public int Invalid { get; set; }
    public int[] TtlsSeen { get; set; } = [];
    public DateTime FirstSeen { get; set; }
    public DateTime LastSeen { get; set; }

    public override string ToString() => $"{Source} ({Priority})";
}

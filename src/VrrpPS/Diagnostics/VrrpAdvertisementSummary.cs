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

/// <summary>What one virtual router (VRID of one family) looked like during a capture, with flags.</summary>
public sealed class VrrpAdvertisementSummary
{
    public string Interface { get; set; } = string.Empty;
    public string Family { get; set; } = "IPv4";
    public int VirtualRouterId { get; set; }
    public VrrpSpeaker[] Speakers { get; set; } = [];
    /// <summary>Sources that advertised with a priority above 0 (in VRRP only a Master advertises).</summary>
    public string[] MastersSeen { get; set; } = [];
    public int Advertisements { get; set; }
    public bool SplitBrain { get; set; }
    public bool IntervalMismatch { get; set; }
    public bool VersionMismatch { get; set; }
    public bool AuthMismatch { get; set; }
    public bool AddressListMismatch { get; set; }
    public bool BadTtl { get; set; }
    public bool InvalidAdverts { get; set; }
    /// <summary>A local instance uses this VRID on this interface but the speakers advertise other addresses.</summary>
    public bool LocalClash { get; set; }
    public string? LocalInstance { get; set; }
    /// <summary>Names of the raised flags, for the table view.</summary>
    public string[] Flags { get; set; } = [];
    /// <summary>One sentence per raised flag, naming the speakers involved.</summary>
    public string[] Findings { get; set; } = [];
    public bool Healthy => Flags.Length == 0;
}

/// <summary>A local VRRP instance, to detect foreign speakers using its VRID.</summary>
public sealed record LocalInstanceInfo(string Name, string Interface, int VirtualRouterId, string Family, IReadOnlyList<string> Addresses);

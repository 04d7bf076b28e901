namespace VrrpPS.Diagnostics;

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

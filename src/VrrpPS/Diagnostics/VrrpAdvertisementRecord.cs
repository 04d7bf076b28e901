using VrrpPS.Protocol;

namespace VrrpPS.Diagnostics;

/// <summary>One VRRP advertisement seen on the wire by Watch-VrrpAdvertisement.</summary>
public sealed class VrrpAdvertisementRecord
{
    /// <summary>Receive time (UTC).</summary>
    public DateTime Time { get; set; }
    public string Interface { get; set; } = string.Empty;
    public string Source { get; set; } = string.Empty;
    public string Destination { get; set; } = string.Empty;
    /// <summary>"IPv4" or "IPv6": VRIDs of the two families are separate virtual routers.</summary>
    public string Family { get; set; } = "IPv4";
    public int Version { get; set; }
    public int VirtualRouterId { get; set; }
    public int Priority { get; set; }
    public TimeSpan AdvertisementInterval { get; set; }
    public string[] Addresses { get; set; } = [];
    public VrrpAuthType AuthType { get; set; }
    /// <summary>True when a v2 simple-text password is carried (never shown without -ShowSecret).</summary>
    public bool HasPassword { get; set; }
    /// <summary>The v2 password as text, only with -ShowSecret; null otherwise.</summary>
    public string? Password { get; set; }
    public bool ChecksumValid { get; set; }
    /// <summary>v3 only: which checksum convention matched (IPv4 tries both); null for v2 or a bad checksum.</summary>
    public V3ChecksumMode? ChecksumMode { get; set; }
    public int Ttl { get; set; }
    /// <summary>Passes every receive check of RFC 3768/5798 §7.1 that needs no local configuration.</summary>
    public bool Valid { get; set; }
    /// <summary>Ok, or the first failed check (BadChecksum, BadTtl, LengthMismatch…).</summary>
    public string Reason { get; set; } = "Ok";

    /// <summary>Password bytes as a comparison key (never printed); null when no password.</summary>
    internal ulong? PasswordKey { get; set; }

    public override string ToString() => $"{Source} VRID {VirtualRouterId} prio {Priority}";
}

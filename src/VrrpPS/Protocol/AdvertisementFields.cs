namespace VrrpPS.Protocol;

/// <summary>What the sender puts in an advertisement besides the address list.</summary>
public readonly struct AdvertisementFields
{
    public VrrpVersion Version { get; init; }
    /// <summary>1…255.</summary>
    public byte VirtualRouterId { get; init; }
    /// <summary>0 (release) … 255 (address owner).</summary>
    public byte Priority { get; init; }
    /// <summary>v3: 1…4095; v2: a whole number of seconds ×100 (100…25500).</summary>
    public int AdvertisementIntervalCentiseconds { get; init; }
    /// <summary>v2 only; v3 messages carry no authentication.</summary>
    public VrrpAuthType AuthType { get; init; }
    public VrrpPassword Password { get; init; }
}

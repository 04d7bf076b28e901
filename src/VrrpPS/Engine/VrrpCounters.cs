namespace VrrpPS.Engine;

/// <summary>Per-instance statistics, named like keepalived's stats file.</summary>
public sealed class VrrpCounters
{
    public long AdvertisementsSent { get; set; }
    public long AdvertisementsReceived { get; set; }
    public long BecameMaster { get; set; }
    public long ReleasedMaster { get; set; }
    public long PriorityZeroSent { get; set; }
    public long PriorityZeroReceived { get; set; }
    public long TtlErrors { get; set; }
    public long ChecksumErrors { get; set; }
    public long LengthErrors { get; set; }
    public long AuthErrors { get; set; }
    public long IntervalErrors { get; set; }
    public long AddressListErrors { get; set; }
    public long VersionErrors { get; set; }
    public long OtherErrors { get; set; }
    public long SendErrors { get; set; }
    /// <summary>v3 adverts whose interval differs from ours (accepted: a Backup follows the Master; RFC 9568 §7.1 logs it).</summary>
    public long IntervalMismatches { get; set; }
    /// <summary>Exceptions inside the engine that put this instance in FAULT.</summary>
    public long InternalErrors { get; set; }

    public VrrpCounters Clone() => (VrrpCounters)MemberwiseClone();
}

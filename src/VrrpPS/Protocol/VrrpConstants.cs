namespace VrrpPS.Protocol;

/// <summary>Numbers fixed by RFC 3768 (v2) and RFC 5798/9568 (v3).</summary>
public static class VrrpConstants
{
    public const int IpProtocolNumber = 112;
    public const byte RequiredTtl = 255;
    /// <summary>IPv4 TOS / IPv6 traffic class of adverts: precedence 6 "internetwork control" (DSCP CS6),
    /// what keepalived and FRR vrrpd send, so QoS queues treat VRRP as network control, not bulk.</summary>
    public const byte TrafficClass = 0xc0;
    public const byte OwnerPriority = 255;
    public const byte ReleasePriority = 0;
    public const byte DefaultPriority = 100;
    public const string MulticastGroupIPv4 = "224.0.0.18";
    public const string MulticastGroupIPv6 = "ff02::12";
    /// <summary>Virtual MAC: 00-00-5E-00-01-{VRID} (IPv4), 00-00-5E-00-02-{VRID} (IPv6).</summary>
    public static ReadOnlySpan<byte> VirtualMacPrefix => [0x00, 0x00, 0x5E, 0x00];
    /// <summary>v3 Max Advertise Interval is 12 bits of centiseconds: 10 ms … 40.95 s.</summary>
    public const int V3MaxIntervalCentiseconds = 4095;
    /// <summary>v2 Advertisement Interval is 8 bits of seconds: 1 … 255 s.</summary>
    public const int V2MaxIntervalSeconds = 255;
}

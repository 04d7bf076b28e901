using VrrpPS.Protocol;

namespace VrrpPS.Engine;

/// <summary>Metadata of one received VRRP message. The message bytes start at PayloadOffset.</summary>
public struct ReceivedDatagram
{
    public int PayloadOffset;
    public int PayloadLength;
    /// <summary>IPv4 TTL or IPv6 hop limit as received.</summary>
    public byte Ttl;
    public IpAddressValue Source;
    public IpAddressValue Destination;
    public int InterfaceIndex;
}

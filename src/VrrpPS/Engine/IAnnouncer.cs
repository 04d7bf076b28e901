using VrrpPS.Protocol;

namespace VrrpPS.Engine;

/// <summary>Gratuitous ARP (IPv4) / unsolicited Neighbour Advertisement (IPv6) sender.</summary>
public interface IAnnouncer : IDisposable
{
    void Announce(int interfaceIndex, ReadOnlySpan<byte> sourceMac, in IpAddressValue address);
}

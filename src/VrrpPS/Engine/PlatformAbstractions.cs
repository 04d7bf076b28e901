using System.Net.Sockets;
using VrrpPS.Protocol;

namespace VrrpPS.Engine;

// The engine talks to the operating system only through these interfaces. Platform/Linux
// implements them with raw sockets and netlink; unit tests replace them with fakes.
// All times are monotonic microseconds (IMonotonicClock), never wall-clock.

/// <summary>Monotonic time in microseconds (never goes back, unaffected by clock changes).</summary>
public interface IMonotonicClock
{
    long NowMicroseconds { get; }
}

public readonly record struct InterfaceAddress(IpAddressValue Address, int PrefixLength, string? Label);

public sealed record NetworkInterfaceInfo(
    int Index,
    string Name,
    bool IsUp,
    byte[] HardwareAddress,
    IReadOnlyList<InterfaceAddress> Addresses);

/// <summary>What a VRRP socket is bound to.</summary>
public sealed record VrrpSocketOptions(
    AddressFamily Family,
    int InterfaceIndex,
    string InterfaceName)
{
    /// <summary>Group to join (224.0.0.18 / ff02::12) when multicast; null for unicast-only.</summary>
    public IpAddressValue? MulticastGroup { get; init; }

    /// <summary>Source address to send from (unicast_src_ip / mcast_src_ip); empty = kernel choice.</summary>
    public IpAddressValue SourceAddress { get; init; }

    /// <summary>Deliver only this VRID's messages (a kernel filter, so N instances do not each read every advert); 0 = all.</summary>
    public byte VirtualRouterId { get; init; }

    /// <summary>Passive capture (Watch-VrrpAdvertisement): receive everything on the interface.</summary>
    public bool Passive { get; init; }

    /// <summary>
    /// Send only: joins no group and receives nothing, so the kernel does not hand every advert on the LAN to every
    /// instance's socket (N VRIDs would cost N copies of each advert). A multicast instance sends on its own socket
    /// and the engine reads its adverts from the one receive socket of its interface, family and group.
    /// </summary>
    public bool SendOnly { get; init; }
}

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

public interface IVrrpSocket : IDisposable
{
    /// <summary>File descriptor for IPoller.</summary>
    int FileDescriptor { get; }

    /// <summary>Sends one VRRP message (the kernel adds the IP header, TTL/hop limit 255).</summary>
    void Send(ReadOnlySpan<byte> vrrpMessage, in IpAddressValue destination);

    /// <summary>Non-blocking receive; false when nothing is queued. Never allocates.</summary>
    bool TryReceive(Span<byte> buffer, out ReceivedDatagram datagram);
}

/// <summary>A virtual address as it is put on an interface (keepalived virtual_ipaddress options).</summary>
public sealed record VirtualAddressSpec(IpAddressValue Address, int PrefixLength)
{
    public string? Label { get; init; }
    /// <summary>rtnetlink scope (0 global, 253 link, 254 host).</summary>
    public byte Scope { get; init; }
    public IpAddressValue? Broadcast { get; init; }
    public IpAddressValue? Peer { get; init; }
    /// <summary>preferred_lft 0 (deprecated address; not used as a source).</summary>
    public bool Deprecated { get; init; }
    /// <summary>dev override; null = the instance interface.</summary>
    public string? Device { get; init; }
}

public interface IAddressManager
{
    /// <summary>Adds the address; an address already present is not an error. Returns true when added.</summary>
    bool Add(int interfaceIndex, VirtualAddressSpec address);

    /// <summary>Removes the address; an absent address is not an error. Returns true when removed.</summary>
    bool Remove(int interfaceIndex, VirtualAddressSpec address);

    IReadOnlyList<InterfaceAddress> List(int interfaceIndex);
}

/// <summary>Gratuitous ARP (IPv4) / unsolicited Neighbour Advertisement (IPv6) sender.</summary>
public interface IAnnouncer : IDisposable
{
    void Announce(int interfaceIndex, ReadOnlySpan<byte> sourceMac, in IpAddressValue address);
}

public readonly record struct LinkChange(int InterfaceIndex, string? Name, bool IsUp);

public interface ILinkMonitor : IDisposable
{
    int FileDescriptor { get; }

    /// <summary>Times the kernel dropped notifications (ENOBUFS): the engine then re-reads every link.</summary>
    int Overruns { get; }

    /// <summary>Reads the pending rtnetlink link notifications (non-blocking).</summary>
    int Drain(Span<LinkChange> changes);
}

public interface IPoller : IDisposable
{
    void Add(int fileDescriptor);
    void Remove(int fileDescriptor);

    /// <summary>Waits until a descriptor is readable, Wake() is called, or the timeout passes.
    /// Returns the number of ready descriptors written to <paramref name="ready"/>.</summary>
    int Wait(long timeoutMicroseconds, Span<int> ready);

    /// <summary>Thread-safe: makes a concurrent Wait return.</summary>
    void Wake();
}

public interface INetworkPlatform
{
    IMonotonicClock Clock { get; }
    IAddressManager Addresses { get; }
    NetworkInterfaceInfo? FindInterface(string name);
    NetworkInterfaceInfo? FindInterface(int index);
    IVrrpSocket OpenVrrpSocket(VrrpSocketOptions options);
    IAnnouncer OpenAnnouncer(AddressFamily family);
    ILinkMonitor OpenLinkMonitor();
    IPoller CreatePoller();

    /// <summary>True when the process may open raw sockets and change addresses.</summary>
    bool HasNetworkAdminRights { get; }

    /// <summary>Virtual MAC links (use_vmac); null when the platform has none.</summary>
    IVirtualMacLinks? VirtualMacLinks => null;

    /// <summary>Accept_Mode filter (no_accept); null when the platform has none.</summary>
    IAcceptModeFilter? AcceptModeFilter => null;

    /// <summary>Routes and rules (virtual_routes, virtual_rules); null when the platform has none.</summary>
    IRouteManager? Routes => null;
}

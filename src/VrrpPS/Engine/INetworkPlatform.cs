using System.Net.Sockets;

namespace VrrpPS.Engine;

// The engine talks to the operating system only through the interfaces in this folder (INetworkPlatform and the
// parts it hands out). Platform/Linux implements them with raw sockets and netlink; the simulator and unit tests
// replace them with fakes. All times are monotonic microseconds (IMonotonicClock), never wall-clock.

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

using System.Globalization;
using System.Net.Sockets;
using Tmds.Linux;
using VrrpPS.Engine;

namespace VrrpPS.Platform.Linux;

/// <summary>
/// The Linux data plane: raw IP-112 sockets, rtnetlink addresses and links, ARP/NA, ppoll.
/// Every call acts in the network namespace of the calling thread at the time of the call
/// (sockets keep the namespace they were created in).
/// </summary>
public sealed class LinuxNetworkPlatform : INetworkPlatform
{
    private const int CapNetAdmin = 12;
    private const int CapNetRaw = 13;

    public LinuxNetworkPlatform()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("LinuxNetworkPlatform needs Linux.");
        }
    }

    public IMonotonicClock Clock { get; } = new LinuxMonotonicClock();

    public IAddressManager Addresses { get; } = new NetlinkAddressManager();

    public NetworkInterfaceInfo? FindInterface(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return name.Length > 15 ? null : NetlinkLinks.Find(name, 0, Addresses);
    }

    public NetworkInterfaceInfo? FindInterface(int index) =>
        index <= 0 ? null : NetlinkLinks.Find(null, index, Addresses);

    public IVrrpSocket OpenVrrpSocket(VrrpSocketOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string name = options.InterfaceName;
        if (string.IsNullOrEmpty(name))
        {
            name = FindInterface(options.InterfaceIndex)?.Name
                ?? throw new ArgumentException($"No interface with index {options.InterfaceIndex}.", nameof(options));
        }
        return LinuxVrrpSocket.Open(options, name);
    }

    public IAnnouncer OpenAnnouncer(AddressFamily family) => LinuxAnnouncer.Open(family);

    public ILinkMonitor OpenLinkMonitor() => new NetlinkLinkMonitor();

    public IPoller CreatePoller() => new EpollPoller();

    public IVirtualMacLinks VirtualMacLinks => _vmacs ??= new NetlinkVirtualMacLinks(this);

    public IAcceptModeFilter AcceptModeFilter { get; } = new VrrpPS.Firewall.NftAcceptModeFilter(new VrrpPS.Firewall.ProcessCommandRunner());

    private NetlinkVirtualMacLinks? _vmacs;

    public IRouteManager Routes { get; } = new NetlinkRouteManager();

    /// <summary>
    /// CAP_NET_ADMIN and CAP_NET_RAW in the effective set (root in a container may lack them);
    /// falls back to euid 0 when /proc/self/status cannot be read.
    /// </summary>
    public bool HasNetworkAdminRights
    {
        get
        {
            ulong? caps = ReadEffectiveCapabilities("/proc/self/status");
            if (caps is { } c)
            {
                return HasAdminCapabilities(c);
            }
            return LibC.geteuid() == 0;
        }
    }

    internal static bool HasAdminCapabilities(ulong capEff) =>
        (capEff & (1UL << CapNetAdmin)) != 0 && (capEff & (1UL << CapNetRaw)) != 0;

    internal static ulong? ReadEffectiveCapabilities(string statusPath)
    {
        try
        {
            foreach (string line in File.ReadLines(statusPath))
            {
                if (line.StartsWith("CapEff:", StringComparison.Ordinal)
                    && ulong.TryParse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong value))
                {
                    return value;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }
}

using System.Net.Sockets;
using VrrpPS.Engine;
using VrrpPS.Protocol;

namespace VrrpPS.Tests.Simulation.Engine;

/// <summary>Simulated time shared by every host of one simulation (monotonic µs, set by the simulator).</summary>
internal sealed class SimClock : IMonotonicClock
{
    public long NowMicroseconds { get; set; } = 1_000_000;
}

/// <summary>One interface of a simulated host.</summary>
internal sealed class SimInterface(int index, string name)
{
    public int Index { get; set; } = index;
    public string Name { get; } = name;
    public bool IsUp { get; set; } = true;
    public bool Exists { get; set; } = true;
}

/// <summary>
/// A simulated host for the real engine: sockets on the simulated LAN, netlink addresses, a link
/// monitor that can overflow, a poller that never blocks, and platform calls that throw on command.
/// Everything runs on the simulator's thread; nothing here sleeps or starts a thread.
/// </summary>
internal sealed class SimHost : INetworkPlatform
{
    private int _nextFd = 100;

    public SimHost(SimNetwork network, int id, string address, string interfaceName = "eth0")
    {
        Network = network;
        Id = id;
        PrimaryAddress = IpAddressValue.Parse(address);
        Interface = new SimInterface(2, interfaceName);
        SimAddresses = new SimAddresses(this);
        LinkMonitor = new SimLinkMonitor(this);
        if (PrimaryAddress.IsIPv6)
        {
            InterfaceAddresses.Add(IpAddressValue.Parse($"fe80::{id}"));
        }
    }

    public SimNetwork Network { get; }
    public int Id { get; }
    public IpAddressValue PrimaryAddress { get; }
    /// <summary>The host's own address was deleted (as RTM_DELADDR would delete it).</summary>
    public bool PrimaryRemoved { get; set; }
    public SimInterface Interface { get; }
    public SimAddresses SimAddresses { get; }
    public SimLinkMonitor LinkMonitor { get; }
    public List<SimSocket> Sockets { get; } = [];
    public SimPoller? Poller { get; private set; }
    public int Announcements { get; set; }
    /// <summary>Addresses configured on the interface besides the primary (an IPv6 host has its link-local).</summary>
    public List<IpAddressValue> InterfaceAddresses { get; } = [];

    /// <summary>Platform calls that throw once ("send", "receive", "add", "remove", "announce", "socket").</summary>
    public HashSet<string> FailNext { get; } = [];

    public void MaybeFail(string call)
    {
        if (FailNext.Remove(call))
        {
            throw new IOException($"simulated {call} failure");
        }
    }

    public IMonotonicClock Clock => Network.Clock;
    public IAddressManager Addresses => SimAddresses;
    public bool Privileged { get; set; } = true;
    public bool HasNetworkAdminRights => Privileged;

    public NetworkInterfaceInfo? FindInterface(string name) =>
        Interface.Exists && name == Interface.Name ? Info() : null;

    public NetworkInterfaceInfo? FindInterface(int index) =>
        Interface.Exists && index == Interface.Index ? Info() : null;

    private NetworkInterfaceInfo Info() => new(Interface.Index, Interface.Name, Interface.IsUp, [2, 0, 0, 0, 0, (byte)Id],
        [.. PrimaryRemoved ? [] : new[] { new InterfaceAddress(PrimaryAddress, PrimaryAddress.IsIPv4 ? 24 : 64, null) },
         .. InterfaceAddresses.Select(a => new InterfaceAddress(a, a.IsIPv4 ? 24 : 64, null)), .. SimAddresses.List(Interface.Index)]);

    public IVrrpSocket OpenVrrpSocket(VrrpSocketOptions options)
    {
        MaybeFail("socket");
        var s = new SimSocket(this, options, options.SourceAddress.IsEmpty ? PrimaryAddress : options.SourceAddress, _nextFd++);
        Sockets.Add(s);
        return s;
    }

    public IAnnouncer OpenAnnouncer(AddressFamily family) => new SimAnnouncer(this);
    public ILinkMonitor OpenLinkMonitor() => LinkMonitor;
    public IPoller CreatePoller() => Poller = new SimPoller(this);
    public SimAcceptModeFilter AcceptFilter { get; } = new();
    public IAcceptModeFilter? AcceptModeFilter => AcceptFilter;

    public bool Owns(IpAddressValue a) => (a == PrimaryAddress && !PrimaryRemoved) || InterfaceAddresses.Contains(a) || SimAddresses.Holds(a);

    /// <summary>The link goes down or up (carrier), as the kernel reports it.</summary>
    public void SetLink(bool up)
    {
        Interface.IsUp = up;
        LinkMonitor.Report(new LinkChange(Interface.Index, Interface.Name, up));
    }

    /// <summary>The interface is deleted and created again with a new index (netplan apply, NIC hot-plug).</summary>
    public void RecreateInterface(int newIndex)
    {
        LinkMonitor.Report(new LinkChange(Interface.Index, Interface.Name, false));
        SimAddresses.Clear(Interface.Index);
        Interface.Index = newIndex;
        LinkMonitor.Report(new LinkChange(newIndex, Interface.Name, true));
    }
}

internal sealed class SimSocket(SimHost host, VrrpSocketOptions options, IpAddressValue source, int fd) : IVrrpSocket
{
    private readonly Queue<(byte[] Data, IpAddressValue Src, IpAddressValue Dst)> _queue = new();

    public SimHost Host { get; } = host;
    public VrrpSocketOptions Options { get; } = options;
    public IpAddressValue Source { get; } = source;
    public int FileDescriptor { get; } = fd;
    public bool Disposed { get; private set; }
    public bool HasData => _queue.Count > 0;
    public int Sent { get; private set; }

    public void Enqueue(byte[] data, IpAddressValue src, IpAddressValue dst) => _queue.Enqueue((data, src, dst));

    public void Send(ReadOnlySpan<byte> vrrpMessage, in IpAddressValue destination)
    {
        Host.MaybeFail("send");
        Sent++;
        Host.Network.Send(this, vrrpMessage, destination);
    }

    public bool TryReceive(Span<byte> buffer, out ReceivedDatagram datagram)
    {
        datagram = default;
        Host.MaybeFail("receive");
        if (!_queue.TryDequeue(out var item))
        {
            return false;
        }
        item.Data.CopyTo(buffer);
        datagram = new ReceivedDatagram { PayloadOffset = 0, PayloadLength = item.Data.Length, Ttl = 255, Source = item.Src, Destination = item.Dst, InterfaceIndex = Options.InterfaceIndex };
        return true;
    }

    public void Dispose()
    {
        Disposed = true;
        Host.Sockets.Remove(this);
    }
}

internal sealed class SimPoller(SimHost host) : IPoller
{
    private readonly HashSet<int> _fds = [];

    public void Add(int fd)
    {
        host.MaybeFail("poll"); // epoll_ctl(ADD) can fail: ENOMEM, ENOSPC (max_user_watches)
        _fds.Add(fd);
    }

    public void Remove(int fd) => _fds.Remove(fd);
    public void Wake() { }
    public void Dispose() { }

    /// <summary>Never blocks: simulated time only moves when the simulator moves it.</summary>
    public int Wait(long timeoutMicroseconds, Span<int> ready)
    {
        int n = 0;
        foreach (var s in host.Sockets)
        {
            if (n < ready.Length && _fds.Contains(s.FileDescriptor) && s.HasData)
            {
                ready[n++] = s.FileDescriptor;
            }
        }
        if (n < ready.Length && _fds.Contains(host.LinkMonitor.FileDescriptor) && host.LinkMonitor.HasData)
        {
            ready[n++] = host.LinkMonitor.FileDescriptor;
        }
        return n;
    }
}

/// <summary>rtnetlink link notifications; a full queue drops them and counts an overrun (ENOBUFS).</summary>
internal sealed class SimLinkMonitor(SimHost host) : ILinkMonitor
{
    private readonly Queue<LinkChange> _pending = new();

    public int Capacity { get; set; } = 64;
    public int FileDescriptor => 9;
    public int Overruns { get; private set; }
    public bool HasData => _pending.Count > 0 || _overrunPending;
    private bool _overrunPending;

    public void Report(LinkChange change)
    {
        if (_pending.Count >= Capacity)
        {
            _overrunPending = true;
            return;
        }
        _pending.Enqueue(change);
    }

    /// <summary>The kernel's socket buffer overflowed: every queued notification is lost.</summary>
    public void Overflow()
    {
        _pending.Clear();
        _overrunPending = true;
    }

    public int Drain(Span<LinkChange> changes)
    {
        host.MaybeFail("netlink");
        if (_overrunPending)
        {
            _overrunPending = false;
            Overruns++;
        }
        int n = 0;
        while (n < changes.Length && _pending.TryDequeue(out var c))
        {
            changes[n++] = c;
        }
        return n;
    }

    public void Dispose() { }
}

internal sealed class SimAddresses(SimHost host) : IAddressManager
{
    private readonly Dictionary<(int Index, IpAddressValue Address), int> _present = [];

    /// <summary>Every add and remove the engine asked for ("add 198.51.100.100", "del …"), in order.</summary>
    public List<string> Journal { get; } = [];

    /// <summary>An address already on the interface before the engine starts (left by a crashed run).</summary>
    public void Preset(IpAddressValue a, int prefix) => _present[(host.Interface.Index, a)] = prefix;

    public bool Holds(IpAddressValue a) => _present.Keys.Any(k => k.Address == a);
    public int Count(IpAddressValue a) => _present.Keys.Count(k => k.Address == a);
    public void Clear(int index)
    {
        foreach (var k in _present.Keys.Where(k => k.Index == index).ToList())
        {
            _present.Remove(k);
        }
    }

    public bool Add(int interfaceIndex, VirtualAddressSpec address)
    {
        host.MaybeFail("add");
        Journal.Add($"add {address.Address}");
        if (address.Address == host.PrimaryAddress && !host.PrimaryRemoved)
        {
            return false; // already on the interface, as the kernel's EEXIST
        }
        return _present.TryAdd((interfaceIndex, address.Address), address.PrefixLength);
    }

    public bool Remove(int interfaceIndex, VirtualAddressSpec address)
    {
        host.MaybeFail("remove");
        Journal.Add($"del {address.Address}");
        if (address.Address == host.PrimaryAddress && !host.PrimaryRemoved)
        {
            host.PrimaryRemoved = true;
            return true;
        }
        return _present.Remove((interfaceIndex, address.Address));
    }

    public IReadOnlyList<InterfaceAddress> List(int interfaceIndex) =>
        _present.Where(p => p.Key.Index == interfaceIndex).Select(p => new InterfaceAddress(p.Key.Address, p.Value, null)).ToList();
}

internal sealed class SimAnnouncer(SimHost host) : IAnnouncer
{
    public void Announce(int interfaceIndex, ReadOnlySpan<byte> sourceMac, in IpAddressValue address)
    {
        host.MaybeFail("announce");
        host.Announcements++;
    }

    public void Dispose() { }
}

/// <summary>Records Accept_Mode filter calls ("block VI_1 198.51.100.100", "unblock VI_1").</summary>
internal sealed class SimAcceptModeFilter : IAcceptModeFilter
{
    public List<string> Journal { get; } = [];

    public void Block(string instance, IReadOnlyList<IpAddressValue> addresses) => Journal.Add($"block {instance} {string.Join(",", addresses)}");

    public void Unblock(string instance) => Journal.Add($"unblock {instance}");
}

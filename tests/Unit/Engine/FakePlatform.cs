using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using VrrpPS.Engine;
using VrrpPS.Protocol;

namespace VrrpPS.Tests.Engine;

/// <summary>
/// An in-memory LAN for engine tests without root: every fake socket on the LAN receives what the
/// others send (TTL 255, real source address), as a bridge with multicast would deliver it.
/// </summary>
internal sealed class FakeLan
{
    private readonly object _gate = new();
    private readonly List<FakeSocket> _sockets = [];
    private int _nextFd = 1000;

    public int NextFd() => Interlocked.Increment(ref _nextFd);

    /// <summary>Hosts whose cable is cut neither send nor receive.</summary>
    public ConcurrentDictionary<FakePlatform, bool> Cut { get; } = new();

    /// <summary>Hosts that send but do not receive (a one-way fault, e.g. a firewall dropping inbound VRRP).</summary>
    public ConcurrentDictionary<FakePlatform, bool> Deaf { get; } = new();

    public List<(IpAddressValue Source, byte[] Payload)> Wire { get; } = [];

    /// <summary>A copy of <see cref="Wire"/> taken under the lock the senders use.</summary>
    public List<(IpAddressValue Source, byte[] Payload)> WireSnapshot()
    {
        lock (_gate) return [.. Wire];
    }

    public void Attach(FakeSocket s)
    {
        lock (_gate) _sockets.Add(s);
    }

    public void Detach(FakeSocket s)
    {
        lock (_gate) _sockets.Remove(s);
    }

    public void Deliver(FakeSocket from, ReadOnlySpan<byte> payload, IpAddressValue destination)
    {
        if (Cut.ContainsKey(from.Host))
        {
            return;
        }
        byte[] copy = payload.ToArray();
        FakeSocket[] targets;
        lock (_gate)
        {
            Wire.Add((from.Source, copy));
            targets = _sockets.ToArray();
        }
        foreach (var s in targets)
        {
            if (s == from || Cut.ContainsKey(s.Host) || Deaf.ContainsKey(s.Host))
            {
                continue;
            }
            if (destination.IsMulticast ? s.Options.MulticastGroup is not null : s.Host.Owns(destination))
            {
                s.Enqueue(copy, from.Source, destination);
            }
        }
    }
}

internal sealed class FakeClock : IMonotonicClock
{
    public long NowMicroseconds => Stopwatch.GetTimestamp() * 1_000_000 / Stopwatch.Frequency;
}

internal sealed class FakeSocket : IVrrpSocket
{
    private readonly ConcurrentQueue<(byte[] Data, IpAddressValue Src, IpAddressValue Dst)> _queue = new();

    public FakeSocket(FakePlatform host, VrrpSocketOptions options, IpAddressValue source, int fd)
    {
        Host = host;
        Options = options;
        Source = source;
        FileDescriptor = fd;
    }

    public FakePlatform Host { get; }
    public VrrpSocketOptions Options { get; }
    public IpAddressValue Source { get; }
    public int FileDescriptor { get; }
    public bool Disposed { get; private set; }
    public bool HasData => !_queue.IsEmpty;

    public void Enqueue(byte[] data, IpAddressValue src, IpAddressValue dst)
    {
        _queue.Enqueue((data, src, dst));
        Host.Poller?.Signal();
    }

    public void Send(ReadOnlySpan<byte> vrrpMessage, in IpAddressValue destination) => Host.Lan.Deliver(this, vrrpMessage, destination);

    public bool TryReceive(Span<byte> buffer, out ReceivedDatagram datagram)
    {
        datagram = default;
        if (!_queue.TryDequeue(out var item))
        {
            return false;
        }
        item.Data.CopyTo(buffer);
        datagram = new ReceivedDatagram { PayloadOffset = 0, PayloadLength = item.Data.Length, Ttl = 255, Source = item.Src, Destination = item.Dst };
        return true;
    }

    public void Dispose()
    {
        Disposed = true;
        Host.Lan.Detach(this);
    }
}

internal sealed class FakePoller : IPoller
{
    private readonly FakePlatform _host;
    private readonly HashSet<int> _fds = [];
    private readonly SemaphoreSlim _signal = new(0);

    public FakePoller(FakePlatform host) => _host = host;

    public void Add(int fd) { lock (_fds) _fds.Add(fd); }
    public void Remove(int fd) { lock (_fds) _fds.Remove(fd); }
    public void Signal() => _signal.Release();
    public void Wake() => _signal.Release();
    public void Dispose() { }

    public int Wait(long timeoutMicroseconds, Span<int> ready)
    {
        int n = Collect(ready);
        if (n > 0)
        {
            return n;
        }
        _signal.Wait(TimeSpan.FromTicks(Math.Max(0, timeoutMicroseconds) * 10));
        return Collect(ready);
    }

    private int Collect(Span<int> ready)
    {
        int n = 0;
        lock (_fds)
        {
            foreach (var s in _host.Sockets)
            {
                if (n < ready.Length && _fds.Contains(s.FileDescriptor) && s.HasData)
                {
                    ready[n++] = s.FileDescriptor;
                }
            }
        }
        return n;
    }
}

internal sealed class FakeAddresses : IAddressManager
{
    private readonly IpAddressValue _primary;

    /// <param name="primary">The host's own address, on the interface before any VIP (none: default).</param>
    public FakeAddresses(IpAddressValue primary = default) => _primary = primary;

    public ConcurrentDictionary<IpAddressValue, int> Present { get; } = new();
    public List<string> Journal { get; } = [];

    /// <summary>The host's own address was deleted (as RTM_DELADDR would delete it).</summary>
    public bool PrimaryRemoved { get; private set; }

    public bool Add(int interfaceIndex, VirtualAddressSpec address)
    {
        lock (Journal) Journal.Add($"add {address.Address}");
        if (!_primary.IsEmpty && address.Address == _primary && !PrimaryRemoved)
        {
            return false; // already on the interface, as the kernel's EEXIST
        }
        return Present.TryAdd(address.Address, address.PrefixLength);
    }

    public bool Remove(int interfaceIndex, VirtualAddressSpec address)
    {
        lock (Journal) Journal.Add($"del {address.Address}");
        if (!_primary.IsEmpty && address.Address == _primary && !PrimaryRemoved)
        {
            PrimaryRemoved = true;
            return true;
        }
        return Present.TryRemove(address.Address, out _);
    }

    public IReadOnlyList<InterfaceAddress> List(int interfaceIndex) =>
        Present.Select(p => new InterfaceAddress(p.Key, p.Value, null)).ToList();
}

internal sealed class FakeAnnouncer : IAnnouncer
{
    private readonly FakePlatform _host;
    public FakeAnnouncer(FakePlatform host) => _host = host;
    public void Announce(int interfaceIndex, ReadOnlySpan<byte> sourceMac, in IpAddressValue address) => Interlocked.Increment(ref _host.Announcements);
    public void Dispose() { }
}

internal sealed class FakePlatform : INetworkPlatform
{
    public int Announcements;

    public FakePlatform(FakeLan lan, string address, string interfaceName = "eth0")
    {
        Lan = lan;
        PrimaryAddress = IpAddressValue.Parse(address);
        InterfaceName = interfaceName;
        FakeAddresses = new FakeAddresses(PrimaryAddress);
    }

    public FakeLan Lan { get; }
    public IpAddressValue PrimaryAddress { get; }
    public string InterfaceName { get; }
    public bool LinkUp { get; set; } = true;
    public bool Privileged { get; set; } = true;
    public FakePoller? Poller { get; private set; }
    public List<FakeSocket> Sockets { get; } = [];
    public FakeAddresses FakeAddresses { get; }

    public IMonotonicClock Clock { get; } = new FakeClock();
    public IAddressManager Addresses => FakeAddresses;
    public bool HasNetworkAdminRights => Privileged;

    public bool Owns(IpAddressValue a) => (a == PrimaryAddress && !FakeAddresses.PrimaryRemoved) || FakeAddresses.Present.ContainsKey(a);

    public NetworkInterfaceInfo? FindInterface(string name) => name == InterfaceName ? Info() : null;
    public NetworkInterfaceInfo? FindInterface(int index) => index == 2 ? Info() : null;

    private NetworkInterfaceInfo Info() => new(2, InterfaceName, LinkUp, [2, 0, 0, 0, 0, 1],
        [.. FakeAddresses.PrimaryRemoved ? [] : new[] { new InterfaceAddress(PrimaryAddress, PrimaryAddress.IsIPv4 ? 24 : 64, null) },
         .. FakeAddresses.List(2)]);

    public IVrrpSocket OpenVrrpSocket(VrrpSocketOptions options)
    {
        var s = new FakeSocket(this, options, options.SourceAddress.IsEmpty ? PrimaryAddress : options.SourceAddress, Lan.NextFd());
        lock (Sockets) Sockets.Add(s);
        Lan.Attach(s);
        return s;
    }

    public IAnnouncer OpenAnnouncer(AddressFamily family) => new FakeAnnouncer(this);

    public ILinkMonitor OpenLinkMonitor() => throw new NotSupportedException("no link monitor in the fake LAN");

    public IPoller CreatePoller() => Poller = new FakePoller(this);
}

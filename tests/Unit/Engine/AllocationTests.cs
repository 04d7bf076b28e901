using System.Net.Sockets;
using VrrpPS.Engine;
using VrrpPS.Protocol;
using VrrpPS.StateMachine;
using VrrpPS.Tests.Simulation.Engine;
using Xunit;

namespace VrrpPS.Tests.Engine;

/// <summary>
/// DESIGN §4: "No allocation per advert in steady state (pooled buffers, spans), so GC cannot
/// cause a missed advert." Drives the engine's own per-instance path (InstanceRuntime: codec,
/// state machine, counters, socket calls) for 10 000 send and 10 000 receive cycles and counts
/// the bytes allocated on this thread.
/// </summary>
public sealed class AllocationTests
{
    /// <summary>A socket that neither allocates nor copies more than the caller asks.</summary>
    private sealed class LoopSocket : IVrrpSocket
    {
        public readonly byte[] Inbound = new byte[64];
        public int InboundLength;
        public IpAddressValue InboundSource;
        private static readonly IpAddressValue Group = IpAddressValue.Parse("224.0.0.18");
        public bool Pending;
        public long Sent;

        public int FileDescriptor => 3;
        public void Send(ReadOnlySpan<byte> vrrpMessage, in IpAddressValue destination) => Sent++;

        public bool TryReceive(Span<byte> buffer, out ReceivedDatagram datagram)
        {
            datagram = default;
            if (!Pending)
            {
                return false;
            }
            Pending = false;
            Inbound.AsSpan(0, InboundLength).CopyTo(buffer);
            datagram.PayloadLength = InboundLength;
            datagram.Ttl = 255;
            datagram.Source = InboundSource;
            datagram.Destination = Group;
            return true;
        }

        public void Dispose() { }
    }

    private sealed class LoopPlatform(LoopSocket socket) : INetworkPlatform
    {
        public SimClock SimClock { get; } = new();
        public IMonotonicClock Clock => SimClock;
        public IAddressManager Addresses { get; } = new NullAddresses();
        public bool HasNetworkAdminRights => true;
        public NetworkInterfaceInfo? FindInterface(string name) => Info;
        public NetworkInterfaceInfo? FindInterface(int index) => Info;
        public IVrrpSocket OpenVrrpSocket(VrrpSocketOptions options) => socket;
        public IAnnouncer OpenAnnouncer(AddressFamily family) => new NullAnnouncer();
        public ILinkMonitor OpenLinkMonitor() => throw new NotSupportedException();
        public IPoller CreatePoller() => new LoopPoller(socket);

        private static readonly NetworkInterfaceInfo Info = new(2, "eth0", true, [2, 0, 0, 0, 0, 1],
            [new InterfaceAddress(IpAddressValue.Parse("198.51.100.11"), 24, null)]);
    }

    /// <summary>Reports the socket ready while it has an advert queued.</summary>
    private sealed class LoopPoller(LoopSocket socket) : IPoller
    {
        public void Add(int fileDescriptor) { }
        public void Remove(int fileDescriptor) { }
        public void Wake() { }
        public void Dispose() { }

        public int Wait(long timeoutMicroseconds, Span<int> ready)
        {
            if (!socket.Pending)
            {
                return 0;
            }
            ready[0] = socket.FileDescriptor;
            return 1;
        }
    }

    private sealed class NullAddresses : IAddressManager
    {
        public bool Add(int interfaceIndex, VirtualAddressSpec address) => true;
        public bool Remove(int interfaceIndex, VirtualAddressSpec address) => true;
        public IReadOnlyList<InterfaceAddress> List(int interfaceIndex) => [];
    }

    private sealed class NullAnnouncer : IAnnouncer
    {
        public void Announce(int interfaceIndex, ReadOnlySpan<byte> sourceMac, in IpAddressValue address) { }
        public void Dispose() { }
    }

    private static InstanceRuntime Runtime(LoopSocket socket, int priority)
    {
        var platform = new LoopPlatform(socket);
        var def = new InstanceDefinition
        {
            Name = "VI_1", InterfaceName = "eth0", VirtualRouterId = 51, Priority = priority,
            AdvertisementIntervalCentiseconds = 1, // 10 ms, the shortest v3 interval
            VirtualAddresses = [new VirtualAddressSpec(IpAddressValue.Parse("198.51.100.100"), 24)],
        };
        return new InstanceRuntime(InstanceValidator.Resolve(def, platform, []), platform, new EngineLog(), null);
    }

    [Fact]
    public void SteadyStateMasterAdvertsAndBackupReceivesAllocateNothing()
    {
        // Master: sends an advert at every Adver_Timer deadline.
        var masterSocket = new LoopSocket();
        var master = Runtime(masterSocket, 150);
        long now = 1_000_000;
        master.Start(now);
        now = master.NextDeadline;
        master.OnTimer(now); // Master_Down_Timer → Master
        Assert.Equal(VrrpState.Master, master.State);

        // Backup: receives the peer master's adverts (built once by the codec, as a peer would send them).
        var backupSocket = new LoopSocket();
        var backup = Runtime(backupSocket, 100);
        backup.Start(now);
        backupSocket.InboundSource = IpAddressValue.Parse("198.51.100.12");
        backupSocket.InboundLength = VrrpCodec.WriteAdvertisement(backupSocket.Inbound,
            new AdvertisementFields { Version = VrrpVersion.V3, VirtualRouterId = 51, Priority = 200, AdvertisementIntervalCentiseconds = 1 },
            [IpAddressValue.Parse("198.51.100.100")], backupSocket.InboundSource, IpAddressValue.Parse("224.0.0.18"), V3ChecksumMode.PseudoHeader);
        var rx = new byte[65536];

        void Cycle()
        {
            now = master.NextDeadline;
            master.OnTimer(now);
            backupSocket.Pending = true;
            backup.OnReadable(now, rx);
        }

        for (int i = 0; i < 600; i++)
        {
            Cycle(); // warm-up: JIT, and past the second gratuitous-ARP burst 5 s after becoming master (it logs)
        }
        long sentBefore = masterSocket.Sent;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            Cycle();
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(10_000, masterSocket.Sent - sentBefore);
        Assert.Equal(10_600, backup.Counters.AdvertisementsReceived);
        Assert.Equal(VrrpState.Backup, backup.State);
        Assert.Equal(0, allocated);
    }

    /// <summary>
    /// The same promise one level up: the engine loop itself (timers, readiness, dispatch to the instance) adds
    /// nothing per received advert either — 255 VRIDs at 10 ms are 25 500 of them a second.
    /// </summary>
    [Fact]
    public void EngineLoop_BackupReceivingAdvertsAllocatesNothing()
    {
        var socket = new LoopSocket();
        var platform = new LoopPlatform(socket);
        using var engine = new VrrpEngine(platform, EngineDriver.Manual);
        engine.Start([new InstanceDefinition
        {
            Name = "VI_1", InterfaceName = "eth0", VirtualRouterId = 51, Priority = 100,
            AdvertisementIntervalCentiseconds = 1,
            VirtualAddresses = [new VirtualAddressSpec(IpAddressValue.Parse("198.51.100.100"), 24)],
        }]);
        socket.InboundSource = IpAddressValue.Parse("198.51.100.12");
        socket.InboundLength = VrrpCodec.WriteAdvertisement(socket.Inbound,
            new AdvertisementFields { Version = VrrpVersion.V3, VirtualRouterId = 51, Priority = 200, AdvertisementIntervalCentiseconds = 1 },
            [IpAddressValue.Parse("198.51.100.100")], socket.InboundSource, IpAddressValue.Parse("224.0.0.18"), V3ChecksumMode.PseudoHeader);

        void Cycle()
        {
            platform.SimClock.NowMicroseconds += 10_000; // the peer master's 10 ms advert arrives
            socket.Pending = true;
            engine.RunOnce();
        }

        for (int i = 0; i < 600; i++)
        {
            Cycle();
        }
        Assert.Equal(VrrpState.Backup, engine.GetStates().Single().State);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            Cycle();
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(10_600, engine.GetStates().Single().Counters.AdvertisementsReceived);
        Assert.Equal(0, allocated);
    }
}

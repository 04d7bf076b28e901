// Usage: Alloc [cycles]   (root: builds a 2-namespace lab <tag>-n1/-n2 and removes it)
// One cycle = what the engine does per advert on the wire, on the real path:
//   sender (n1):   VrrpCodec.WriteAdvertisement into a reused buffer, IVrrpSocket.Send to 224.0.0.18
//   receiver (n2): IPoller.Wait, IVrrpSocket.TryReceive, VrrpCodec.TryParse, VirtualRouter.OnAdvertisement
// (InstanceRuntime.SendAdvertisement / OnReadable / HandleDatagram without the engine loop around them).
// Prints allocated bytes per cycle from GC.GetAllocatedBytesForCurrentThread after a warm-up,
// and "ALLOC_BYTES_PER_CYCLE=<n>" on the last line for scripts.
using System.Globalization;
using System.Net.Sockets;
using VrrpPS.Engine;
using VrrpPS.Lab;
using VrrpPS.Platform.Linux;
using VrrpPS.Protocol;
using VrrpPS.StateMachine;

int cycles = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
const int warmup = 2_000;
var platform = new LinuxNetworkPlatform();
using var lab = NamespaceLab.Create(2);
IpAddressValue group = IpAddressValue.Parse(VrrpConstants.MulticastGroupIPv4);
IpAddressValue senderAddress = IpAddressValue.Parse("198.51.100.11");
IpAddressValue receiverAddress = IpAddressValue.Parse("198.51.100.12");
IpAddressValue[] vips = [IpAddressValue.Parse("198.51.100.100")];

IVrrpSocket OpenIn(string ns, IpAddressValue source) => NetworkNamespace.Run(ns, () =>
{
    NetworkInterfaceInfo nic = platform.FindInterface(lab.InterfaceName) ?? throw new InvalidOperationException($"no {lab.InterfaceName} in {ns}");
    return platform.OpenVrrpSocket(new VrrpSocketOptions(AddressFamily.InterNetwork, nic.Index, nic.Name)
    {
        MulticastGroup = group,
        SourceAddress = source,
    });
});

using IVrrpSocket tx = OpenIn(lab.NodeNamespace(1), senderAddress);
using IVrrpSocket rx = OpenIn(lab.NodeNamespace(2), receiverAddress);
using IPoller poller = platform.CreatePoller();
poller.Add(rx.FileDescriptor);

var router = new VirtualRouter(new VirtualRouterOptions
{
    VirtualRouterId = 51,
    Priority = 100,
    Version = VrrpVersion.V3,
    AdvertisementIntervalCentiseconds = 1,
    PrimaryAddress = receiverAddress,
});
var actions = new CountingActions();
IMonotonicClock clock = platform.Clock;
router.Startup(clock.NowMicroseconds, actions);

byte[] txBuffer = new byte[1500];
byte[] rxBuffer = new byte[65536];
var fields = new AdvertisementFields
{
    Version = VrrpVersion.V3,
    VirtualRouterId = 51,
    Priority = 150,
    AdvertisementIntervalCentiseconds = 1,
    AuthType = VrrpAuthType.None,
    Password = VrrpPassword.Empty,
};

long accepted = 0;
bool Cycle()
{
    int length = VrrpCodec.WriteAdvertisement(txBuffer, in fields, vips, senderAddress, group, V3ChecksumMode.PseudoHeader);
    tx.Send(txBuffer.AsSpan(0, length), in group);
    Span<int> ready = stackalloc int[1];
    for (int attempt = 0; attempt < 50; attempt++)   // bounded: 50 x 20 ms
    {
        if (poller.Wait(20_000, ready) > 0 && rx.TryReceive(rxBuffer, out ReceivedDatagram dg))
        {
            var ctx = new PacketContext(dg.Source, dg.Destination, dg.Ttl) { ExpectedVersion = VrrpVersion.V3 };
            ReadOnlySpan<byte> message = rxBuffer.AsSpan(dg.PayloadOffset, dg.PayloadLength);
            if (VrrpCodec.TryParse(message, in ctx, out VrrpAdvertisement adv) != PacketValidation.Ok)
            {
                throw new InvalidOperationException("received advert did not validate");
            }
            router.OnAdvertisement(clock.NowMicroseconds, new ReceivedAdvertisement(adv.Priority, adv.AdvertisementIntervalCentiseconds, dg.Source), actions);
            accepted++;
            return true;
        }
    }
    return false;
}

for (int i = 0; i < warmup; i++)
{
    if (!Cycle()) { throw new InvalidOperationException("no advert received within 1 s during warm-up"); }
}
// Measured in 10 chunks: allocation in every chunk means per-advert garbage, a single chunk means a
// one-off (runtime work on this thread). The Stopwatch is created before the first reading.
const int chunks = 10;
var sw = System.Diagnostics.Stopwatch.StartNew();
int gcBefore = GC.CollectionCount(0);
long allocated = 0;
int allocatingChunks = 0;
for (int c = 0; c < chunks; c++)
{
    long before = GC.GetAllocatedBytesForCurrentThread();
    for (int i = 0; i < cycles / chunks; i++)
    {
        if (!Cycle()) { throw new InvalidOperationException($"no advert received within 1 s (chunk {c}, cycle {i})"); }
    }
    long delta = GC.GetAllocatedBytesForCurrentThread() - before;
    allocated += delta;
    allocatingChunks += delta > 0 ? 1 : 0;
}
sw.Stop();
cycles = cycles / chunks * chunks;
int gcs = GC.CollectionCount(0) - gcBefore;
if (router.State != VrrpState.Backup || router.MasterPriority != 150)
{
    throw new InvalidOperationException($"receiver should follow the priority-150 master, is {router.State}/{router.MasterPriority}");
}
double perCycle = (double)allocated / cycles;
Console.WriteLine(FormattableString.Invariant(
    $"{cycles} advert cycles (write+send, poll+receive+parse+OnAdvertisement) in {sw.Elapsed.TotalMilliseconds:0} ms ({sw.Elapsed.TotalMicroseconds / cycles:0.0} us/cycle)"));
Console.WriteLine(FormattableString.Invariant($"allocated {allocated} bytes on the cycle thread = {perCycle:0.###} bytes/cycle ({allocatingChunks} of {chunks} chunks allocated anything); gen0 GCs: {gcs}; router {router.State}, master priority {router.MasterPriority}"));
Console.WriteLine(FormattableString.Invariant($"ALLOC_BYTES_PER_CYCLE={perCycle:0.###}"));
return 0;

internal sealed class CountingActions : IRouterActions
{
    public int Transitions { get; private set; }
    public void SendAdvertisement(long now, byte priority) { }
    public void AddVirtualAddresses(long now) { }
    public void RemoveVirtualAddresses(long now) { }
    public void AnnounceVirtualAddresses(long now) { }
    public void StateChanged(long now, VrrpState from, VrrpState to, TransitionCause cause, IpAddressValue peer, byte peerPriority) => Transitions++;
}

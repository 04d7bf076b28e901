using System.Net.Sockets;
using VrrpPS.Protocol;

namespace VrrpPS.Engine;

// Receive path (issue 16): multicast instances send on their own socket but read their adverts from one socket per
// interface, family and group, dispatched by VRID. Per-instance receive sockets made the kernel copy every advert to
// every socket (and run each one's filter): N VRIDs at 10 ms cost N² copies a second on both nodes.
public sealed partial class VrrpEngine
{
    /// <summary>Datagrams read from one shared socket per wake-up: more stay queued (the poller reports it again), timers run between.</summary>
    private const int SharedReadBudget = 256;

    private readonly Dictionary<(int, AddressFamily, IpAddressValue), SharedReceiveSocket> _receivers = [];
    private readonly Dictionary<int, SharedReceiveSocket> _receiverByFd = [];
    private ReceivedDatagram _sharedDatagram;
    private Action<InstanceRuntime, long>? _onDatagram;

    /// <summary>Joins <paramref name="runtime"/> to the shared receive socket of its interface and group (opened on first use).</summary>
    private void AttachReceiver(InstanceRuntime runtime)
    {
        if (runtime.ReceiveGroup is not { } group)
        {
            return; // unicast: its own socket receives, with the kernel VRID filter
        }
        var key = (runtime.ReceiveLink.Index, runtime.Definition.Family, group);
        if (!_receivers.TryGetValue(key, out var receiver))
        {
            var socket = _platform.OpenVrrpSocket(new VrrpSocketOptions(runtime.Definition.Family, runtime.ReceiveLink.Index, runtime.ReceiveLink.Name)
            {
                MulticastGroup = group,
            });
            try
            {
                _poller.Add(socket.FileDescriptor); // first: a socket the poller refused must not be found by the next instance
            }
            catch
            {
                socket.Dispose();
                throw;
            }
            receiver = new SharedReceiveSocket(socket, key);
            _receivers[key] = receiver;
            _receiverByFd[socket.FileDescriptor] = receiver;
        }
        receiver.Add(runtime);
    }

    /// <summary>Leaves the shared receive socket; the last instance out closes it.</summary>
    private void DetachReceiver(InstanceRuntime runtime)
    {
        if (runtime.ReceiveGroup is not { } group
            || !_receivers.TryGetValue((runtime.ReceiveLink.Index, runtime.Definition.Family, group), out var receiver))
        {
            return;
        }
        receiver.Remove(runtime);
        if (receiver.Count == 0)
        {
            _receivers.Remove(receiver.Key);
            int fd = receiver.Socket.FileDescriptor;
            if (_receiverByFd.Remove(fd) && !_byFd.ContainsKey(fd))
            {
                _poller.Remove(fd);
            }
            receiver.Dispose();
        }
    }

    /// <summary>
    /// A receive error other than "nothing queued" on a shared socket: no instance is to blame, so none goes to FAULT;
    /// the socket is replaced (what it held is lost, as a lost advert is). If no socket can be opened, its instances
    /// go to FAULT, as an instance whose socket fails does.
    /// </summary>
    private void ReopenReceiver(SharedReceiveSocket receiver, long now, Exception error)
    {
        var members = receiver.Members.ToList();
        Log.Error(null, $"Receive error on the VRRP socket of interface {members[0].ReceiveLink.Name} ({error.Message}); reopening it");
        foreach (var inst in members)
        {
            DetachReceiver(inst); // the last one out closes it
        }
        foreach (var inst in members)
        {
            try
            {
                AttachReceiver(inst);
            }
            catch (Exception ex)
            {
                FaultInstance(inst, now, ex);
            }
        }
    }

    /// <summary>Reads what the shared socket holds (bounded) and hands each advert to the instances of its VRID.</summary>
    private void DrainShared(SharedReceiveSocket receiver, long now)
    {
        _onDatagram ??= (r, t) => r.OnDatagram(t, _rxBuffer, in _sharedDatagram);
        for (int n = 0; n < SharedReadBudget; n++)
        {
            try
            {
                if (!receiver.Socket.TryReceive(_rxBuffer, out _sharedDatagram))
                {
                    return;
                }
            }
            catch (Exception ex)
            {
                ReopenReceiver(receiver, now, ex);
                return;
            }
            if (_sharedDatagram.PayloadLength < 2 || receiver.For(_rxBuffer[_sharedDatagram.PayloadOffset + 1]) is not { } instances)
            {
                continue; // too short to name a VRID, or a VRID not run here
            }
            for (int i = 0; i < instances.Count; i++)
            {
                Guard(instances[i], now, _onDatagram);
            }
        }
    }
}

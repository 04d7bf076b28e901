using System.Net.Sockets;
using VrrpPS.Engine;
using VrrpPS.Lab;
using VrrpPS.Platform.Linux;
using VrrpPS.Protocol;
using Xunit;

namespace VrrpPS.Tests.Platform;

/// <summary>Tests that create network namespaces run one at a time (2 shared cores).</summary>
[CollectionDefinition(Name)]
public sealed class NamespaceCollection : ICollectionFixture<LabFixture>
{
    public const string Name = "Network namespaces";
}

/// <summary>A 2-node lab (IPv4 + IPv6) shared by the platform tests, removed at the end.</summary>
public sealed class LabFixture : IDisposable
{
    public LabFixture()
    {
        Lab = NamespaceLab.Create(2, new LabOptions { IPv6 = true });
        N1 = Lab.NodeNamespace(1);
        N2 = Lab.NodeNamespace(2);
        Eth1 = NetworkNamespace.Run(N1, () => Platform.FindInterface("eth0"))!;
        Eth2 = NetworkNamespace.Run(N2, () => Platform.FindInterface("eth0"))!;
    }

    public LinuxNetworkPlatform Platform { get; } = new();
    public NamespaceLab Lab { get; }
    public string N1 { get; }
    public string N2 { get; }
    public NetworkInterfaceInfo Eth1 { get; }
    public NetworkInterfaceInfo Eth2 { get; }

    public NetworkInterfaceInfo Eth(string ns) => ns == N1 ? Eth1 : Eth2;

    /// <summary>Opens a VRRP socket on eth0 of <paramref name="ns"/> (created on a thread inside it).</summary>
    public IVrrpSocket OpenSocket(string ns, AddressFamily family, bool multicast, IpAddressValue source = default, byte vrid = 0, bool sendOnly = false)
    {
        NetworkInterfaceInfo eth = Eth(ns);
        var options = new VrrpSocketOptions(family, eth.Index, eth.Name)
        {
            MulticastGroup = multicast
                ? IpAddressValue.Parse(family == AddressFamily.InterNetwork ? VrrpConstants.MulticastGroupIPv4 : VrrpConstants.MulticastGroupIPv6)
                : null,
            SourceAddress = source,
            VirtualRouterId = vrid,
            SendOnly = sendOnly,
        };
        return NetworkNamespace.Run(ns, () => Platform.OpenVrrpSocket(options));
    }

    /// <summary>Waits (bounded) for one datagram using the platform poller.</summary>
    public bool ReceiveWithin(IVrrpSocket socket, byte[] buffer, int milliseconds, out ReceivedDatagram datagram)
    {
        using IPoller poller = Platform.CreatePoller();
        poller.Add(socket.FileDescriptor);
        Span<int> ready = stackalloc int[1];
        long deadline = Environment.TickCount64 + milliseconds;
        while (true)
        {
            if (socket.TryReceive(buffer, out datagram))
            {
                return true;
            }
            long left = deadline - Environment.TickCount64;
            if (left <= 0)
            {
                return false;
            }
            poller.Wait(left * 1000, ready);
        }
    }

    public void Dispose() => Lab.Dispose();
}

/// <summary>Hand-made VRRP messages (the codec lives elsewhere; these are just bytes).</summary>
internal static class Packets
{
    /// <summary>RFC 5798 §5.1 v3 advert: VRID, priority, 1 address, interval in centiseconds.</summary>
    public static byte[] V3Advert(byte vrid, byte priority, ushort centiseconds, IpAddressValue vip)
    {
        var msg = new byte[8 + vip.ByteLength];
        msg[0] = 0x31; // version 3, type 1 (ADVERTISEMENT)
        msg[1] = vrid;
        msg[2] = priority;
        msg[3] = 1;
        msg[4] = (byte)(centiseconds >> 8 & 0x0f);
        msg[5] = (byte)centiseconds;
        vip.WriteBytes(msg.AsSpan(8));
        msg[6] = 0xab; // checksum bytes: opaque to the platform, must arrive unchanged
        msg[7] = 0xcd;
        return msg;
    }
}

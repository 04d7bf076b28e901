using System.Net.Sockets;
using VrrpPS.Engine;
using VrrpPS.Protocol;

namespace VrrpPS.Diagnostics;

/// <summary>
/// Passive VRRP capture on one interface: raw IP-112 sockets for IPv4 and IPv6 that join
/// 224.0.0.18 / ff02::12 (receiving only; group membership takes no part in the election).
/// Read runs on the caller's thread; only <see cref="Wake"/> may be called from another thread.
/// </summary>
public sealed class AdvertisementCapture : IDisposable
{
    private readonly List<(IVrrpSocket Socket, string Family)> _sockets = [];
    private readonly IPoller _poller;
    private readonly byte[] _buffer = new byte[65536];
    private readonly int[] _ready = new int[4];
    private readonly bool _showSecret;

    public AdvertisementCapture(INetworkPlatform platform, string interfaceName, bool showSecret,
        AddressFamily? onlyFamily = null)
    {
        var link = platform.FindInterface(interfaceName)
            ?? throw new VrrpEngineException(EngineErrorIds.InterfaceNotFound, $"Interface '{interfaceName}' does not exist.", interfaceName);
        InterfaceName = link.Name;
        _showSecret = showSecret;
        _poller = platform.CreatePoller();
        var errors = new List<string>();
        foreach (var (family, group) in new[] { (AddressFamily.InterNetwork, VrrpConstants.MulticastGroupIPv4), (AddressFamily.InterNetworkV6, VrrpConstants.MulticastGroupIPv6) })
        {
            if (onlyFamily is { } f && f != family)
            {
                continue;
            }
            try
            {
                var socket = platform.OpenVrrpSocket(new VrrpSocketOptions(family, link.Index, link.Name)
                {
                    MulticastGroup = IpAddressValue.Parse(group),
                    Passive = true,
                });
                _sockets.Add((socket, family == AddressFamily.InterNetwork ? "IPv4" : "IPv6"));
                _poller.Add(socket.FileDescriptor);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                errors.Add($"{family}: {ex.Message}");
            }
        }
        if (_sockets.Count == 0)
        {
            _poller.Dispose();
            throw new VrrpEngineException("VrrpCaptureFailed", $"Cannot capture VRRP on {interfaceName}: {string.Join("; ", errors)}", interfaceName);
        }
        Warnings = errors;
    }

    public string InterfaceName { get; }

    /// <summary>Families that could not be opened (for example IPv6 disabled), with the reason.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Waits up to <paramref name="timeout"/> and appends every advert that arrived.</summary>
    public int Read(TimeSpan timeout, List<VrrpAdvertisementRecord> output)
    {
        long micros = Math.Max(0, (long)(timeout.TotalMilliseconds * 1000));
        int ready = _poller.Wait(micros, _ready);
        int added = 0;
        if (ready <= 0)
        {
            return 0;
        }
        foreach (var (socket, _) in _sockets)
        {
            // Bounded: at most 256 datagrams per socket per call, so a flood cannot starve the caller.
            for (int i = 0; i < 256 && socket.TryReceive(_buffer, out ReceivedDatagram d); i++)
            {
                var message = new ReadOnlySpan<byte>(_buffer, d.PayloadOffset, d.PayloadLength);
                output.Add(AdvertisementDecoder.Decode(message, in d, InterfaceName, DateTime.UtcNow, _showSecret));
                added++;
            }
        }
        return added;
    }

    /// <summary>Thread-safe: makes a waiting <see cref="Read"/> return (Ctrl+C).</summary>
    public void Wake() => _poller.Wake();

    public void Dispose()
    {
        foreach (var (socket, _) in _sockets)
        {
            socket.Dispose();
        }
        _poller.Dispose();
    }
}

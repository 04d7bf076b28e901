using VrrpPS.Protocol;

namespace VrrpPS.Engine;

public interface IVrrpSocket : IDisposable
{
    /// <summary>File descriptor for IPoller.</summary>
    int FileDescriptor { get; }

    /// <summary>Sends one VRRP message (the kernel adds the IP header, TTL/hop limit 255).</summary>
    void Send(ReadOnlySpan<byte> vrrpMessage, in IpAddressValue destination);

    /// <summary>Non-blocking receive; false when nothing is queued. Never allocates.</summary>
    bool TryReceive(Span<byte> buffer, out ReceivedDatagram datagram);
}

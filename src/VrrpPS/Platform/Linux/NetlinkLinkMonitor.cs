using System.Runtime.InteropServices;
using VrrpPS.Engine;

namespace VrrpPS.Platform.Linux;

/// <summary>
/// Link up/down notifications from the kernel (rtnetlink group RTMGRP_LINK). keepalived tracks
/// interface state the same way; a link that goes down makes a VRRP instance FAULT.
/// Messages that do not fit the caller's span stay queued for the next Drain.
/// </summary>
internal sealed class NetlinkLinkMonitor : ILinkMonitor
{
    private readonly NetlinkSocket _nl;
    private int _pendingOffset;
    private int _pendingLength;

    public NetlinkLinkMonitor()
    {
        _nl = NetlinkSocket.Open(Rtnl.RTMGRP_LINK, nonBlocking: true);
    }

    public int FileDescriptor => _nl.Fd;

    /// <summary>Number of times the kernel reported lost notifications (ENOBUFS); re-read state when it grows.</summary>
    public int Overruns { get; private set; }

    public int Drain(Span<LinkChange> changes)
    {
        int count = 0;
        for (int reads = 0; count < changes.Length && reads < 64; reads++)
        {
            if (_pendingLength == 0)
            {
                int n = _nl.ReceiveNonBlocking();
                if (n < 0)
                {
                    Overruns++;
                    continue;
                }
                if (n == 0)
                {
                    break;
                }
                _pendingOffset = 0;
                _pendingLength = n;
            }
            count += ParsePending(changes[count..]);
        }
        return count;
    }

    private int ParsePending(Span<LinkChange> changes)
    {
        int count = 0;
        byte[] rx = _nl.ReceiveBuffer;
        while (_pendingLength >= Rtnl.HeaderSize && count < changes.Length)
        {
            var data = new ReadOnlySpan<byte>(rx, _pendingOffset, _pendingLength);
            int len = (int)MemoryMarshal.Read<uint>(data);
            if (len < Rtnl.HeaderSize || len > data.Length)
            {
                _pendingLength = 0;
                break;
            }
            ushort type = MemoryMarshal.Read<ushort>(data[4..]);
            if ((type == Rtnl.RTM_NEWLINK || type == Rtnl.RTM_DELLINK)
                && NetlinkLinks.TryParse(data[Rtnl.HeaderSize..len], out int index, out uint flags, out var name, out _))
            {
                bool up = type == Rtnl.RTM_NEWLINK && NetlinkLinks.IsUp(flags);
                changes[count++] = new LinkChange(index, name.IsEmpty ? null : Rtnl.CString(name), up);
            }
            int step = Math.Min(Rtnl.Align(len), _pendingLength);
            _pendingOffset += step;
            _pendingLength -= step;
        }
        if (_pendingLength < Rtnl.HeaderSize)
        {
            _pendingLength = 0;
        }
        return count;
    }

    public void Dispose() => _nl.Dispose();
}

using System.Runtime.InteropServices;
using Tmds.Linux;
using VrrpPS.Engine;

namespace VrrpPS.Platform.Linux;

/// <summary>
/// Readiness wait whose cost follows the ready descriptors, not the watched ones (issue 16: 255 VRIDs at
/// 10 ms are 25 500 wake-ups a second; ppoll over 255 descriptors paid O(N) in the kernel on each of them).
/// The descriptors live in an epoll set (level-triggered). The wait itself is a ppoll on the epoll descriptor
/// alone — readable while the set has ready descriptors — because ppoll takes a timespec: microsecond
/// timeouts, where epoll_wait counts milliseconds (a 10 ms interval would be stretched or busy-looped).
/// The ready list then comes from epoll_wait with a zero timeout. epoll hands out ready descriptors in
/// turn (a descriptor it reported goes to the back of its ready list), so when more are ready than the
/// caller's buffer holds, successive waits report every one of them. An eventfd in the set makes
/// <see cref="Wake"/> interrupt a wait from another thread; it is drained and never reported.
/// Wait does not allocate. Add/Remove/Wait belong to one thread (the engine loop); Wake may be called from any thread.
/// </summary>
internal sealed unsafe class EpollPoller : IPoller
{
    private readonly FdHandle _epoll;
    private readonly FdHandle _eventFd;
    private epoll_event[] _events = new epoll_event[64];
    private readonly object _wakeGate = new();
    private bool _disposed;

    public EpollPoller()
    {
        int ep = LibC.epoll_create1(LibC.EPOLL_CLOEXEC);
        if (ep < 0)
        {
            throw Errno.Fail("epoll_create1");
        }
        _epoll = new FdHandle(ep);
        int fd = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        if (fd < 0)
        {
            int errno = Marshal.GetLastSystemError();
            _epoll.Dispose();
            throw new LinuxSyscallException("eventfd", errno);
        }
        _eventFd = new FdHandle(fd);
        if (Control(LibC.EPOLL_CTL_ADD, fd) != 0)
        {
            int errno = Marshal.GetLastSystemError();
            Dispose();
            throw new LinuxSyscallException("epoll_ctl", errno);
        }
    }

    public void Add(int fileDescriptor)
    {
        if (Control(LibC.EPOLL_CTL_ADD, fileDescriptor) != 0)
        {
            int errno = Marshal.GetLastSystemError();
            if (errno != Errno.EEXIST) // added twice: already watched
            {
                throw new LinuxSyscallException("epoll_ctl(ADD)", errno);
            }
        }
    }

    /// <summary>Stops watching; a descriptor already closed (the kernel dropped it from the set) is not an error.</summary>
    public void Remove(int fileDescriptor) => Control(LibC.EPOLL_CTL_DEL, fileDescriptor);

    private int Control(int operation, int fileDescriptor)
    {
        epoll_event ev = default;
        ev.events = LibC.EPOLLIN;
        ev.data.fd = fileDescriptor;
        return LibC.epoll_ctl(_epoll.Fd, operation, fileDescriptor, &ev);
    }

    public int Wait(long timeoutMicroseconds, Span<int> ready)
    {
        if (timeoutMicroseconds != 0 && !WaitReadable(timeoutMicroseconds))
        {
            return 0; // timed out or interrupted
        }
        // Never more than the caller can take: a descriptor epoll reports is moved behind the others still
        // ready, so one reported but dropped here would lose its turn. The eventfd may take a slot.
        int max = Math.Max(1, ready.Length);
        if (_events.Length < max)
        {
            _events = new epoll_event[max]; // once, for a caller with a larger buffer
        }
        int n;
        fixed (epoll_event* events = _events)
        {
            n = LibC.epoll_wait(_epoll.Fd, events, max, 0);
        }
        if (n < 0)
        {
            int errno = Marshal.GetLastSystemError();
            if (errno == Errno.EINTR)
            {
                return 0;
            }
            throw new LinuxSyscallException("epoll_wait", errno);
        }
        int written = 0;
        int eventFd = _eventFd.Fd;
        for (int i = 0; i < n; i++)
        {
            int fd = _events[i].data.fd;
            if (fd == eventFd)
            {
                DrainEventFd();
            }
            else if (written < ready.Length)
            {
                ready[written++] = fd;
            }
        }
        return written;
    }

    /// <summary>ppoll on the epoll descriptor: true when something in the set is ready (negative timeout: no limit).</summary>
    private bool WaitReadable(long timeoutMicroseconds)
    {
        timespec ts = default;
        timespec* tsp = null;
        if (timeoutMicroseconds > 0)
        {
            ts.tv_sec = timeoutMicroseconds / 1_000_000;
            ts.tv_nsec = (long_t)(timeoutMicroseconds % 1_000_000 * 1000);
            tsp = &ts;
        }
        pollfd pfd = default;
        pfd.fd = _epoll.Fd;
        pfd.events = LibC.POLLIN;
        int r = LibC.ppoll(&pfd, 1, tsp, null);
        if (r < 0)
        {
            int errno = Marshal.GetLastSystemError();
            if (errno == Errno.EINTR)
            {
                return false;
            }
            throw new LinuxSyscallException("ppoll", errno);
        }
        return r > 0;
    }

    public void Wake()
    {
        // Serialised with Dispose: a late Wake (a command posted while the engine stops) must never
        // write to a closed descriptor number that the process may already have reused.
        lock (_wakeGate)
        {
            if (_disposed)
            {
                return;
            }
            ulong one = 1;
            LibC.write(_eventFd.Fd, &one, sizeof(ulong)); // EAGAIN only when the counter is saturated: already awake
        }
    }

    private void DrainEventFd()
    {
        ulong value;
        LibC.read(_eventFd.Fd, &value, sizeof(ulong));
    }

    public void Dispose()
    {
        lock (_wakeGate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _eventFd.Dispose();
            _epoll.Dispose();
        }
    }
}

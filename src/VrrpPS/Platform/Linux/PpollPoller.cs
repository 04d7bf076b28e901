using System.Runtime.InteropServices;
using Tmds.Linux;
using VrrpPS.Engine;

namespace VrrpPS.Platform.Linux;

/// <summary>
/// ppoll(2)-based readiness wait with microsecond timeouts (timespec, not epoll's milliseconds,
/// so a 10 ms advert interval is not stretched or turned into a busy loop). An eventfd makes
/// <see cref="Wake"/> interrupt a wait from another thread. Wait does not allocate.
/// Add/Remove/Wait belong to one thread (the engine loop); Wake may be called from any thread.
/// </summary>
internal sealed unsafe class PpollPoller : IPoller
{
    private readonly FdHandle _eventFd;
    private pollfd[] _fds = new pollfd[8];
    private int _count;

    public PpollPoller()
    {
        int fd = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        if (fd < 0)
        {
            throw Errno.Fail("eventfd");
        }
        _eventFd = new FdHandle(fd);
        _fds[0].fd = fd;
        _fds[0].events = LibC.POLLIN;
        _count = 1;
    }

    public void Add(int fileDescriptor)
    {
        for (int i = 1; i < _count; i++)
        {
            if (_fds[i].fd == fileDescriptor)
            {
                return;
            }
        }
        if (_count == _fds.Length)
        {
            Array.Resize(ref _fds, _fds.Length * 2);
        }
        _fds[_count].fd = fileDescriptor;
        _fds[_count].events = LibC.POLLIN;
        _fds[_count].revents = 0;
        _count++;
    }

    public void Remove(int fileDescriptor)
    {
        for (int i = 1; i < _count; i++)
        {
            if (_fds[i].fd == fileDescriptor)
            {
                _fds[i] = _fds[_count - 1];
                _count--;
                return;
            }
        }
    }

    public int Wait(long timeoutMicroseconds, Span<int> ready)
    {
        timespec ts = default;
        timespec* tsp = null;
        if (timeoutMicroseconds >= 0)
        {
            ts.tv_sec = timeoutMicroseconds / 1_000_000;
            ts.tv_nsec = (long_t)(timeoutMicroseconds % 1_000_000 * 1000);
            tsp = &ts;
        }
        int n;
        fixed (pollfd* p = _fds)
        {
            n = LibC.ppoll(p, (ulong_t)(uint)_count, tsp, null);
        }
        if (n < 0)
        {
            int errno = Marshal.GetLastSystemError();
            if (errno == Errno.EINTR)
            {
                return 0;
            }
            throw new LinuxSyscallException("ppoll", errno);
        }
        if (n == 0)
        {
            return 0;
        }
        int written = 0;
        if (_fds[0].revents != 0)
        {
            DrainEventFd();
        }
        for (int i = 1; i < _count; i++)
        {
            if (_fds[i].revents != 0 && written < ready.Length)
            {
                ready[written++] = _fds[i].fd;
            }
        }
        return written;
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

    private readonly object _wakeGate = new();
    private bool _disposed;

    private void DrainEventFd()
    {
        ulong value;
        LibC.read(_eventFd.Fd, &value, sizeof(ulong));
    }

    public void Dispose()
    {
        lock (_wakeGate)
        {
            _disposed = true;
            _eventFd.Dispose();
        }
    }
}

using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace VrrpPS.Hosting;

/// <summary>
/// sd_notify(3) for Type=notify: one datagram per message to the AF_UNIX socket named by
/// $NOTIFY_SOCKET ("@name" is an abstract-namespace socket, sent as a leading NUL byte).
/// Implemented here rather than taken from Microsoft.Extensions.Hosting.Systemd: the protocol is a
/// single sendto, while that package brings the generic-host dependency tree into a module that
/// loads inside pwsh (assembly version clashes with pwsh's own copies), and it offers neither
/// RELOADING=1 with MONOTONIC_USEC nor a watchdog fed by our own engine loop.
/// A missing or unusable socket makes every call a no-op: notification never stops the daemon.
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endPoint;

    public SystemdNotifier(string? notifySocket)
    {
        if (string.IsNullOrEmpty(notifySocket) || (notifySocket[0] != '/' && notifySocket[0] != '@'))
        {
            return; // unset, or a transport (vsock:) we do not speak
        }
        string path = notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket;
        try
        {
            _endPoint = new UnixDomainSocketEndPoint(path);
            _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        }
        catch (Exception ex) when (ex is SocketException or ArgumentException)
        {
            _socket = null;
        }
    }

    /// <summary>From the environment, as systemd passes it.</summary>
    public static SystemdNotifier FromEnvironment() => new(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"));

    public bool Enabled => _socket is not null;

    /// <summary>CLOCK_MONOTONIC in microseconds (Stopwatch on Linux reads CLOCK_MONOTONIC in nanoseconds).</summary>
    public static long MonotonicMicroseconds => (long)(Stopwatch.GetTimestamp() / (Stopwatch.Frequency / 1_000_000.0));

    /// <summary>
    /// The watchdog period from $WATCHDOG_USEC when $WATCHDOG_PID is unset or names this process; null otherwise.
    /// </summary>
    public static TimeSpan? WatchdogInterval()
    {
        string? pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        if (!string.IsNullOrEmpty(pid) && pid != Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            return null;
        }
        return long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), out long usec) && usec > 0
            ? TimeSpan.FromMicroseconds(usec) : null;
    }

    /// <summary>Sends "KEY=value\n…" lines as one datagram; false when not sent.</summary>
    public bool Notify(string state)
    {
        if (_socket is null || _endPoint is null)
        {
            return false;
        }
        try
        {
            lock (_socket)
            {
                return _socket.SendTo(Encoding.UTF8.GetBytes(state), SocketFlags.None, _endPoint) > 0;
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>A STATUS= value on one line (systemd shows it in `systemctl status`).</summary>
    public static string Status(string text) => "STATUS=" + DaemonLog.StripControl(text);

    public void Dispose() => _socket?.Dispose();
}

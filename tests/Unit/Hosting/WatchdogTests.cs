using System.Net.Sockets;
using System.Text;
using VrrpPS.Engine;
using VrrpPS.Hosting;
using VrrpPS.Platform.Linux;
using Xunit;

namespace VrrpPS.Tests.Hosting;

/// <summary>WATCHDOG=1 only while the engine loop is alive: a stopped (or hung) loop gets no ping, so systemd restarts it.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class WatchdogTests
{
    [Fact]
    public void Pings_while_the_loop_runs_and_stops_when_it_does_not()
    {
        string name = "@vrrpps-wd-" + Guid.NewGuid().ToString("n")[..12];
        using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { ReceiveTimeout = 3000 };
        listener.Bind(new UnixDomainSocketEndPoint("\0" + name[1..]));
        var engine = new VrrpEngine(new LinuxNetworkPlatform()); // the real loop (no instance: nothing is sent)
        using var notifier = new SystemdNotifier(name);
        using (var watchdog = new Watchdog(engine, notifier, TimeSpan.FromMilliseconds(200)))
        {
            var buf = new byte[256];
            int n = listener.Receive(buf);
            Assert.Equal("WATCHDOG=1", Encoding.UTF8.GetString(buf, 0, n));
            engine.Dispose(); // the loop ends: nothing proves it alive any more
            listener.ReceiveTimeout = 200;
            while (TryReceive(listener, buf)) { } // a ping already in flight
            listener.ReceiveTimeout = 800;
            Assert.False(TryReceive(listener, buf), "no WATCHDOG=1 once the loop stopped");
        }
    }

    private static bool TryReceive(Socket s, byte[] buf)
    {
        try
        {
            return s.Receive(buf) > 0;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            return false;
        }
    }
}

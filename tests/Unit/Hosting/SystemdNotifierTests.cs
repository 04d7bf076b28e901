using System.Net.Sockets;
using System.Text;
using VrrpPS.Hosting;
using Xunit;

namespace VrrpPS.Tests.Hosting;

/// <summary>sd_notify datagrams to a path socket and to an abstract-namespace socket ("@name"), without systemd.</summary>
public sealed class SystemdNotifierTests
{
    private static (Socket Listener, string Name) Listen(bool isAbstract)
    {
        string id = Guid.NewGuid().ToString("n")[..12];
        string name = isAbstract ? "@vrrpps-test-" + id : Path.Combine(Path.GetTempPath(), "vrrpps-notify-" + id + ".sock");
        var s = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { ReceiveTimeout = 5000 };
        s.Bind(new UnixDomainSocketEndPoint(isAbstract ? "\0" + name[1..] : name));
        return (s, name);
    }

    private static string Receive(Socket s)
    {
        var buf = new byte[4096];
        int n = s.Receive(buf);
        return Encoding.UTF8.GetString(buf, 0, n);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sends_each_message_as_one_datagram(bool isAbstract)
    {
        var (listener, name) = Listen(isAbstract);
        try
        {
            using var n = new SystemdNotifier(name);
            Assert.True(n.Enabled);
            Assert.True(n.Notify("READY=1\nSTATUS=running"));
            Assert.True(n.Notify("STOPPING=1"));
            Assert.Equal("READY=1\nSTATUS=running", Receive(listener));
            Assert.Equal("STOPPING=1", Receive(listener));
        }
        finally
        {
            listener.Dispose();
            if (!isAbstract)
            {
                File.Delete(name);
            }
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("vsock:2:1234")]
    [InlineData("/nonexistent/vrrpps/notify.sock")]
    public void Without_a_usable_socket_notification_is_a_no_op(string? socket)
    {
        using var n = new SystemdNotifier(socket);
        Assert.False(n.Notify("READY=1"));
    }

    [Fact]
    public void Status_is_one_line_without_control_characters()
    {
        Assert.Equal("STATUS=reload failed: a.conf:3 bad | next; kept", SystemdNotifier.Status("reload failed: \u001b[31ma.conf:3 bad\u001b[0m\r\nnext; kept"));
    }

    [Fact]
    public void Monotonic_microseconds_advance()
    {
        long a = SystemdNotifier.MonotonicMicroseconds;
        Thread.Sleep(20);
        long b = SystemdNotifier.MonotonicMicroseconds;
        Assert.InRange(b - a, 15_000, 5_000_000);
    }
}

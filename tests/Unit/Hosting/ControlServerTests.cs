using System.Net.Sockets;
using System.Text;
using Tmds.Linux;
using VrrpPS.Engine;
using VrrpPS.Hosting;
using Xunit;

namespace VrrpPS.Tests.Hosting;

/// <summary>
/// Issue 11 item 13 at the unit level: the control socket's file handling, its creation mode, a
/// handler that throws, and accept errors. (The daemon-level tests are in tests/Pester/Daemon.*.)
/// </summary>
[Collection("umask")] // the creation-mode test changes the process umask
public sealed class ControlServerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vrrpps-ctl-" + Guid.NewGuid().ToString("n")[..10]);

    public ControlServerTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string SocketPath => Path.Combine(_dir, "engine.sock");

    private ControlServer Serve(Func<ControlRequest, ControlResponse> handle, List<string>? warnings = null) =>
        ControlServer.Open(SocketPath, null, handle, m => { lock (warnings ?? []) { warnings?.Add(m); } });

    private string Ask(string line)
    {
        using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveTimeout = 5000 };
        s.Connect(new UnixDomainSocketEndPoint(SocketPath));
        s.Send(Encoding.UTF8.GetBytes(line + "\n"));
        var buf = new byte[65536];
        int n = s.Receive(buf);
        return Encoding.UTF8.GetString(buf, 0, n).Trim();
    }

    [Fact]
    public void A_handler_exception_is_an_InternalError_answer_and_the_server_goes_on()
    {
        var warnings = new List<string>();
        int calls = 0;
        using var server = Serve(_ => Interlocked.Increment(ref calls) == 1
            ? throw new InvalidOperationException("engine bug")
            : new ControlResponse { Ok = true, States = [] }, warnings);
        Assert.Contains("\"errorId\":\"VrrpControlInternalError\"", Ask("{\"command\":\"state\"}"));
        Assert.Equal("{\"ok\":true,\"states\":[]}", Ask("{\"command\":\"state\"}"));
        Assert.Contains(warnings, w => w.Contains("engine bug", StringComparison.Ordinal));
    }

    [Fact]
    public void An_existing_regular_file_is_never_deleted()
    {
        File.WriteAllText(SocketPath, "keep me");
        var ex = Assert.Throws<VrrpEngineException>(() => Serve(_ => new ControlResponse { Ok = true }));
        Assert.Equal(ControlErrorIds.PathInUse, ex.ErrorId);
        Assert.Equal("keep me", File.ReadAllText(SocketPath));
    }

    [Fact]
    public void A_stale_socket_of_ours_is_replaced()
    {
        using (var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            stale.Bind(new UnixDomainSocketEndPoint(SocketPath)); // bound, never listening: nobody answers
        }
        using var server = Serve(_ => new ControlResponse { Ok = true, States = [] });
        Assert.Equal("{\"ok\":true,\"states\":[]}", Ask("{\"command\":\"state\"}"));
    }

    [Fact]
    public void The_socket_is_never_open_to_others_even_between_bind_and_chmod()
    {
        uint? modeAtBind = null;
        ControlSocketFile.AfterBind = p => modeAtBind = UnixFileStatus.Lstat(p)?.Permissions;
        mode_t old = LibC.umask(0); // the most permissive umask a daemon could inherit
        try
        {
            using var server = Serve(_ => new ControlResponse { Ok = true });
        }
        finally
        {
            LibC.umask(old);
            ControlSocketFile.AfterBind = null;
        }
        Assert.NotNull(modeAtBind);
        Assert.Equal(0u, modeAtBind!.Value & 0x3F); // no group or other bits at any time
    }

    [Fact]
    public void Accept_errors_back_off_instead_of_spinning()
    {
        using var listener = ControlSocketFile.Bind(SocketPath, null);
        using var server = new ControlServer(SocketPath, listener, _ => new ControlResponse { Ok = true }, null, _ => { },
            () => throw new SocketException((int)SocketError.TooManyOpenSockets));
        Thread.Sleep(1000);
        Assert.InRange(server.AcceptCalls, 1, 30); // a spinning loop makes millions of calls a second
    }

    [Fact]
    public void Read_only_callers_may_not_send_control_requests()
    {
        Assert.True(ControlProtocol.IsReadOnly("state"));
        Assert.True(ControlProtocol.IsReadOnly("metrics"));
        foreach (string c in new[] { "stop", "set-priority", "release", "resume", "reload", "shutdown", "unknown" })
        {
            Assert.False(ControlProtocol.IsReadOnly(c));
        }
    }
}

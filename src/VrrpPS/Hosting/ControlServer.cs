using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using VrrpPS.Engine;

namespace VrrpPS.Hosting;

/// <summary>
/// Serves <see cref="ControlProtocol"/> for one engine on its own thread. Bounded: at most
/// <see cref="MaxConnections"/> connections at once (more are answered "busy" and closed), requests
/// of at most <see cref="MaxRequestBytes"/>, an idle connection closed after 10 s; accept errors
/// (EMFILE…) back off instead of spinning; no exception of one connection ends the daemon.
/// Each caller is identified by SO_PEERCRED: root does everything, the monitoring group read-only.
/// </summary>
public sealed class ControlServer : IDisposable
{
    public const int MaxConnections = 16;
    public const int MaxRequestBytes = 64 * 1024;

    private readonly Socket _listener;
    private readonly Func<ControlRequest, ControlResponse> _handle;
    private readonly Func<Socket> _accept;
    private readonly Action<string> _warn;
    private readonly uint? _readOnlyGroup;
    private readonly uint _daemonUid = UnixFileStatus.EffectiveUid;
    private readonly Thread _thread;
    private int _connections;
    private int _refusing;
    private volatile bool _disposed;

    internal ControlServer(string path, Socket listener, Func<ControlRequest, ControlResponse> handle, uint? readOnlyGroup,
        Action<string> warn, Func<Socket>? accept = null)
    {
        Path = path;
        _listener = listener;
        _handle = handle;
        _readOnlyGroup = readOnlyGroup;
        _warn = warn;
        _accept = accept ?? listener.Accept;
        _thread = new Thread(AcceptLoop) { IsBackground = true, Name = "VrrpPS control" };
        _thread.Start();
    }

    public string Path { get; }

    /// <summary>Accept calls made (for the EMFILE back-off test).</summary>
    internal long AcceptCalls => Interlocked.Read(ref _acceptCalls);
    private long _acceptCalls;

    /// <summary>Opens the socket at <paramref name="path"/> (see <see cref="ControlSocketFile"/>) serving <paramref name="handle"/>.</summary>
    internal static ControlServer Open(string path, uint? readOnlyGroup, Func<ControlRequest, ControlResponse> handle, Action<string> warn)
    {
        var listener = ControlSocketFile.Bind(path, readOnlyGroup);
        listener.Listen(MaxConnections);
        return new ControlServer(path, listener, handle, readOnlyGroup, warn);
    }

    private void AcceptLoop()
    {
        int failures = 0;
        while (!_disposed)
        {
            Socket client;
            try
            {
                Interlocked.Increment(ref _acceptCalls);
                client = _accept();
                failures = 0;
            }
            catch (Exception) when (_disposed)
            {
                return;
            }
            catch (Exception ex) when (ex is SocketException or IOException or InvalidOperationException)
            {
                // EMFILE/ENFILE/ENOBUFS: retrying at once would spin a core; back off up to 1 s.
                if (failures++ % 50 == 0)
                {
                    _warn($"Control socket accept failed ({ex.Message}); backing off");
                }
                Thread.Sleep(Math.Min(1000, 20 << Math.Min(failures, 6)));
                continue;
            }
            if (Interlocked.Increment(ref _connections) > MaxConnections)
            {
                Interlocked.Decrement(ref _connections);
                if (Interlocked.Increment(ref _refusing) > MaxConnections)
                {
                    Interlocked.Decrement(ref _refusing);
                    client.Dispose(); // flooded: no answer at all
                    continue;
                }
                if (!Run(() =>
                {
                    try
                    {
                        Refuse(client, ControlErrorIds.Busy, $"More than {MaxConnections} control connections are open; try again.");
                    }
                    finally
                    {
                        Interlocked.Decrement(ref _refusing);
                    }
                }))
                {
                    Interlocked.Decrement(ref _refusing);
                    client.Dispose();
                }
                continue;
            }
            if (!Run(() =>
            {
                try
                {
                    Serve(client);
                }
                finally
                {
                    Interlocked.Decrement(ref _connections);
                }
            }))
            {
                Interlocked.Decrement(ref _connections);
                client.Dispose();
                Thread.Sleep(100); // out of resources: do not spin either
            }
        }
    }

    // One thread per connection (at most MaxConnections, plus as many refusing "busy"): blocking
    // reads of slow clients must not starve the thread pool the engine and pwsh also use.
    // A thread that cannot be created (out of memory or descriptors) costs the connection, not the daemon.
    private static bool Run(Action work)
    {
        try
        {
            new Thread(() => work()) { IsBackground = true, Name = "VrrpPS control client" }.Start();
            return true;
        }
        catch (OutOfMemoryException)
        {
            return false;
        }
    }

    // Reads (at most) the request first: closing with unread input would reset the connection and
    // the client would lose the answer, seeing "no answer" instead of the reason.
    private static void Refuse(Socket client, string errorId, string message)
    {
        using (client)
        {
            try
            {
                client.SendTimeout = client.ReceiveTimeout = 1000;
                _ = new BoundedLineReader(client, MaxRequestBytes).ReadLine();
                client.Send(Line(new ControlResponse { Ok = false, ErrorId = errorId, Error = message }));
                client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private static byte[] Line(ControlResponse r) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(r, ControlProtocol.JsonOptions) + "\n");

    private void Serve(Socket client)
    {
        using (client)
        {
            try
            {
                var access = PeerCredentials.Of(client)?.Access(_daemonUid, _readOnlyGroup) ?? ControlAccess.None;
                if (access == ControlAccess.None)
                {
                    Refuse(client, ControlErrorIds.PermissionDenied,
                        "This user may not use the VrrpPS control socket (root, or the group given by -ControlSocketGroup for read-only requests).");
                    return;
                }
                client.ReceiveTimeout = 10_000;
                client.SendTimeout = 10_000;
                var reader = new BoundedLineReader(client, MaxRequestBytes);
                for (int i = 0; i < 1000; i++)
                {
                    var (line, tooLong) = reader.ReadLine();
                    if (tooLong)
                    {
                        client.Send(Line(new ControlResponse { Ok = false, ErrorId = ControlErrorIds.RequestTooLarge,
                            Error = $"A control request is at most {MaxRequestBytes} bytes." }));
                        return; // the rest of an over-long line is not read: close
                    }
                    if (line is null)
                    {
                        return;
                    }
                    client.Send(Line(Handle(line, access)));
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                // the client went away or timed out
            }
            catch (Exception ex)
            {
                _warn($"Control connection failed: {ex.GetType().Name}: {ex.Message}");
            }
        }
    }

    private ControlResponse Handle(string line, ControlAccess access)
    {
        ControlRequest req;
        try
        {
            req = JsonSerializer.Deserialize<ControlRequest>(line, ControlProtocol.JsonOptions) ?? throw new JsonException("empty request");
        }
        catch (JsonException ex)
        {
            return new ControlResponse { Ok = false, ErrorId = ControlErrorIds.BadRequest, Error = ex.Message };
        }
        if (access != ControlAccess.Control && !ControlProtocol.IsReadOnly(req.Command))
        {
            return new ControlResponse { Ok = false, ErrorId = ControlErrorIds.PermissionDenied,
                Error = $"'{req.Command}' changes the daemon and needs root; this caller may only read (state, stats, metrics)." };
        }
        try
        {
            return _handle(req);
        }
        catch (VrrpEngineException ex)
        {
            return new ControlResponse { Ok = false, ErrorId = ex.ErrorId, Error = ex.Message };
        }
        catch (Exception ex) when (ex is ArgumentException or TimeoutException)
        {
            return new ControlResponse { Ok = false, ErrorId = ControlErrorIds.BadRequest, Error = ex.Message };
        }
        catch (Exception ex)
        {
            _warn($"Control request '{req.Command}' failed: {ex.GetType().Name}: {ex.Message}");
            return new ControlResponse { Ok = false, ErrorId = ControlErrorIds.InternalError, Error = $"{ex.GetType().Name}: {ex.Message}" };
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _listener.Dispose();
        ControlSocketFile.Remove(Path);
    }
}

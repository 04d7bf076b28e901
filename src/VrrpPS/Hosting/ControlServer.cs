using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using VrrpPS.Engine;

namespace VrrpPS.Hosting;

/// <summary>Serves <see cref="ControlProtocol"/> for one engine on its own thread.</summary>
public sealed class ControlServer : IDisposable
{
    private readonly VrrpEngine _engine;
    private readonly Socket _listener;
    private readonly Thread _thread;
    private volatile bool _disposed;

    private ControlServer(VrrpEngine engine, string path, Socket listener)
    {
        _engine = engine;
        Path = path;
        _listener = listener;
        _thread = new Thread(AcceptLoop) { IsBackground = true, Name = "VrrpPS control" };
        _thread.Start();
    }

    public string Path { get; }

    /// <summary>Set by the -Wait host: a "shutdown" request ends the daemon.</summary>
    public event Action? ShutdownRequested;

    /// <summary>Opens the socket; a stale file from a dead process is replaced, a live one is not.</summary>
    public static ControlServer Open(VrrpEngine engine, string path)
    {
        string? dir = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }
        if (File.Exists(path))
        {
            if (IsAlive(path))
            {
                throw new VrrpEngineException(EngineErrorIds.ControlSocketUnavailable,
                    $"Another VrrpPS engine already serves {path}. Set ${ControlProtocol.EnvironmentVariable} to use another path.", path);
            }
            File.Delete(path);
        }
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // root-only
        }
        listener.Listen(8);
        return new ControlServer(engine, path, listener);
    }

    private static bool IsAlive(string path)
    {
        try
        {
            using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            s.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void AcceptLoop()
    {
        while (!_disposed)
        {
            Socket client;
            try
            {
                client = _listener.Accept();
            }
            catch (Exception) when (_disposed)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            ThreadPool.QueueUserWorkItem(_ => Serve(client));
        }
    }

    private void Serve(Socket client)
    {
        using (client)
        {
            client.ReceiveTimeout = 10_000;
            using var stream = new NetworkStream(client, ownsSocket: false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
            try
            {
                for (int i = 0; i < 1000; i++)
                {
                    string? line = reader.ReadLine();
                    if (line is null)
                    {
                        return;
                    }
                    writer.WriteLine(JsonSerializer.Serialize(Handle(line), ControlProtocol.JsonOptions));
                }
            }
            catch (IOException)
            {
                // client went away
            }
        }
    }

    private ControlResponse Handle(string line)
    {
        try
        {
            var req = JsonSerializer.Deserialize<ControlRequest>(line, ControlProtocol.JsonOptions)
                      ?? throw new JsonException("empty request");
            IEnumerable<VrrpInstanceState> states = req.Command switch
            {
                "state" => _engine.GetStates().Where(s => req.Name is null || s.Name == req.Name),
                "stop" => [_engine.Stop(req.Name ?? throw new ArgumentException("stop needs a name"))],
                "set-priority" => [_engine.SetPriority(req.Name ?? throw new ArgumentException("set-priority needs a name"),
                                    req.Priority ?? throw new ArgumentException("set-priority needs a priority"))],
                "release" => [_engine.Release(req.Name ?? throw new ArgumentException("release needs a name"))],
                "resume" => [_engine.Resume(req.Name ?? throw new ArgumentException("resume needs a name"))],
                "shutdown" => Shutdown(),
                _ => throw new ArgumentException($"unknown command '{req.Command}'"),
            };
            return new ControlResponse { Ok = true, States = states.ToArray() };
        }
        catch (VrrpEngineException ex)
        {
            return new ControlResponse { Ok = false, ErrorId = ex.ErrorId, Error = ex.Message };
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or TimeoutException)
        {
            return new ControlResponse { Ok = false, ErrorId = "VrrpControlBadRequest", Error = ex.Message };
        }
    }

    private IEnumerable<VrrpInstanceState> Shutdown()
    {
        var states = _engine.GetStates();
        ShutdownRequested?.Invoke();
        return states;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _listener.Dispose();
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
        }
    }
}

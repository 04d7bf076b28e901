using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using VrrpPS.Engine;

namespace VrrpPS.Hosting;

public static class ControlProtocol
{
    public const string EnvironmentVariable = "VRRPPS_CONTROL_SOCKET";
    public const string DefaultPath = "/run/vrrpps/engine.sock";

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly HashSet<string> s_readOnly = new(StringComparer.Ordinal) { "state", "stats", "metrics" };

    /// <summary>Commands the monitoring group may send; everything else needs root.</summary>
    public static bool IsReadOnly(string? command) => command is not null && s_readOnly.Contains(command);

    /// <summary>The socket path: $VRRPPS_CONTROL_SOCKET, else /run/vrrpps/engine.sock.</summary>
    public static string ResolvePath(string? explicitPath = null) =>
        !string.IsNullOrEmpty(explicitPath) ? explicitPath
        : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env ? env
        : DefaultPath;

    /// <summary>Sends one request to the engine behind <paramref name="path"/>.</summary>
    public static ControlResponse Send(string path, ControlRequest request, TimeSpan timeout)
    {
        if (!File.Exists(path))
        {
            if (!CanSearch(path))
            {
                throw PermissionDenied(path, "its directory is not accessible to this user");
            }
            throw new VrrpEngineException(EngineErrorIds.ControlSocketUnavailable,
                $"No VrrpPS engine runs in this process, and no control socket exists at {path}.", path);
        }
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.SendTimeout = socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
            socket.Connect(new UnixDomainSocketEndPoint(path));
            using var stream = new NetworkStream(socket, ownsSocket: false);
            using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
            using var reader = new StreamReader(stream, Encoding.UTF8);
            writer.WriteLine(JsonSerializer.Serialize(request, JsonOptions));
            string line = reader.ReadLine() ?? throw new IOException("The engine closed the control connection.");
            return JsonSerializer.Deserialize<ControlResponse>(line, JsonOptions) ?? throw new IOException("Empty control response.");
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AccessDenied)
        {
            throw PermissionDenied(path, ex.Message);
        }
        catch (Exception ex) when (ex is SocketException or IOException or JsonException)
        {
            throw new VrrpEngineException(EngineErrorIds.ControlSocketUnavailable,
                $"The VrrpPS engine at {path} did not answer: {ex.Message}", path, ex);
        }
    }

    private static VrrpEngineException PermissionDenied(string path, string why) =>
        new(ControlErrorIds.PermissionDenied,
            $"Permission denied: cannot reach the VrrpPS control socket {path} ({why}). Run as root, or as a member of the " +
            "group the daemon was started with (-ControlSocketGroup), which may read state, stats and metrics.", path);

    // File.Exists is false both for "no such file" and "a directory on the way is not searchable":
    // the second must be an error, never "no daemon runs" (an empty, all-clear result).
    private static unsafe bool CanSearch(string path)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";
        if (!Directory.Exists(dir))
        {
            return true; // nothing there at all: no daemon
        }
        var bytes = Encoding.UTF8.GetBytes(dir + "\0");
        fixed (byte* p = bytes)
        {
            return Tmds.Linux.LibC.access(p, 1 /* X_OK */) == 0;
        }
    }
}

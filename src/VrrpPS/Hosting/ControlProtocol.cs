using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using VrrpPS.Engine;

namespace VrrpPS.Hosting;

/// <summary>
/// The control socket: a Unix domain stream socket (root-only, mode 0600) speaking
/// newline-delimited JSON, one request and one response per line. Commands: state, stop,
/// set-priority, shutdown. Lets Get-VrrpState in another pwsh see a daemon's instances.
/// </summary>
public sealed class ControlRequest
{
    public string Command { get; set; } = "state";
    public string? Name { get; set; }
    public int? Priority { get; set; }
}

public sealed class ControlResponse
{
    public bool Ok { get; set; }
    public string? ErrorId { get; set; }
    public string? Error { get; set; }
    public VrrpInstanceState[]? States { get; set; }
}

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
        catch (Exception ex) when (ex is SocketException or IOException or JsonException)
        {
            throw new VrrpEngineException(EngineErrorIds.ControlSocketUnavailable,
                $"The VrrpPS engine at {path} did not answer: {ex.Message}", path, ex);
        }
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;
using VrrpPS.Engine;

namespace VrrpPS.Hosting;

/// <summary>
/// The opt-in metrics endpoint (-MetricsAddress 127.0.0.1:9650): a minimal HTTP/1.0 server that
/// answers GET /metrics with <see cref="MetricsText"/> and closes. One request at a time, 5 s
/// timeouts, 8 KiB request cap: a scrape endpoint, not a web server.
/// </summary>
internal sealed class MetricsListener : IDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<IReadOnlyList<VrrpInstanceState>> _states;
    private readonly Thread _thread;
    private volatile bool _disposed;

    public MetricsListener(string address, Func<IReadOnlyList<VrrpInstanceState>> states)
    {
        _listener = new TcpListener(Parse(address));
        _listener.Start(8);
        _states = states;
        _thread = new Thread(Loop) { IsBackground = true, Name = "VrrpPS metrics" };
        _thread.Start();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public static IPEndPoint Parse(string address)
    {
        if (IPEndPoint.TryParse(address, out var ep) && ep.Port != 0)
        {
            return ep;
        }
        throw new VrrpEngineException("VrrpMetricsAddressInvalid",
            $"'{address}' is not an address:port for the metrics listener (e.g. 127.0.0.1:9650 or [::1]:9650).", address);
    }

    private void Loop()
    {
        while (!_disposed)
        {
            try
            {
                using var client = _listener.AcceptSocket();
                client.ReceiveTimeout = client.SendTimeout = 5000;
                Serve(client);
            }
            catch (Exception) when (_disposed)
            {
                return;
            }
            catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
            {
                Thread.Sleep(50); // EMFILE and the like: do not spin
            }
        }
    }

    private void Serve(Socket client)
    {
        var buf = new byte[8192];
        int n = 0;
        while (n < buf.Length)
        {
            int r = client.Receive(buf, n, buf.Length - n, SocketFlags.None);
            if (r == 0)
            {
                break;
            }
            n += r;
            if (Encoding.ASCII.GetString(buf, 0, n).Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                break;
            }
        }
        string head = Encoding.ASCII.GetString(buf, 0, n);
        bool ok = head.StartsWith("GET /metrics ", StringComparison.Ordinal) || head.StartsWith("GET / ", StringComparison.Ordinal);
        string body = ok ? MetricsText.Write(_states()) : "Not found: GET /metrics\n";
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        string status = ok ? "200 OK" : "404 Not Found";
        string type = ok ? MetricsText.ContentType : "text/plain; charset=utf-8";
        client.Send(Encoding.ASCII.GetBytes($"HTTP/1.0 {status}\r\nContent-Type: {type}\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n"));
        client.Send(bytes);
    }

    public void Dispose()
    {
        _disposed = true;
        _listener.Stop();
    }
}

using System.Net.Sockets;
using System.Text;

namespace VrrpPS.Hosting;

/// <summary>Reads '\n'-terminated UTF-8 lines from a socket, never buffering more than a limit.</summary>
internal sealed class BoundedLineReader
{
    private readonly Socket _socket;
    private readonly int _limit;
    private readonly byte[] _buffer;
    private int _start;
    private int _end;

    public BoundedLineReader(Socket socket, int limit)
    {
        _socket = socket;
        _limit = limit;
        _buffer = new byte[limit + 1];
    }

    /// <summary>The next line (without '\n'); null at end of stream; TooLong when no '\n' came within the limit.</summary>
    public (string? Line, bool TooLong) ReadLine()
    {
        while (true)
        {
            int nl = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (nl >= 0)
            {
                string line = Encoding.UTF8.GetString(_buffer, _start, nl - _start).TrimEnd('\r');
                _start = nl + 1;
                return (line, false);
            }
            if (_end - _start >= _limit)
            {
                return (null, true);
            }
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            int n = _socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None);
            if (n == 0)
            {
                return (null, false);
            }
            _end += n;
        }
    }
}

using System.Globalization;
using System.Text;
using VrrpPS.Engine.Tracking;

namespace VrrpPS.Platform.Linux;

/// <summary>
/// Reads the process table from /proc: the name and state from /proc/PID/stat (the name sits between
/// the first '(' and the last ')', it may itself contain parentheses and spaces), the arguments
/// from /proc/PID/cmdline (NUL-separated). Zombies are skipped: their process is gone.
/// Processes that exit while being read are skipped. One scan is shared by every tracker for
/// <see cref="MaxAge"/>, so several track_process blocks do not rescan /proc each.
/// </summary>
public sealed class ProcProcessTable : IProcessTable
{
    public static readonly ProcProcessTable Shared = new("/proc");
    private static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(100);
    private readonly string _root;
    private readonly object _gate = new();
    private (long At, bool WithCommandLine, IReadOnlyList<ProcessEntry> Entries)? _cache;

    public ProcProcessTable(string root) => _root = root;

    public IReadOnlyList<ProcessEntry> Read(bool withCommandLine)
    {
        lock (_gate)
        {
            long now = Environment.TickCount64;
            if (_cache is { } c && now - c.At < MaxAge.TotalMilliseconds && (c.WithCommandLine || !withCommandLine))
            {
                return c.Entries;
            }
            var entries = Scan(withCommandLine);
            _cache = (now, withCommandLine, entries);
            return entries;
        }
    }

    private List<ProcessEntry> Scan(bool withCommandLine)
    {
        var list = new List<ProcessEntry>();
        byte[] buffer = _buffer;
        foreach (string dir in Directory.EnumerateDirectories(_root))
        {
            if (!int.TryParse(Path.GetFileName(dir.AsSpan()), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }
            try
            {
                int n = ReadInto(Path.Combine(dir, "stat"), ref buffer);
                if (ParseStat(buffer.AsSpan(0, n)) is not var (name, state) || state is 'Z' or 'X')
                {
                    continue;
                }
                IReadOnlyList<string>? argv = null;
                if (withCommandLine)
                {
                    n = ReadInto(Path.Combine(dir, "cmdline"), ref buffer);
                    argv = SplitCommandLine(buffer.AsSpan(0, n));
                }
                list.Add(new ProcessEntry(pid, name, argv));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // exited while being read
            }
        }
        _buffer = buffer;
        return list;
    }

    private byte[] _buffer = new byte[4096];

    /// <summary>Reads a whole /proc file (its size is reported as 0) with one handle and no stream, growing the buffer if needed.</summary>
    private static int ReadInto(string path, ref byte[] buffer)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        int total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }
            int n = RandomAccess.Read(handle, buffer.AsSpan(total), total);
            if (n == 0)
            {
                return total;
            }
            total += n;
        }
    }

    /// <summary>The stat line as bytes (what the scan reads).</summary>
    public static (string Name, char State)? ParseStat(ReadOnlySpan<byte> stat)
    {
        int open = stat.IndexOf((byte)'(');
        int close = stat.LastIndexOf((byte)')');
        if (open < 0 || close < open || close + 2 >= stat.Length)
        {
            return null;
        }
        return (Encoding.UTF8.GetString(stat[(open + 1)..close]), (char)stat[close + 2]);
    }

    /// <summary>"1234 (my proc) S 1 …" → ("my proc", 'S'); null when malformed.</summary>
    public static (string Name, char State)? ParseStat(string stat)
    {
        int open = stat.IndexOf('(', StringComparison.Ordinal);
        int close = stat.LastIndexOf(')');
        if (open < 0 || close < open || close + 2 >= stat.Length)
        {
            return null;
        }
        return (stat[(open + 1)..close], stat[close + 2]);
    }

    /// <summary>NUL-separated arguments; a kernel thread has none (empty list).</summary>
    public static IReadOnlyList<string> SplitCommandLine(ReadOnlySpan<byte> raw)
    {
        var args = new List<string>();
        while (raw.Length > 0)
        {
            int nul = raw.IndexOf((byte)0);
            var part = nul < 0 ? raw : raw[..nul];
            args.Add(Encoding.UTF8.GetString(part));
            raw = nul < 0 ? [] : raw[(nul + 1)..];
        }
        return args;
    }
}

using System.Text.RegularExpressions;
using VrrpPS.Engine;

namespace VrrpPS.Hosting;

/// <summary>
/// The daemon's log on stderr, for journald: under systemd (stderr is the stream named by
/// $JOURNAL_STREAM) each line starts with its syslog priority "&lt;N&gt;" (3 error, 4 warning,
/// 6 info, 7 debug) so `journalctl -p warning` sees warnings; on a terminal lines carry a time
/// stamp instead. Never an ANSI escape sequence: they are stripped from every message.
/// </summary>
internal static partial class DaemonLog
{
    private static readonly object s_gate = new();

    /// <summary>True when stderr is connected to journald (systemd.exec(5), $JOURNAL_STREAM "device:inode").</summary>
    public static bool StderrIsJournal => IsJournalStream(Environment.GetEnvironmentVariable("JOURNAL_STREAM"), UnixFileStatus.Fstat(2));

    internal static bool IsJournalStream(string? journalStream, UnixFileStatus? stderr)
    {
        if (string.IsNullOrEmpty(journalStream) || stderr is not { } st)
        {
            return false;
        }
        string[] parts = journalStream.Split(':');
        return parts.Length == 2 && ulong.TryParse(parts[0], out ulong dev) && ulong.TryParse(parts[1], out ulong ino)
               && dev == st.Device && ino == st.Inode;
    }

    public static int Priority(EngineLogLevel level) => level switch
    {
        EngineLogLevel.Error => 3,
        EngineLogLevel.Warning => 4,
        EngineLogLevel.Debug => 7,
        _ => 6,
    };

    /// <summary>One line as written: "&lt;4&gt;(VI_1) text" for journald, "2026-… (VI_1) text" otherwise.</summary>
    public static string Format(EngineLogEntry e, bool journal)
    {
        string text = StripControl(e.ToString());
        return journal ? $"<{Priority(e.Level)}>{text}" : $"{e.Time.ToLocalTime():yyyy-MM-dd HH:mm:ss.fff} {text}";
    }

    /// <summary>Removes ANSI/VT escape sequences and other control characters; a newline becomes " | ".</summary>
    public static string StripControl(string text)
    {
        text = AnsiEscape().Replace(text, string.Empty);
        text = text.Replace("\r\n", " | ").Replace('\n', ' ').Replace('\r', ' ');
        return ControlChar().Replace(text, string.Empty);
    }

    public static void Write(EngineLogEntry e, bool journal)
    {
        string line = Format(e, journal);
        lock (s_gate)
        {
            Console.Error.WriteLine(line);
            Console.Error.Flush();
        }
    }

    /// <summary>
    /// For cmdlets (config warnings of Import-KeepalivedConfig and Start-VrrpInstance): under journald
    /// the warning goes to stderr at priority 4 and true is returned (the caller then does not also
    /// write it through the host, which journald would record at info priority).
    /// </summary>
    public static bool TryWriteWarning(string text)
    {
        if (!StderrIsJournal)
        {
            return false;
        }
        Write(new EngineLogEntry(DateTime.UtcNow, EngineLogLevel.Warning, null, text), journal: true);
        return true;
    }

    [GeneratedRegex(@"\x1B(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1B]*(?:\x07|\x1B\\)?|[ -/]*[0-~])")]
    private static partial Regex AnsiEscape();

    [GeneratedRegex(@"[\x00-\x08\x0B-\x1F\x7F]")]
    private static partial Regex ControlChar();
}

using System.Globalization;

namespace VrrpPS.Engine.Tracking;

/// <summary>
/// The I/O side of one instance's file and process trackers: a loop per track_file and
/// track_process, off the engine thread (vrrp_script checks are scheduled by the instance itself, on
/// the engine clock). Each result is posted back to the engine thread, where the
/// instance applies rise/fall and weights. Checks start every interval (start to start, as
/// keepalived); a check that overruns delays the next one, never overlaps it.
/// </summary>
internal sealed class TrackerRunner : IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    public void StartFile(TrackFileDefinition def, Action<long, string?> post) =>
        RunEvery(TimeSpan.FromSeconds(Math.Max(0.05, def.PollSeconds)), () =>
        {
            var (value, error) = ReadValue(def);
            post(value, error);
        });

    /// <summary>
    /// track_process: counts matching processes every <paramref name="poll"/> and posts the quorum
    /// status when it changes (after fork_delay / terminate_delay), with the count in words.
    /// keepalived is told of forks and exits by the kernel's proc connector; polling trades up to one
    /// poll period of detection time for no extra privilege or kernel dependency.
    /// </summary>
    public void StartProcess(TrackProcessDefinition def, IProcessTable table, TimeSpan poll, Action<bool, string> post)
    {
        var quorum = new ProcessQuorum(def);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        RunEvery(poll, () =>
        {
            int count = ProcessMatcher.Count(def, table.Read(def.NeedsCommandLine));
            if (quorum.Observe(count, clock.Elapsed.TotalSeconds) is bool have)
            {
                post(have, quorum.Describe(count));
            }
        });
    }

    /// <summary>Runs <paramref name="tick"/> at once and then <paramref name="period"/> after each run, until disposed.</summary>
    private void RunEvery(TimeSpan period, Action tick)
    {
        var token = _stop.Token;
        _ = Task.Run(async () =>
        {
            while (!token.IsCancellationRequested)
            {
                tick();
                try
                {
                    await Task.Delay(period, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }, token);
    }

    /// <summary>keepalived reads the leading integer; a missing or unreadable file counts as the initial value.</summary>
    internal static (long Value, string? Error) ReadValue(TrackFileDefinition def)
    {
        try
        {
            string text = File.ReadAllText(def.Path).Trim();
            int end = 0;
            while (end < text.Length && (char.IsDigit(text[end]) || (end == 0 && text[end] is '-' or '+')))
            {
                end++;
            }
            return long.TryParse(text.AsSpan(0, end), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v)
                ? (v, null)
                : (def.InitialValue, $"'{def.Path}' does not start with an integer");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (def.InitialValue, ex.Message);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}

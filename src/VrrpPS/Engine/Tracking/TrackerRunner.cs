using System.Globalization;

namespace VrrpPS.Engine.Tracking;

/// <summary>
/// The I/O side of one instance's trackers: a loop per script (process or ScriptBlock) and per
/// track_file, off the engine thread. Each result is posted back to the engine thread, where the
/// instance applies rise/fall and weights. Checks start every interval (start to start, as
/// keepalived); a check that overruns delays the next one, never overlaps it.
/// </summary>
internal sealed class TrackerRunner : IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    public void StartScript(TrackScriptDefinition def, Func<EngineRunspace> runspace, IProcessRunner runner, Action<bool, string?, string?> post)
    {
        var token = _stop.Token;
        _ = Task.Run(async () =>
        {
            var interval = TimeSpan.FromSeconds(Math.Max(0.01, def.IntervalSeconds));
            while (!token.IsCancellationRequested)
            {
                var started = DateTime.UtcNow;
                bool ok;
                string? result;
                string? error;
                if (def.Command is { } argv)
                {
                    var r = await runner.RunAsync(new ProcessRequest(argv, def.EffectiveTimeout) { User = def.User, Group = def.Group }, token).ConfigureAwait(false);
                    (ok, result, error) = (r.Success, r.TimedOut ? "timeout" : r.ExitCode.ToString(CultureInfo.InvariantCulture), r.Error);
                }
                else
                {
                    var r = await runspace().InvokeAsync(def.ScriptBlockText ?? "", [], def.EffectiveTimeout).ConfigureAwait(false);
                    (ok, result, error) = (r.Success, r.Output, r.Error);
                }
                if (token.IsCancellationRequested)
                {
                    return;
                }
                post(ok, result, error);
                var wait = interval - (DateTime.UtcNow - started);
                try
                {
                    await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }, token);
    }

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
    internal static (long Value, string? Error) ReadValue(TrackFileDefinition def) => TrackFileReader.Read(def);

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}

using VrrpPS.Engine;

namespace VrrpPS.Hosting;

/// <summary>
/// Feeds systemd's watchdog (WatchdogSec=) every half period, but only while the engine loop
/// shows it is alive: its heartbeat moved, or a no-op command posted to it completed. A hung
/// loop stops WATCHDOG=1 and systemd restarts the daemon (SIGABRT, then a fresh start).
/// </summary>
internal sealed class Watchdog : IDisposable
{
    private readonly VrrpEngine _engine;
    private readonly SystemdNotifier _notifier;
    private readonly TimeSpan _half;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    public Watchdog(VrrpEngine engine, SystemdNotifier notifier, TimeSpan interval)
    {
        _engine = engine;
        _notifier = notifier;
        _half = interval / 2;
        _thread = new Thread(Run) { IsBackground = true, Name = "VrrpPS watchdog" };
        _thread.Start();
    }

    /// <summary>Pings sent (for tests and the log).</summary>
    public long Pings => Interlocked.Read(ref _pings);
    private long _pings;

    private void Run()
    {
        long lastBeat = _engine.LoopHeartbeat;
        while (!_stop.Token.WaitHandle.WaitOne(_half))
        {
            long beat = _engine.LoopHeartbeat;
            bool alive = beat != lastBeat;
            lastBeat = beat;
            if (!alive)
            {
                // The loop posts no heartbeat (idle wait, or not wired): a command round trip proves it runs.
                alive = Probe();
            }
            if (alive && _notifier.Notify("WATCHDOG=1"))
            {
                Interlocked.Increment(ref _pings);
            }
        }
    }

    // Never throws: a stopped engine faults the probe, which only means "not alive".
    private bool Probe()
    {
        try
        {
            var probe = _engine.InvokeAsync(now => now);
            return ((IAsyncResult)probe).AsyncWaitHandle.WaitOne(_half / 2) && probe.IsCompletedSuccessfully;
        }
        catch (Exception ex) when (ex is VrrpEngineException or ObjectDisposedException or InvalidOperationException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}

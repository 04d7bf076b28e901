namespace VrrpPS.Engine;

// What the daemon host (src/VrrpPS/Hosting) reads from the engine: a heartbeat of the loop for the
// systemd watchdog. A loop that hangs stops the counter, the host stops sending WATCHDOG=1, and
// systemd restarts the daemon. And the longest busy stretch of the loop (from the poller's return to its next
// wait, wall time: a thread preempted under CPU starvation counts), for the USR2 stats dump and the benches.
public sealed partial class VrrpEngine
{
    /// <summary>Iterations of the engine loop so far (monotonic, readable from any thread).</summary>
    public long LoopHeartbeat => Iterations;

    private long _longestBusy;

    /// <summary>The longest loop iteration (µs of wall time between two waits) since the last <see cref="TakeLongestIteration"/>.</summary>
    public long LongestIterationMicroseconds => Volatile.Read(ref _longestBusy);

    /// <summary>Returns <see cref="LongestIterationMicroseconds"/> and starts a new window.</summary>
    public long TakeLongestIteration() => Interlocked.Exchange(ref _longestBusy, 0);

    private void NoteBusy(long microseconds)
    {
        if (microseconds > Volatile.Read(ref _longestBusy))
        {
            Volatile.Write(ref _longestBusy, microseconds); // one writer (the loop); a Take racing it loses at most this sample
        }
    }
}

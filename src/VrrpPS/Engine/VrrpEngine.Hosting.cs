namespace VrrpPS.Engine;

// What the daemon host (src/VrrpPS/Hosting) reads from the engine: a heartbeat of the loop for the
// systemd watchdog. The loop calls Heartbeat() once per iteration; a loop that hangs stops the
// counter, the host stops sending WATCHDOG=1, and systemd restarts the daemon.
public sealed partial class VrrpEngine
{
    private long _loopHeartbeat;

    /// <summary>Iterations of the engine loop so far (monotonic, readable from any thread).</summary>
    public long LoopHeartbeat => Interlocked.Read(ref _loopHeartbeat);

    /// <summary>Called by the loop once per iteration.</summary>
    internal void Heartbeat() => Interlocked.Increment(ref _loopHeartbeat);
}

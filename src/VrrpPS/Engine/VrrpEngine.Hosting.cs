namespace VrrpPS.Engine;

// What the daemon host (src/VrrpPS/Hosting) reads from the engine: a heartbeat of the loop for the
// systemd watchdog. A loop that hangs stops the counter, the host stops sending WATCHDOG=1, and
// systemd restarts the daemon.
public sealed partial class VrrpEngine
{
    /// <summary>Iterations of the engine loop so far (monotonic, readable from any thread).</summary>
    public long LoopHeartbeat => Iterations;
}

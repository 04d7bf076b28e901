using VrrpPS.Engine;
using VrrpPS.StateMachine;

namespace VrrpPS.Hosting;

/// <summary>
/// Wait-VrrpState's wait: polls an instance's state (10 ms in this process, 50 ms over the control socket)
/// until it reaches the wanted state, the timeout passes, or the token is cancelled.
/// </summary>
internal static class StateWaiter
{
    /// <summary>The outcome: the state object when reached; otherwise the last state seen (null if never asked).</summary>
    internal readonly record struct Outcome(bool Reached, bool Cancelled, VrrpInstanceState? Last);

    /// <summary>Throws VrrpInstanceNotFound when no instance has the name, and the control socket's errors.</summary>
    public static Outcome WaitFor(string? controlSocket, string name, VrrpState state, double timeoutSeconds, CancellationToken token)
    {
        var deadline = timeoutSeconds < 0 ? DateTime.MaxValue : DateTime.UtcNow.AddSeconds(timeoutSeconds);
        VrrpInstanceState? last = null;
        var client = EngineClient.Connect(controlSocket);
        while (!token.IsCancellationRequested)
        {
            last = client.GetStates().FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal))
                ?? throw new VrrpEngineException(EngineErrorIds.InstanceNotFound, $"No VRRP instance named '{name}' is running.", name);
            if (last.State == state)
            {
                return new Outcome(true, false, last);
            }
            if (DateTime.UtcNow >= deadline)
            {
                break;
            }
            token.WaitHandle.WaitOne(client.IsRemote ? 50 : 10);
        }
        return new Outcome(false, token.IsCancellationRequested, last);
    }
}

using VrrpPS.Engine;

namespace VrrpPS.Tests.Engine;

/// <summary>Polls an engine's snapshots until an instance satisfies a condition (bounded); returns the last snapshot either way.</summary>
internal static class EngineWait
{
    public static VrrpInstanceState WaitFor(VrrpEngine e, string name, Func<VrrpInstanceState, bool> ok, int timeoutMs = 4000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        VrrpInstanceState s;
        do
        {
            s = e.GetStates().Single(x => x.Name == name);
            if (ok(s))
            {
                return s;
            }
            Thread.Sleep(10);
        }
        while (DateTime.UtcNow < deadline);
        return s;
    }
}

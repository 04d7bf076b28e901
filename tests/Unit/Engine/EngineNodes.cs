using VrrpPS.Engine;

namespace VrrpPS.Tests.Engine;

/// <summary>Engines on one in-memory LAN, disposed together at the end of a test.</summary>
internal sealed class EngineNodes : IDisposable
{
    private readonly List<VrrpEngine> _engines = [];

    public FakeLan Lan { get; } = new();

    public (VrrpEngine Engine, FakePlatform Host) Node(string address)
    {
        var host = new FakePlatform(Lan, address);
        var engine = new VrrpEngine(host);
        _engines.Add(engine);
        return (engine, host);
    }

    public void Dispose()
    {
        foreach (var e in _engines)
        {
            e.Dispose();
        }
    }
}

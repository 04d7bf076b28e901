using System.Collections.Concurrent;

namespace VrrpPS.Engine;

/// <summary>
/// The engine thread never writes to a pipeline. It publishes log lines here; each listener
/// (a running cmdlet, the -Wait stderr writer) has its own queue and drains it on its own thread.
/// </summary>
public sealed class EngineLog
{
    private readonly object _gate = new();
    private ConcurrentQueue<EngineLogEntry>[] _listeners = [];

    public void Write(EngineLogLevel level, string? instance, string message)
    {
        var entry = new EngineLogEntry(DateTime.UtcNow, level, instance, message);
        foreach (var q in Volatile.Read(ref _listeners))
        {
            q.Enqueue(entry);
        }
    }

    public void Info(string? instance, string message) => Write(EngineLogLevel.Info, instance, message);
    public void Warning(string? instance, string message) => Write(EngineLogLevel.Warning, instance, message);
    public void Error(string? instance, string message) => Write(EngineLogLevel.Error, instance, message);

    public ConcurrentQueue<EngineLogEntry> Subscribe()
    {
        var q = new ConcurrentQueue<EngineLogEntry>();
        lock (_gate)
        {
            _listeners = [.. _listeners, q];
        }
        return q;
    }

    public void Unsubscribe(ConcurrentQueue<EngineLogEntry> queue)
    {
        lock (_gate)
        {
            _listeners = _listeners.Where(q => !ReferenceEquals(q, queue)).ToArray();
        }
    }
}

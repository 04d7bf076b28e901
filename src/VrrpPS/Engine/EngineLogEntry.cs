namespace VrrpPS.Engine;

/// <summary>One log line, in keepalived's familiar form: "(VI_1) Entering MASTER STATE".</summary>
public sealed class EngineLogEntry
{
    public EngineLogEntry(DateTime time, EngineLogLevel level, string? instance, string message)
    {
        Time = time;
        Level = level;
        Instance = instance;
        Message = message;
    }

    public DateTime Time { get; }
    public EngineLogLevel Level { get; }
    public string? Instance { get; }
    public string Message { get; }

    public override string ToString() => Instance is null ? Message : $"({Instance}) {Message}";
}

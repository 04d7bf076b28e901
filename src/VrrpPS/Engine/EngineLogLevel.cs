namespace VrrpPS.Engine;

public enum EngineLogLevel
{
    Debug,
    Info,
    Warning,
    Error,
}

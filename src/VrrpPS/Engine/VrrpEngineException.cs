namespace VrrpPS.Engine;

/// <summary>A definition or request the engine refuses; ErrorId is stable (tests and scripts match it).</summary>
public sealed class VrrpEngineException : Exception
{
    public VrrpEngineException(string errorId, string message, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Target = target;
    }

    public string ErrorId { get; }
    public object? Target { get; }
}

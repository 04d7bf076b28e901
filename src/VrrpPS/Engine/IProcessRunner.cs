namespace VrrpPS.Engine;

/// <summary>One program run: an argument array (never a shell string), a timeout, an optional user/group.</summary>
internal sealed record ProcessRequest(IReadOnlyList<string> Arguments, TimeSpan Timeout)
{
    /// <summary>Run as this user (keepalived script_user / the user after a notify or track script path).</summary>
    public string? User { get; init; }
    public string? Group { get; init; }
    /// <summary>Characters of standard output kept (the rest is read and dropped).</summary>
    public int OutputCap { get; init; } = 2048;
}

/// <summary>How one process run ended.</summary>
internal readonly record struct ProcessOutcome(bool Success, int ExitCode, bool TimedOut, string? Output, string? Error);

/// <summary>
/// The engine's one way to run a program (track scripts, notify programs). Platform/Linux implements it
/// with real processes (timeout kills the whole tree); the engine simulator answers from a script:
/// succeed, fail or hang on command, in simulated time.
/// </summary>
internal interface IProcessRunner
{
    Task<ProcessOutcome> RunAsync(ProcessRequest request, CancellationToken cancel = default);
}

namespace VrrpPS.Engine;

/// <summary>One program run: an argument array (never a shell string), a timeout, an optional user/group.</summary>
internal sealed record ProcessRequest(IReadOnlyList<string> Arguments, TimeSpan Timeout)
{
    /// <summary>Output cap for system tools (nft, iptables, firewall-cmd, ip), whose whole output is parsed.</summary>
    public const int ToolOutputCap = 64 * 1024 * 1024;

    /// <summary>Run as this user (keepalived script_user / the user after a notify or track script path).</summary>
    public string? User { get; init; }
    public string? Group { get; init; }
    /// <summary>Characters of standard output kept (the rest is read and dropped).</summary>
    public int OutputCap { get; init; } = 2048;
    /// <summary>Written to standard input, which is then closed; null: closed at once. Never blocks past the timeout.</summary>
    public string? StandardInput { get; init; }
    /// <summary>
    /// False (track scripts, notify programs): started in / with PATH only, nothing of pwsh's environment.
    /// True (system tools: firewall, lab): the caller's environment and working directory.
    /// </summary>
    public bool InheritEnvironment { get; init; }
    /// <summary>Variables set on top of the environment (e.g. LC_ALL=C for parsed tool output).</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
    /// <summary>How long output is awaited once the program has ended (a grandchild holding the pipe must not hold the caller).</summary>
    public TimeSpan OutputGrace { get; init; } = TimeSpan.FromMilliseconds(200);
}

/// <summary>How one process run ended.</summary>
internal readonly record struct ProcessOutcome(bool Success, int ExitCode, bool TimedOut, string? Output, string? Error)
{
    /// <summary>Standard error as written (capped like the output); null when not captured.</summary>
    public string? StandardError { get; init; }
    /// <summary>The program could not be started (not found, not executable, exec failed); <see cref="Error"/> says why.</summary>
    public bool StartFailed { get; init; }
}

/// <summary>
/// The one way to run a program: track scripts, notify programs, firewall tools and the lab's commands. Platform/Linux implements it
/// with real processes (timeout kills the whole tree); the engine simulator answers from a script:
/// succeed, fail or hang on command, in simulated time.
/// </summary>
internal interface IProcessRunner
{
    Task<ProcessOutcome> RunAsync(ProcessRequest request, CancellationToken cancel = default);
}

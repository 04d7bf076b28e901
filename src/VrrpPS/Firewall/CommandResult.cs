namespace VrrpPS.Firewall;

/// <summary>What a finished (or timed-out) program run produced.</summary>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut = false);

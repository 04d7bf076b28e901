using System.Management.Automation;

namespace VrrpPS.Firewall;

/// <summary>A firewall failure carrying the ErrorId and category the cmdlet reports.</summary>
public sealed class FirewallException : Exception
{
    public FirewallException(string errorId, ErrorCategory category, string message, object? target, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Category = category;
        Target = target;
    }

    public string ErrorId { get; }
    public ErrorCategory Category { get; }
    public object? Target { get; }

    public ErrorRecord ToErrorRecord() => new(this, ErrorId, Category, Target);

    public static FirewallException ToolNotFound(string program) =>
        new(FirewallErrorIds.ToolNotFound, ErrorCategory.ObjectNotFound,
            $"The firewall tool '{program}' was not found (looked in PATH, /usr/sbin and /sbin). Install it or choose another -Provider.", program);

    /// <summary>Turns a failed run into the right error: permission denied, timeout or plain failure.</summary>
    public static FirewallException FromResult(string program, IReadOnlyList<string> args, CommandResult r)
    {
        string command = program + " " + string.Join(' ', args);
        if (r.TimedOut)
        {
            return new(FirewallErrorIds.CommandTimedOut, ErrorCategory.OperationTimeout, $"'{command}' did not finish in time.", command);
        }
        string err = r.StandardError.Trim();
        if (IsPermissionProblem(err))
        {
            return new(FirewallErrorIds.PermissionDenied, ErrorCategory.PermissionDenied,
                $"Permission denied running '{command}' (run as root or with CAP_NET_ADMIN): {err}", command);
        }
        return new(FirewallErrorIds.CommandFailed, ErrorCategory.InvalidOperation,
            $"'{command}' failed with exit code {r.ExitCode}: {err}", command);
    }

    internal static bool IsPermissionProblem(string stderr) =>
        stderr.Contains("Operation not permitted", StringComparison.OrdinalIgnoreCase)
        || stderr.Contains("Permission denied", StringComparison.OrdinalIgnoreCase)
        || stderr.Contains("must be root", StringComparison.OrdinalIgnoreCase)
        || stderr.Contains("NOT_AUTHORIZED", StringComparison.Ordinal)
        || stderr.Contains("Authorization failed", StringComparison.OrdinalIgnoreCase);
}

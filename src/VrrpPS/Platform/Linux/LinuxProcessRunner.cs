using System.Diagnostics;
using System.Text;

using VrrpPS.Engine;
using VrrpPS.Engine.Tracking;

namespace VrrpPS.Platform.Linux;

/// <summary>
/// Runs a check or notify program with an argument array (never through a shell), with a timeout
/// that kills the whole process tree, as keepalived runs scripts: the program resolved to a full path
/// (a bare name only in <see cref="ScriptSecurity.SafePath"/>, never the current directory or pwsh's
/// directory, which .NET's own search would try first), started in / with a minimal environment
/// (PATH only: nothing of pwsh's environment). With a user, through setpriv (util-linux, by its full
/// path) as that user with the group given or the user's primary group and no other groups
/// (keepalived: setgid, setgroups to that one group, setuid). System tools (firewall, lab) run the
/// same way with <see cref="ProcessRequest.InheritEnvironment"/>: the caller's environment and directory.
/// </summary>
internal sealed class LinuxProcessRunner : IProcessRunner
{
    public static readonly LinuxProcessRunner Shared = new();

    // Off the caller's thread at once: starting a process (fork/exec) must never stall the engine loop.
    public Task<ProcessOutcome> RunAsync(ProcessRequest request, CancellationToken cancel = default) =>
        Task.Run(() => RunCoreAsync(request, cancel), CancellationToken.None);

    private static async Task<ProcessOutcome> RunCoreAsync(ProcessRequest request, CancellationToken cancel)
    {
        var argv = request.Arguments;
        if (argv.Count == 0)
        {
            return NotStarted("empty command");
        }
        if (ScriptSecurity.Resolve(argv[0]) is not string program)
        {
            return NotStarted($"cannot start {argv[0]}: not found or not executable (a bare name is searched in {ScriptSecurity.SafePath} only)");
        }
        (uint, uint)? account = null;
        if (request.User is { } user)
        {
            if (Setpriv is null)
            {
                return NotStarted($"cannot start {program} as {user}: setpriv (util-linux) is not at /usr/bin/setpriv or /bin/setpriv");
            }
            if (ScriptAccounts.Lookup(user, request.Group) is not var (uid, gid))
            {
                return NotStarted($"cannot start {program}: user '{user}' or group '{request.Group}' does not exist");
            }
            account = (uid, gid);
        }
        var environment = new Dictionary<string, string>();
        if (!request.InheritEnvironment)
        {
            environment["PATH"] = ScriptSecurity.SafePath;
        }
        foreach (var (name, value) in request.Environment ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }
        var launch = new ProcessLauncher.Launch(program, argv.Skip(1).ToList())
        {
            InheritEnvironment = request.InheritEnvironment, Environment = environment, Account = account,
        };
        Process process;
        try
        {
            process = ProcessLauncher.Start(launch);
        }
        catch (Exception ex)
        {
            return NotStarted($"cannot start {argv[0]}: {ex.Message}");
        }
        using (process)
        {
            _ = FeedAsync(process.StandardInput, request.StandardInput);
            var stdout = CaptureAsync(process.StandardOutput, request.OutputCap);
            var stderr = CaptureAsync(process.StandardError, request.OutputCap);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            cts.CancelAfter(request.Timeout);
            bool timedOut = false;
            try
            {
                await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                KillTree(process);
                timedOut = true;
            }
            string? output = await WithinAsync(stdout, request.OutputGrace).ConfigureAwait(false);
            string? error = await WithinAsync(stderr, request.OutputGrace).ConfigureAwait(false);
            if (timedOut)
            {
                return new ProcessOutcome(false, -1, true, output, $"timed out after {request.Timeout.TotalSeconds:0.###} s (process tree killed)")
                    { StandardError = error };
            }
            int code = process.ExitCode;
            return new ProcessOutcome(code == 0, code, false, output,
                code == 0 ? null : $"exit code {code}" + (string.IsNullOrWhiteSpace(error) ? "" : $": {error.Trim()}")) { StandardError = error };
        }
    }

    private static ProcessOutcome NotStarted(string why) => new(false, -1, false, null, why) { StartFailed = true };

    // Off the waiting path: a program that never reads a large input must not hold the run past its timeout.
    private static async Task FeedAsync(StreamWriter input, string? text)
    {
        try
        {
            if (text is not null)
            {
                await input.WriteAsync(text).ConfigureAwait(false);
            }
            input.Close();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The program ended (or was killed) without reading its input; its exit code and stderr say why.
        }
    }

    /// <summary>setpriv's full path, found once; null when util-linux's setpriv is not installed.</summary>
    public static string? Setpriv => ProcessLauncher.Setpriv;

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(2000);
        }
        catch (Exception)
        {
            // already gone
        }
    }

    // A grandchild that keeps the pipe open must not hold the check: output is best effort.
    private static async Task<string?> WithinAsync(Task<string> capture, TimeSpan grace)
    {
        var done = await Task.WhenAny(capture, Task.Delay(grace)).ConfigureAwait(false);
        return done == capture ? capture.Result : null;
    }

    private static async Task<string> CaptureAsync(StreamReader reader, int maxCapture)
    {
        var sb = new StringBuilder();
        var buffer = new char[1024];
        int n;
        while ((n = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            if (sb.Length < maxCapture)
            {
                sb.Append(buffer, 0, Math.Min(n, maxCapture - sb.Length));
            }
        }
        return sb.ToString();
    }
}

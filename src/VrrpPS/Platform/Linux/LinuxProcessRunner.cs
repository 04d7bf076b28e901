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
/// (keepalived: setgid, setgroups to that one group, setuid).
/// </summary>
internal sealed class LinuxProcessRunner : IProcessRunner
{
    public static readonly LinuxProcessRunner Shared = new();

    // Off the caller's thread at once: starting a process (fork/exec) must never stall the engine loop.
    public Task<ProcessOutcome> RunAsync(ProcessRequest request, CancellationToken cancel = default) =>
        Task.Run(() => RunAsync(request.Arguments, request.Timeout, request.User, request.Group, cancel, request.OutputCap), CancellationToken.None);

    private static async Task<ProcessOutcome> RunAsync(IReadOnlyList<string> argv, TimeSpan timeout, string? user,
        string? group, CancellationToken cancel, int maxCapture)
    {
        if (argv.Count == 0)
        {
            return new ProcessOutcome(false, -1, false, null, "empty command");
        }
        if (ScriptSecurity.Resolve(argv[0]) is not string program)
        {
            return new ProcessOutcome(false, -1, false, null,
                $"cannot start {argv[0]}: not found or not executable (a bare name is searched in {ScriptSecurity.SafePath} only)");
        }
        var psi = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = "/",
        };
        psi.Environment.Clear();
        psi.Environment["PATH"] = ScriptSecurity.SafePath;
        if (user is not null)
        {
            if (Setpriv is null)
            {
                return new ProcessOutcome(false, -1, false, null, $"cannot start {program} as {user}: setpriv (util-linux) is not at /usr/bin/setpriv or /bin/setpriv");
            }
            if (ScriptAccounts.Lookup(user, group) is not var (uid, gid))
            {
                return new ProcessOutcome(false, -1, false, null, $"cannot start {program}: user '{user}' or group '{group}' does not exist");
            }
            psi.FileName = Setpriv;
            psi.ArgumentList.Add($"--reuid={uid}");
            psi.ArgumentList.Add($"--regid={gid}");
            psi.ArgumentList.Add("--clear-groups");
            psi.ArgumentList.Add("--");
            psi.ArgumentList.Add(program);
        }
        else
        {
            psi.FileName = program;
        }
        for (int i = 1; i < argv.Count; i++)
        {
            psi.ArgumentList.Add(argv[i]);
        }
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException("the process did not start");
        }
        catch (Exception ex)
        {
            return new ProcessOutcome(false, -1, false, null, $"cannot start {argv[0]}: {ex.Message}");
        }
        using (process)
        {
            process.StandardInput.Close();
            var stdout = CaptureAsync(process.StandardOutput, maxCapture);
            var stderr = CaptureAsync(process.StandardError, maxCapture);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            cts.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                KillTree(process);
                return new ProcessOutcome(false, -1, true, null, $"timed out after {timeout.TotalSeconds:0.###} s (process tree killed)");
            }
            string? output = await WithinAsync(stdout).ConfigureAwait(false);
            string? error = await WithinAsync(stderr).ConfigureAwait(false);
            int code = process.ExitCode;
            return new ProcessOutcome(code == 0, code, false, output,
                code == 0 ? null : $"exit code {code}" + (string.IsNullOrWhiteSpace(error) ? "" : $": {error.Trim()}"));
        }
    }

    /// <summary>setpriv's full path, found once; null when util-linux's setpriv is not installed.</summary>
    public static readonly string? Setpriv = new[] { "/usr/bin/setpriv", "/bin/setpriv" }.FirstOrDefault(File.Exists);

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
    private static async Task<string?> WithinAsync(Task<string> capture)
    {
        var done = await Task.WhenAny(capture, Task.Delay(200)).ConfigureAwait(false);
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

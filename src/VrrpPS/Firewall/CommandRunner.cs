using System.ComponentModel;
using System.Diagnostics;

namespace VrrpPS.Firewall;

/// <summary>What a finished (or timed-out) program run produced.</summary>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut = false);

/// <summary>
/// Runs a program with an argument array — never a shell string — so an interface name such as
/// <c>eth0; rm -rf /</c> can at worst be one wrong argument, never a second command.
/// Unit tests replace it with a fake that records the exact argument arrays.
/// </summary>
public interface ICommandRunner
{
    /// <summary>True when <paramref name="program"/> can be found (PATH, /usr/sbin, /sbin).</summary>
    bool Exists(string program);

    /// <summary>Runs the program; throws <see cref="FirewallException"/> (FirewallToolNotFound) when it does not exist.</summary>
    CommandResult Run(string program, IReadOnlyList<string> arguments, string? standardInput = null, TimeSpan? timeout = null);
}

/// <summary>The real runner: <see cref="Process"/> with <see cref="ProcessStartInfo.ArgumentList"/>.</summary>
public sealed class ProcessCommandRunner : ICommandRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private static readonly string[] s_extraDirs = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    public bool Exists(string program) => Resolve(program) is not null;

    public CommandResult Run(string program, IReadOnlyList<string> arguments, string? standardInput = null, TimeSpan? timeout = null)
    {
        string path = Resolve(program) ?? throw FirewallException.ToolNotFound(program);
        var psi = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (string a in arguments)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["LC_ALL"] = "C";
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw FirewallException.ToolNotFound(program);
        }
        catch (Win32Exception ex)
        {
            throw new FirewallException(FirewallErrorIds.ToolNotFound, System.Management.Automation.ErrorCategory.ObjectNotFound,
                $"'{program}' could not be started: {ex.Message}", program, ex);
        }
        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (standardInput is not null)
            {
                try
                {
                    process.StandardInput.Write(standardInput);
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // The program exited without reading its input; its exit code and stderr say why.
                }
            }
            if (!process.WaitForExit(timeout ?? DefaultTimeout))
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                process.WaitForExit();
                return new CommandResult(-1, stdout.Result, stderr.Result, TimedOut: true);
            }
            return new CommandResult(process.ExitCode, stdout.Result, stderr.Result);
        }
    }

    private static string? Resolve(string program)
    {
        if (program.Contains('/'))
        {
            return File.Exists(program) ? program : null;
        }
        IEnumerable<string> dirs = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(s_extraDirs);
        foreach (string dir in dirs)
        {
            string candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}

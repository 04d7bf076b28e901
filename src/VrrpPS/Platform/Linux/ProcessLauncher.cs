using System.Diagnostics;

namespace VrrpPS.Platform.Linux;

/// <summary>
/// The one way VrrpPS starts a program: an argument array (never a shell string), stdin/stdout/stderr
/// redirected, and either the caller's environment and directory or a minimal one (/ and the given
/// variables only), optionally as another account through setpriv. Used by <see cref="LinuxProcessRunner"/>
/// (checks, notify programs, firewall and lab tools) and by the lab's long-running processes.
/// </summary>
internal static class ProcessLauncher
{
    /// <summary>setpriv's full path, found once; null when util-linux's setpriv is not installed.</summary>
    public static readonly string? Setpriv = new[] { "/usr/bin/setpriv", "/bin/setpriv" }.FirstOrDefault(File.Exists);

    /// <summary>What to start. <see cref="Program"/> is used as given (a full path, or a name .NET looks up in PATH).</summary>
    internal sealed record Launch(string Program, IReadOnlyList<string> Arguments)
    {
        /// <summary>False: working directory / and only <see cref="Environment"/> (the caller puts PATH there).</summary>
        public bool InheritEnvironment { get; init; } = true;
        public IReadOnlyDictionary<string, string>? Environment { get; init; }
        /// <summary>Run as this uid/gid with no other groups (setpriv); null: as the caller.</summary>
        public (uint Uid, uint Gid)? Account { get; init; }
    }

    public static ProcessStartInfo StartInfo(Launch launch)
    {
        var psi = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        if (!launch.InheritEnvironment)
        {
            psi.WorkingDirectory = "/";
            psi.Environment.Clear();
        }
        foreach (var (name, value) in launch.Environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }
        if (launch.Account is var (uid, gid))
        {
            psi.FileName = Setpriv ?? throw new InvalidOperationException("setpriv (util-linux) is not at /usr/bin/setpriv or /bin/setpriv");
            foreach (string a in (string[])[$"--reuid={uid}", $"--regid={gid}", "--clear-groups", "--", launch.Program])
            {
                psi.ArgumentList.Add(a);
            }
        }
        else
        {
            psi.FileName = launch.Program;
        }
        foreach (string a in launch.Arguments)
        {
            psi.ArgumentList.Add(a);
        }
        return psi;
    }

    /// <summary>Starts the program; throws (Win32Exception, InvalidOperationException) when it cannot.</summary>
    public static Process Start(Launch launch) =>
        Process.Start(StartInfo(launch)) ?? throw new InvalidOperationException("the process did not start");
}

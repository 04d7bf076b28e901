using VrrpPS.Engine;
using VrrpPS.Platform.Linux;

namespace VrrpPS.Firewall;

/// <summary>
/// The real runner: the module's one process runner (<see cref="IProcessRunner"/>: argument array,
/// timeout that kills the process tree, output cap) in the caller's environment with LC_ALL=C.
/// </summary>
public sealed class ProcessCommandRunner : ICommandRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private static readonly string[] s_extraDirs = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];
    private static readonly Dictionary<string, string> s_cLocale = new() { ["LC_ALL"] = "C" };
    private readonly IProcessRunner _runner;

    public ProcessCommandRunner()
        : this(LinuxProcessRunner.Shared)
    {
    }

    internal ProcessCommandRunner(IProcessRunner runner) => _runner = runner;

    public bool Exists(string program) => Resolve(program) is not null;

    public CommandResult Run(string program, IReadOnlyList<string> arguments, string? standardInput = null, TimeSpan? timeout = null)
    {
        string path = Resolve(program) ?? throw FirewallException.ToolNotFound(program);
        TimeSpan limit = timeout ?? DefaultTimeout;
        ProcessOutcome o = _runner.RunAsync(new ProcessRequest([path, .. arguments], limit)
        {
            StandardInput = standardInput,
            InheritEnvironment = true,
            Environment = s_cLocale,
            OutputCap = ProcessRequest.ToolOutputCap,
            OutputGrace = limit,
        }).GetAwaiter().GetResult();
        if (o.StartFailed)
        {
            throw new FirewallException(FirewallErrorIds.ToolNotFound, System.Management.Automation.ErrorCategory.ObjectNotFound,
                $"'{program}' could not be started: {o.Error}", program);
        }
        return new CommandResult(o.ExitCode, o.Output ?? string.Empty, o.StandardError ?? string.Empty, o.TimedOut);
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

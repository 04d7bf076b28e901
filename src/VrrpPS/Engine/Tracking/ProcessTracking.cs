namespace VrrpPS.Engine.Tracking;

/// <summary>One running process as the process table reports it.</summary>
public readonly record struct ProcessEntry(int Pid, string Name, IReadOnlyList<string>? CommandLine);

/// <summary>The host's processes (Linux: /proc). Behind an interface so tracking logic is testable without real processes.</summary>
public interface IProcessTable
{
    /// <summary>Live (not zombie) processes; the command line only when <paramref name="withCommandLine"/>.</summary>
    IReadOnlyList<ProcessEntry> Read(bool withCommandLine);
}

/// <summary>keepalived's track_process matching rules, without I/O.</summary>
public static class ProcessMatcher
{
    /// <summary>The kernel keeps 15 characters of a process name (TASK_COMM_LEN 16 with the NUL).</summary>
    public const int NameLength = 15;

    public static bool Matches(TrackProcessDefinition d, ProcessEntry p)
    {
        if (!d.NeedsCommandLine)
        {
            string want = d.Process.Length > NameLength ? d.Process[..NameLength] : d.Process;
            return string.Equals(p.Name, want, StringComparison.Ordinal);
        }
        if (p.CommandLine is not { Count: > 0 } argv || !string.Equals(argv[0], d.Process, StringComparison.Ordinal))
        {
            return false;
        }
        return !d.MatchParameters || ParametersMatch(d.ParameterMatch, d.Parameters, argv.Skip(1).ToList());
    }

    public static int Count(TrackProcessDefinition d, IEnumerable<ProcessEntry> processes) => processes.Count(p => Matches(d, p));

    private static bool ParametersMatch(ProcessParameterMatch mode, IReadOnlyList<string> want, IReadOnlyList<string> args)
    {
        if (mode == ProcessParameterMatch.Exact)
        {
            return args.SequenceEqual(want, StringComparer.Ordinal);
        }
        if (args.Count < want.Count)
        {
            return false;
        }
        for (int i = 0; i < want.Count; i++)
        {
            bool last = i == want.Count - 1;
            bool ok = mode == ProcessParameterMatch.Initial && last
                ? args[i].StartsWith(want[i], StringComparison.Ordinal)
                : args[i] == want[i];
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>
/// Quorum with keepalived's fork_delay / terminate_delay: a change of "have quorum" is reported only
/// once it has lasted the delay (a restart that forks a new process within terminate_delay never
/// fails the tracker). The first observation is reported at once. Pure: the caller passes the time.
/// </summary>
public sealed class ProcessQuorum
{
    private readonly TrackProcessDefinition _def;
    private bool? _reported;
    private bool _pending;
    private double _pendingSince;

    public ProcessQuorum(TrackProcessDefinition def) => _def = def;

    public int LastCount { get; private set; }

    public bool InQuorum(int count) => count >= _def.Quorum && count <= _def.QuorumMax;

    /// <summary>Feeds one count; returns the status to report (true = quorum), or null while nothing changes.</summary>
    public bool? Observe(int count, double nowSeconds)
    {
        LastCount = count;
        bool have = InQuorum(count);
        if (_reported is null)
        {
            _reported = have;
            _pending = have;
            return have;
        }
        if (have == _reported)
        {
            _pending = have;
            return null;
        }
        if (_pending != have)
        {
            _pending = have;
            _pendingSince = nowSeconds;
        }
        double delay = have ? _def.ForkDelaySeconds : _def.TerminateDelaySeconds;
        if (nowSeconds - _pendingSince >= delay)
        {
            _reported = have;
            return have;
        }
        return null;
    }

    /// <summary>"2 running (quorum 1..2)" for Get-VrrpState.</summary>
    public string Describe(int count) =>
        $"{count} running (quorum {_def.Quorum}" + (_def.QuorumMax == int.MaxValue ? "+" : $"..{_def.QuorumMax}") + ")";
}

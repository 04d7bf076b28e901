namespace VrrpPS.Engine.Tracking;

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

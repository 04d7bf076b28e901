using VrrpPS.Engine.Tracking;

namespace VrrpPS.Engine;

/// <summary>The tracking and notify part of <see cref="InstanceValidator"/>: programs, weights, quorums.</summary>
internal static class TrackingValidator
{
    /// <summary>
    /// Refuses programs that are missing or whose user does not exist; one that would run as root while
    /// a non-root user could change it is refused when script security is enforced, else logged (keepalived).
    /// </summary>
    public static void Validate(InstanceDefinition d, Action<string> warn)
    {
        void Check(string what, string program, ProgramUser? user) =>
            ScriptSecurity.Check($"({d.Name}) {what}{(d.Source is null ? "" : $" ({d.Source})")}", program, user, d.EnforceScriptSecurity, warn);
        foreach (var s in d.TrackScripts)
        {
            if (s.Command is { Count: > 0 } argv)
            {
                Check($"track script {s.Name}", argv[0], s.User is string u ? new ProgramUser(u, s.Group) : null);
            }
            else if (s.Command is not null || string.IsNullOrWhiteSpace(s.ScriptBlockText))
            {
                throw new VrrpEngineException(EngineErrorIds.TrackScriptEmpty, $"({d.Name}) track script {s.Name} has neither a command nor a ScriptBlock.", s.Name);
            }
            if (s.Weight is < -253 or > 253)
            {
                throw new VrrpEngineException(EngineErrorIds.TrackWeightOutOfRange, $"({d.Name}) track script {s.Name} weight {s.Weight} is out of range: use -253 to 253.", s.Weight);
            }
        }
        foreach (var p in d.TrackProcesses)
        {
            if (string.IsNullOrEmpty(p.Process))
            {
                throw new VrrpEngineException(EngineErrorIds.InvalidTrackProcess, $"({d.Name}) track process {p.Name} names no process.", p.Name);
            }
            if (p.Weight is < -254 or > 254 || p.Quorum < 0 || p.QuorumMax < p.Quorum)
            {
                throw new VrrpEngineException(EngineErrorIds.InvalidTrackProcess,
                    $"({d.Name}) track process {p.Name}: weight must be -254..254 and quorum <= quorum_max (weight {p.Weight}, quorum {p.Quorum}, quorum_max {p.QuorumMax}).", p.Name);
            }
        }
        foreach (var n in new[] { d.Notify, d.SyncGroupNotify })
        {
            foreach (var (argv, user) in n?.Programs ?? [])
            {
                Check("notify program", argv[0], user);
            }
        }
    }
}

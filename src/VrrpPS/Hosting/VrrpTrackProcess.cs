using VrrpPS.Engine.Tracking;
using VrrpPS.Engine;

namespace VrrpPS.Hosting;

/// <summary>
/// One -TrackProcess entry (keepalived vrrp_track_process):
/// @{ Name='haproxy'; Process='haproxy'; Weight=-60 } or, matching the command line,
/// @{ Name='nginx'; Process='/usr/sbin/nginx'; Parameters='-c','/etc/nginx/nginx.conf'; ParameterMatch='Partial'; Quorum=2 }.
/// </summary>
public sealed class VrrpTrackProcess
{
    public string Name { get; set; } = string.Empty;
    public string Process { get; set; } = string.Empty;
    public string[]? Parameters { get; set; }
    public ProcessParameterMatch? ParameterMatch { get; set; }
    public bool FullCommand { get; set; }
    public int Quorum { get; set; } = 1;
    public int? QuorumMax { get; set; }
    public int Weight { get; set; }
    public bool Reverse { get; set; }
    public double ForkDelay { get; set; }
    public double TerminateDelay { get; set; }

    internal TrackProcessDefinition ToDefinition(string instance)
    {
        if (string.IsNullOrWhiteSpace(Process) || ForkDelay < 0 || TerminateDelay < 0)
        {
            throw new VrrpEngineException(EngineErrorIds.InvalidTrackProcess,
                $"({instance}) each -TrackProcess needs a Process (the process name, or the program path with FullCommand/Parameters); delays must not be negative.", Name);
        }
        bool parameters = Parameters is { Length: > 0 } || ParameterMatch is not null;
        return new TrackProcessDefinition
        {
            Name = string.IsNullOrEmpty(Name) ? Process : Name,
            Process = Process,
            Parameters = Parameters ?? [],
            MatchParameters = parameters,
            ParameterMatch = ParameterMatch ?? ProcessParameterMatch.Exact,
            FullCommand = FullCommand || parameters,
            Quorum = QuorumMax == 0 ? 0 : Quorum,
            QuorumMax = QuorumMax ?? int.MaxValue,
            Weight = Weight,
            Reverse = Reverse,
            ForkDelaySeconds = ForkDelay,
            TerminateDelaySeconds = TerminateDelay,
        };
    }
}

namespace VrrpPS.Engine.Tracking;

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

namespace VrrpPS.Engine.Tracking;

/// <summary>How a track_process's configured parameters are compared with a process's arguments (keepalived param_match).</summary>
public enum ProcessParameterMatch
{
    /// <summary>Exactly these arguments, no more (the default once parameters are given, or a bare param_match).</summary>
    Exact,
    /// <summary>The first N arguments equal the N parameters; more may follow (param_match partial).</summary>
    Partial,
    /// <summary>As Partial, but the last parameter only has to be the start of its argument (param_match initial).</summary>
    Initial,
}

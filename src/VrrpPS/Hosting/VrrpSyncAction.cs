namespace VrrpPS.Hosting;

/// <summary>What a sync did (or, with -WhatIf, would do) to one instance.</summary>
public enum VrrpSyncAction
{
    /// <summary>Left running as it was: no flap, no advert gap.</summary>
    Unchanged,
    /// <summary>New in the file: started.</summary>
    Started,
    /// <summary>Gone from the file: stopped (its VIPs released).</summary>
    Stopped,
    /// <summary>Changed in a way that needs a restart (interface, VRID, VIPs, …).</summary>
    Restarted,
    /// <summary>Only the priority changed: applied in place, like keepalived's reload.</summary>
    PriorityChanged,
}

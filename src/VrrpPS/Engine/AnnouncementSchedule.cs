namespace VrrpPS.Engine;

/// <summary>
/// When a Master announces its addresses again (gratuitous ARP / unsolicited NA), apart from the
/// burst on becoming Master: keepalived's garp_master_delay second burst, garp_master_refresh
/// (periodic, drift-free: each deadline from the previous one, and a late loop sends one burst, not a
/// catch-up series) and garp_lower_prio_delay (one pending burst after hearing a lower-priority
/// advert). Pure: time is passed in, durations are converted once, here.
/// </summary>
internal sealed class AnnouncementSchedule
{
    private readonly long _secondBurstDelay;
    private readonly long _refreshPeriod;
    private readonly long _lowerPriorityDelay;
    private readonly int _repeat;
    private readonly int _refreshRepeat;
    private readonly int _lowerPriorityRepeat;
    private long _secondBurstAt = long.MaxValue;
    private long _refreshAt = long.MaxValue;
    private long _lowerPriorityAt = long.MaxValue;

    public AnnouncementSchedule(InstanceDefinition d)
    {
        _secondBurstDelay = Microseconds(d.GarpSecondBurstDelaySeconds);
        _refreshPeriod = Microseconds(d.GarpRefreshSeconds);
        _lowerPriorityDelay = Microseconds(d.GarpLowerPriorityDelaySeconds);
        _repeat = d.GarpRepeat;
        _refreshRepeat = d.GarpRefreshRepeat;
        _lowerPriorityRepeat = d.GarpLowerPriorityRepeat;
    }

    private static long Microseconds(double seconds) => seconds > 0 ? (long)(seconds * 1_000_000) : 0;

    public long NextDeadline => Math.Min(_secondBurstAt, Math.Min(_refreshAt, _lowerPriorityAt));

    /// <summary>The first burst has just been sent: schedule the second burst and the refresh.</summary>
    public void BecameMaster(long now)
    {
        _secondBurstAt = _secondBurstDelay > 0 ? now + _secondBurstDelay : long.MaxValue;
        _refreshAt = _refreshPeriod > 0 ? now + _refreshPeriod : long.MaxValue;
    }

    /// <summary>A lower-priority advert while Master: one burst after the delay (true when newly scheduled).</summary>
    public bool LowerPriorityHeard(long now)
    {
        if (_lowerPriorityRepeat <= 0 || _lowerPriorityAt != long.MaxValue)
        {
            return false;
        }
        _lowerPriorityAt = now + _lowerPriorityDelay;
        return true;
    }

    /// <summary>No longer Master: nothing pending.</summary>
    public void LeftMaster()
    {
        _secondBurstAt = long.MaxValue;
        _refreshAt = long.MaxValue;
        _lowerPriorityAt = long.MaxValue;
    }

    /// <summary>How many announcements per address are due at <paramref name="now"/> (0 when none); advances the deadlines.</summary>
    public int Due(long now)
    {
        int count = 0;
        if (now >= _secondBurstAt)
        {
            _secondBurstAt = long.MaxValue;
            count += _repeat;
        }
        if (now >= _lowerPriorityAt)
        {
            _lowerPriorityAt = long.MaxValue;
            count += _lowerPriorityRepeat;
        }
        if (now >= _refreshAt)
        {
            _refreshAt += _refreshPeriod;
            if (_refreshAt <= now)
            {
                _refreshAt = now + _refreshPeriod;
            }
            count += _refreshRepeat;
        }
        return count;
    }
}

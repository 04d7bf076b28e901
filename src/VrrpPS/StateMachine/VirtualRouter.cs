using VrrpPS.Protocol;

namespace VrrpPS.StateMachine;

/// <summary>
/// One VRRP virtual router: the state machine of RFC 5798 §6.4 with the RFC 9568 updates and
/// RFC 3768 (v2) timing. Pure: no sockets, no clock, no threads, no allocation per advert or timer.
/// Time is an input (monotonic microseconds); side effects go through <see cref="IRouterActions"/>.
/// Not thread-safe: the engine's event loop owns it.
/// </summary>
/// <remarks>
/// Decisions where the RFCs or keepalived leave room (each has a test):
/// <list type="bullet">
/// <item>Backup accepts an advert of equal priority whatever the sender's address (RFC 5798 §6.4.2 says
/// "greater than or equal"); the address tie-break only settles two Masters (§6.4.3).</item>
/// <item>Preemption (RFC 5798 §6.4.2): a preempting Backup discards lower-priority adverts and becomes
/// Master when Master_Down_Timer fires; it does not take over on the first such advert. The same
/// holds after <see cref="SetPriority"/> raised our priority above the Master's.</item>
/// <item>preempt_delay follows keepalived 2.x: the first lower-priority advert a Backup sees starts the
/// delay; until it has run out such adverts are accepted (timer reset, as with nopreempt); an advert
/// of priority ≥ ours stops the delay; Startup and LeaveFault clear it. No extra timer is needed.</item>
/// <item>A Master answers a lower-priority advert (RFC 9568 §6.4.3) and a priority-0 advert (RFC 5798
/// §6.4.3) with an advert and restarts Adver_Timer from now.</item>
/// <item>Adver_Timer is drift-free: next = previous deadline + interval; when that is already due
/// (the loop stalled for more than an interval) it restarts at now + interval: one advert, no burst.</item>
/// <item>An advert from our own primary address is discarded (<see cref="AdvertOutcome.OwnAddress"/>).</item>
/// <item>v2 adverts whose interval differs from ours are discarded (RFC 3768 §7.1); v3 Backups adopt
/// the Master's interval (RFC 5798 §6.4.2) and recompute Skew_Time (RFC 9568 §6.4.2).</item>
/// <item>keepalived's <c>state MASTER</c> needs no option here: only the owner goes straight to Master;
/// any other router starts as Backup with the full Master_Down_Interval (keepalived 2.x, issue #1804).</item>
/// </list>
/// </remarks>
public sealed partial class VirtualRouter
{
    private readonly VrrpVersion _version;
    private readonly int _adverIntervalCs;
    private readonly long _adverIntervalUs;
    private readonly bool _preempt;
    private readonly long _preemptDelayUs;
    private readonly bool _owner;
    private readonly bool _lowerPriorityNoAdvert;
    private readonly IpAddressValue _primary;

    private long _adverDeadline = long.MaxValue;
    private long _masterDownDeadline = long.MaxValue;
    private bool _masterDownIsRelease;      // Master_Down_Timer was set to Skew_Time by a priority-0 advert
    private bool _preempting;               // lower-priority adverts discarded since the timer was last reset
    private bool _raisedAboveMaster;        // SetPriority lifted us above the Master we follow
    private bool _wantsMaster;              // sync group: Master_Down_Timer fired but MasterGate said wait
    private bool _preemptDelayRunning;
    private bool _preemptDelayUsed;
    private long _preemptAllowedAt;
    private long _lowerPriorityAnswerAllowedAt;   // monotonic µs; times are positive, so 0 = allowed now

    public VirtualRouter(VirtualRouterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? error = options.Validate();
        if (error is not null)
        {
            throw new ArgumentException(error, nameof(options));
        }
        VirtualRouterId = options.VirtualRouterId;
        _version = options.Version;
        _adverIntervalCs = options.AdvertisementIntervalCentiseconds;
        _adverIntervalUs = VrrpTiming.IntervalMicroseconds(_adverIntervalCs);
        _preempt = options.Preempt;
        _preemptDelayUs = options.PreemptDelayMicroseconds;
        _owner = options.IsAddressOwner;
        _lowerPriorityNoAdvert = options.LowerPriorityNoAdvert;
        _primary = options.PrimaryAddress;
        AcceptMode = options.AcceptMode;
        Priority = options.Priority;
        MasterAdvertisementIntervalCentiseconds = _adverIntervalCs;
        RecomputeTimers();
    }

    public byte VirtualRouterId { get; }
    public VrrpVersion Version => _version;
    public bool IsAddressOwner => _owner;
    public bool AcceptMode { get; }
    public IpAddressValue PrimaryAddress => _primary;
    public int AdvertisementIntervalCentiseconds => _adverIntervalCs;

    public VrrpState State { get; private set; } = VrrpState.Initialize;

    /// <summary>Current effective priority (configured, or as last set by <see cref="SetPriority"/>).</summary>
    public byte Priority { get; private set; }

    /// <summary>RFC 5798 Master_Adver_Interval (v3: learnt from the Master; v2: always ours).</summary>
    public int MasterAdvertisementIntervalCentiseconds { get; private set; }

    /// <summary>Master: our primary address. Backup: the last Master heard (empty if none yet).</summary>
    public IpAddressValue MasterAddress { get; private set; }

    /// <summary>Priority of <see cref="MasterAddress"/> (0 when unknown).</summary>
    public byte MasterPriority { get; private set; }

    /// <summary>The earliest running timer (Adver_Timer or Master_Down_Timer); long.MaxValue when none.</summary>
    public long NextDeadline => Math.Min(_adverDeadline, _masterDownDeadline);

    public long SkewTimeMicroseconds { get; private set; }
    public long MasterDownIntervalMicroseconds { get; private set; }

    /// <summary>True while a keepalived preempt_delay holds this Backup back from preempting.</summary>
    public bool IsPreemptDelayRunning => _preemptDelayRunning;

    /// <summary>RFC 5798 §6.4.1 Startup. Owner → Master at once; others → Backup with Master_Down_Timer.</summary>
    public void Startup(long now, IRouterActions a)
    {
        if (State != VrrpState.Initialize)
        {
            return;
        }
        ComeUp(now, a, TransitionCause.Startup);
    }

    /// <summary>RFC 5798 §6.4.2/§6.4.3 Shutdown: a Master sends priority 0 and removes the VIPs.</summary>
    public void Shutdown(long now, IRouterActions a) => GoDown(now, a, VrrpState.Initialize, TransitionCause.Shutdown);

    /// <summary>keepalived FAULT: a Master releases (priority 0, VIPs removed); no timers run in Fault.</summary>
    public void EnterFault(long now, IRouterActions a)
    {
        if (State == VrrpState.Initialize)
        {
            State = VrrpState.Fault;
            a.StateChanged(now, VrrpState.Initialize, VrrpState.Fault, TransitionCause.Fault, default, 0);
            return;
        }
        GoDown(now, a, VrrpState.Fault, TransitionCause.Fault);
    }

    /// <summary>Leaves Fault as if starting up: owner → Master, others → Backup with Master_Down_Timer.</summary>
    public void LeaveFault(long now, IRouterActions a)
    {
        if (State != VrrpState.Fault)
        {
            return;
        }
        ComeUp(now, a, TransitionCause.FaultCleared);
    }

    /// <summary>Fires every timer that is due at <paramref name="now"/>.</summary>
    public void OnTimer(long now, IRouterActions a)
    {
        if (State == VrrpState.Master && now >= _adverDeadline)
        {
            // RFC 5798 §6.4.3: send an ADVERTISEMENT, reset Adver_Timer (drift-free, no burst).
            a.SendAdvertisement(now, Priority);
            long next = _adverDeadline + _adverIntervalUs;
            _adverDeadline = next > now ? next : now + _adverIntervalUs;
        }
        else if (State == VrrpState.Backup && now >= _masterDownDeadline)
        {
            if (MasterGate is { } gate && !gate())
            {
                _wantsMaster = true;
                _masterDownDeadline = now + MasterDownIntervalMicroseconds;
                return;
            }
            TransitionCause cause =
                _masterDownIsRelease ? TransitionCause.PriorityZeroReceived
                : !_preempting ? TransitionCause.MasterDownTimer
                : _raisedAboveMaster ? TransitionCause.PriorityChanged
                : _preemptDelayUsed ? TransitionCause.PreemptDelayExpired
                : TransitionCause.LowerPriorityAdvert;
            BecomeMaster(now, a, VrrpState.Backup, cause, MasterAddress, MasterPriority);
        }
    }

    /// <summary>Processes one validated advert for this VRID (RFC 5798 §6.4.2/§6.4.3, RFC 9568).</summary>
    public AdvertOutcome OnAdvertisement(long now, in ReceivedAdvertisement adv, IRouterActions a)
    {
        if (State is VrrpState.Initialize or VrrpState.Fault)
        {
            return AdvertOutcome.NotActive;
        }
        if (adv.Source == _primary)
        {
            return AdvertOutcome.OwnAddress;
        }
        if (_version == VrrpVersion.V2 && adv.AdvertisementIntervalCentiseconds != _adverIntervalCs)
        {
            return AdvertOutcome.IntervalMismatch;   // RFC 3768 §7.1: MUST discard
        }
        return State == VrrpState.Master ? MasterReceives(now, adv, a) : BackupReceives(now, adv);
    }

    /// <summary>
    /// Runtime priority change (tracking weights, Set-VrrpInstance): 1..254. The owner's priority is
    /// fixed at 255. Timers already running keep their deadline; the new Skew_Time and
    /// Master_Down_Interval apply from the next reset. A Master lowered below a preempting Backup is
    /// taken over when that Backup's Master_Down_Timer fires; a Backup raised above the Master does
    /// the same to the Master (RFC 5798 §6.4.2 preemption).
    /// </summary>
    public void SetPriority(long now, byte priority, IRouterActions a)
    {
        if (_owner)
        {
            throw new InvalidOperationException("The address owner's priority is fixed at 255.");
        }
        if (priority is 0 or VrrpConstants.OwnerPriority)
        {
            throw new ArgumentOutOfRangeException(nameof(priority), priority, "A runtime priority must be 1..254.");
        }
        byte old = Priority;
        Priority = priority;
        RecomputeTimers();
        if (State == VrrpState.Master)
        {
            MasterPriority = priority;
        }
        else if (State == VrrpState.Backup && MasterPriority != 0 && old <= MasterPriority && priority > MasterPriority)
        {
            _raisedAboveMaster = true;
        }
    }

    private AdvertOutcome MasterReceives(long now, in ReceivedAdvertisement adv, IRouterActions a)
    {
        if (adv.Priority == VrrpConstants.ReleasePriority)
        {
            // RFC 5798 §6.4.3: another router released; send an ADVERTISEMENT, reset Adver_Timer.
            a.SendAdvertisement(now, Priority);
            _adverDeadline = now + _adverIntervalUs;
            return AdvertOutcome.Accepted;
        }
        bool higher = adv.Priority > Priority || (adv.Priority == Priority && adv.Source > _primary);
        if (higher)
        {
            // RFC 5798 §6.4.3: cancel Adver_Timer, learn the interval, recompute, → Backup.
            _adverDeadline = long.MaxValue;
            State = VrrpState.Backup;
            ClearPreemptDelay();   // keepalived clears preempt_delay on entering BACKUP
            Follow(now, adv);
            a.RemoveVirtualAddresses(now);
            a.StateChanged(now, VrrpState.Master, VrrpState.Backup, TransitionCause.HigherPriorityAdvert, adv.Source, adv.Priority);
            return AdvertOutcome.Accepted;
        }
        // RFC 9568 §6.4.3: discard, but assert mastership at once so bridges relearn the MAC — at most
        // once per advertisement interval, so a flood of lower-priority adverts cannot make us flood.
        if (!_lowerPriorityNoAdvert && now >= _lowerPriorityAnswerAllowedAt)
        {
            a.SendAdvertisement(now, Priority);
            _adverDeadline = now + _adverIntervalUs;
            _lowerPriorityAnswerAllowedAt = now + _adverIntervalUs;
        }
        return AdvertOutcome.LowerPriorityIgnored;
    }

    private AdvertOutcome BackupReceives(long now, in ReceivedAdvertisement adv)
    {
        if (adv.Priority == VrrpConstants.ReleasePriority)
        {
            // RFC 5798 §6.4.2: Master released; Master_Down_Timer = Skew_Time.
            _masterDownDeadline = now + SkewTimeMicroseconds;
            _masterDownIsRelease = true;
            return AdvertOutcome.Accepted;
        }
        bool preemptMode = _preempt || _owner;   // RFC 5798 §6.1: the owner always preempts
        bool lower = adv.Priority < Priority;
        bool delayHolds = lower && !_owner && _preemptDelayUs > 0
            && (!_preemptDelayRunning || now < _preemptAllowedAt);
        if (!preemptMode || !lower || delayHolds)
        {
            if (_preemptDelayUs > 0 && preemptMode && !_owner)
            {
                if (!lower)
                {
                    _preemptDelayRunning = false;
                }
                else if (!_preemptDelayRunning)
                {
                    _preemptDelayRunning = true;
                    _preemptDelayUsed = true;
                    _preemptAllowedAt = now + _preemptDelayUs;
                }
            }
            Follow(now, adv);
            return preemptMode && delayHolds ? AdvertOutcome.PreemptHeldByDelay : AdvertOutcome.Accepted;
        }
        // RFC 5798 §6.4.2: Preempt_Mode and lower priority → discard; Master_Down_Timer runs out.
        _preempting = true;
        MasterAddress = adv.Source;
        MasterPriority = adv.Priority;
        return AdvertOutcome.LowerPriorityIgnored;
    }

    // Backup follows this Master: RFC 5798 §6.4.2 (v3 adopts its interval) and RFC 9568 (recompute skew).
    private void Follow(long now, in ReceivedAdvertisement adv)
    {
        if (_version == VrrpVersion.V3)
        {
            MasterAdvertisementIntervalCentiseconds = adv.AdvertisementIntervalCentiseconds;
        }
        RecomputeTimers();
        StartMasterDownTimer(now);
        MasterAddress = adv.Source;
        MasterPriority = adv.Priority;
    }

    // A Backup waits for a Master from now on: a fresh Master_Down_Timer, no release, preemption or held takeover pending.
    private void StartMasterDownTimer(long now)
    {
        _masterDownDeadline = now + MasterDownIntervalMicroseconds;
        _masterDownIsRelease = false;
        _preempting = false;
        _raisedAboveMaster = false;
        _wantsMaster = false;
    }

    private void ComeUp(long now, IRouterActions a, TransitionCause cause)
    {
        VrrpState from = State;
        MasterAdvertisementIntervalCentiseconds = _adverIntervalCs;   // RFC 5798 §6.4.1
        RecomputeTimers();
        ClearPreemptDelay();
        if (Priority == VrrpConstants.OwnerPriority)
        {
            BecomeMaster(now, a, from, cause, default, 0);
            return;
        }
        State = VrrpState.Backup;
        MasterAddress = default;
        MasterPriority = 0;
        StartMasterDownTimer(now);
        a.StateChanged(now, from, VrrpState.Backup, cause, default, 0);
    }

    // RFC 5798 §6.4.1/§6.4.2: send an ADVERTISEMENT, announce the addresses, set Adver_Timer, → Master.
    private void BecomeMaster(long now, IRouterActions a, VrrpState from, TransitionCause cause, IpAddressValue peer, byte peerPriority)
    {
        _masterDownDeadline = long.MaxValue;
        _adverDeadline = now + _adverIntervalUs;
        _wantsMaster = false;
        State = VrrpState.Master;
        MasterAddress = _primary;
        MasterPriority = Priority;
        a.SendAdvertisement(now, Priority);
        a.AddVirtualAddresses(now);
        a.AnnounceVirtualAddresses(now);
        a.StateChanged(now, from, VrrpState.Master, cause, peer, peerPriority);
    }

    private void GoDown(long now, IRouterActions a, VrrpState to, TransitionCause cause)
    {
        VrrpState from = State;
        if (from == to || from == VrrpState.Initialize)
        {
            return;
        }
        _adverDeadline = long.MaxValue;
        _masterDownDeadline = long.MaxValue;
        State = to;
        MasterAddress = default;
        MasterPriority = 0;
        if (from == VrrpState.Master)
        {
            a.SendAdvertisement(now, VrrpConstants.ReleasePriority);
            a.RemoveVirtualAddresses(now);
        }
        a.StateChanged(now, from, to, cause, default, 0);
    }

    private void ClearPreemptDelay()
    {
        _preemptDelayRunning = false;
        _preemptDelayUsed = false;
    }

    private void RecomputeTimers()
    {
        SkewTimeMicroseconds = VrrpTiming.SkewTimeMicroseconds(_version, Priority, MasterAdvertisementIntervalCentiseconds);
        MasterDownIntervalMicroseconds = VrrpTiming.MasterDownIntervalMicroseconds(_version, Priority, MasterAdvertisementIntervalCentiseconds);
    }
}

namespace VrrpPS.Engine.Tracking;

/// <summary>
/// The pure bookkeeping of one tracker (no I/O): rise/fall counting, keepalived's weight rules and
/// the reason in words. Every input arrives on the engine thread.
/// keepalived semantics kept: weight &gt; 0 is added while OK, weight &lt; 0 is added while failing,
/// weight 0 means FAULT while failing; `reverse` reverses the direction of the adjustment (and
/// with weight 0, FAULT while OK); init_fail starts Failed and needs `rise` successes.
/// Without init_fail the first result decides at once (keepalived's initial state), after that
/// `rise` consecutive successes / `fall` consecutive failures are needed to change status.
/// </summary>
internal sealed class TrackerState
{
    private int _good;
    private int _bad;
    private long _value;

    public TrackerState(string name, TrackerKind kind, int weight, bool reverse, int rise = 1, int fall = 1, bool initFail = false)
    {
        Name = name;
        Kind = kind;
        Weight = weight;
        Reverse = reverse;
        Rise = Math.Max(1, rise);
        Fall = Math.Max(1, fall);
        Status = initFail ? TrackerStatus.Failed : TrackerStatus.Unknown;
    }

    public string Name { get; }
    public TrackerKind Kind { get; }
    public int Weight { get; }
    public bool Reverse { get; }
    public int Rise { get; }
    public int Fall { get; }
    public TrackerStatus Status { get; private set; }
    public string? LastResult { get; private set; }
    public string? LastError { get; private set; }
    public DateTime? LastRun { get; private set; }
    /// <summary>Words for the last status change: "track script api failed (fall 2/2)".</summary>
    public string? LastChange { get; private set; }

    /// <summary>Records one check result; true when the status changed (priority must be recomputed).</summary>
    public bool Apply(bool success, string? result, string? error, DateTime at)
    {
        LastRun = at;
        LastResult = result;
        LastError = success ? null : error;
        if (success)
        {
            _good++;
            _bad = 0;
        }
        else
        {
            _bad++;
            _good = 0;
        }
        var old = Status;
        if (Status == TrackerStatus.Unknown)
        {
            Status = success ? TrackerStatus.Ok : TrackerStatus.Failed;
        }
        else if (Status == TrackerStatus.Failed && success && _good >= Rise)
        {
            Status = TrackerStatus.Ok;
        }
        else if (Status == TrackerStatus.Ok && !success && _bad >= Fall)
        {
            Status = TrackerStatus.Failed;
        }
        if (old == Status)
        {
            return false;
        }
        LastChange = Status == TrackerStatus.Ok
            ? $"{KindWords} {Name} succeeded (rise {Math.Min(_good, Rise)}/{Rise})"
            : $"{KindWords} {Name} failed (fall {Math.Min(_bad, Fall)}/{Fall})" + (error is null ? "" : $": {error}");
        return true;
    }

    /// <summary>
    /// track_file: the file's integer (keepalived multiplies it by the weight). A file that cannot be
    /// read counts as <paramref name="value"/> (the initial value) for the priority, and the tracker
    /// shows Failed with <paramref name="error"/> until a read succeeds.
    /// </summary>
    public bool ApplyValue(long value, string? error, DateTime at)
    {
        LastRun = at;
        bool changed = value != _value || Status == TrackerStatus.Unknown || error != LastError;
        LastError = error;
        LastResult = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _value = value;
        var old = Status;
        Status = error is not null || IsFaulting || Contribution < 0 ? TrackerStatus.Failed : TrackerStatus.Ok;
        if (changed)
        {
            LastChange = $"track file {Name} value {value}" + (error is null ? "" : $": {error}");
        }
        return changed || old != Status;
    }

    private string KindWords => Kind switch
    {
        TrackerKind.Interface => "track interface",
        TrackerKind.File => "track file",
        TrackerKind.Process => "track process",
        _ => "track script",
    };

    private bool Ok => Status != TrackerStatus.Failed;

    /// <summary>This tracker's share of the effective priority.</summary>
    public int Contribution
    {
        get
        {
            if (Kind == TrackerKind.File)
            {
                long v = _value * Weight;
                return (int)Math.Clamp(Reverse ? -v : v, -100_000, 100_000);
            }
            int c = Weight > 0 ? (Ok ? Weight : 0) : Weight < 0 ? (Ok ? 0 : Weight) : 0;
            return Reverse ? -c : c;
        }
    }

    /// <summary>
    /// True when this tracker forces FAULT: weight 0 failing (reverse: succeeding); track_file with
    /// weight 0 and a non-zero value, or a value taking the priority down by 254 or more.
    /// </summary>
    public bool IsFaulting
    {
        get
        {
            if (Kind == TrackerKind.File)
            {
                return Weight == 0 ? _value != 0 : Contribution <= -254;
            }
            if (Weight != 0 || Status == TrackerStatus.Unknown)
            {
                return false;
            }
            return Reverse ? Status == TrackerStatus.Ok : Status == TrackerStatus.Failed;
        }
    }

    public VrrpTrackerState Snapshot(string instance) => new()
    {
        Name = Name,
        Kind = Kind,
        Status = Status,
        LastResult = LastResult,
        LastError = LastError,
        LastRun = LastRun,
        Weight = Weight,
        Reverse = Reverse,
        Contribution = IsFaulting ? 0 : Contribution,
        Faulting = IsFaulting,
        Instance = instance,
    };
}

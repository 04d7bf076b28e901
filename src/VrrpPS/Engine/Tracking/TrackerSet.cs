namespace VrrpPS.Engine.Tracking;

/// <summary>
/// The trackers of one instance (track_script, track_interface, track_file, track_process): created
/// once from the definition, then fed results; owns their weights, the effective priority and the
/// FAULT reason (keepalived rules). No clock and no I/O of its own: the time of each result (for
/// display) and the interface lookups are passed in. Engine thread only.
/// </summary>
internal sealed class TrackerSet
{
    private readonly List<TrackerState> _trackers = [];
    private readonly Dictionary<int, TrackerState> _byInterfaceIndex = [];
    private readonly List<(TrackInterfaceDefinition Definition, TrackerState State)> _interfaces = [];
    private readonly List<(TrackScriptDefinition Definition, TrackerState State)> _scripts = [];
    private readonly List<(TrackFileDefinition Definition, TrackerState State)> _files = [];
    private readonly List<(TrackProcessDefinition Definition, TrackerState State)> _processes = [];

    /// <summary>True once <see cref="Initialise"/> has created the trackers.</summary>
    public bool IsInitialised { get; private set; }

    public IReadOnlyList<TrackerState> Trackers => _trackers;
    public IReadOnlyList<(TrackScriptDefinition Definition, TrackerState State)> Scripts => _scripts;
    public IReadOnlyList<(TrackFileDefinition Definition, TrackerState State)> Files => _files;
    public IReadOnlyList<(TrackProcessDefinition Definition, TrackerState State)> Processes => _processes;

    /// <summary>Names of the trackers whose weight changes the priority (weight ≠ 0).</summary>
    public IReadOnlyList<string> WeightedNames => _trackers.Where(t => t.Weight != 0).Select(t => t.Name).ToList();

    /// <summary>
    /// Creates one tracker per tracked object of <paramref name="definition"/>, in the order scripts,
    /// interfaces, files, processes. Only the first call does anything (false afterwards): a resume or
    /// a delayed start never adds trackers. Interfaces take their current link state, files their
    /// first value (<paramref name="readFile"/>); scripts and processes wait for their first result.
    /// </summary>
    /// <param name="missingInterface">Told the name of each tracked interface that does not exist (counted as down).</param>
    public bool Initialise(InstanceDefinition definition, Func<string, NetworkInterfaceInfo?> findInterface,
        Func<TrackFileDefinition, (long Value, string? Error)> readFile, DateTime at, Action<string>? missingInterface = null)
    {
        if (IsInitialised)
        {
            return false;
        }
        IsInitialised = true;
        foreach (var s in definition.TrackScripts)
        {
            _scripts.Add((s, Add(new TrackerState(s.Name, s.Kind, s.Weight, s.Reverse, s.Rise, s.Fall, s.InitFail))));
        }
        foreach (var i in definition.TrackInterfaces)
        {
            var t = Add(new TrackerState(i.InterfaceName, TrackerKind.Interface, i.Weight, i.Reverse));
            _interfaces.Add((i, t));
            var info = findInterface(i.InterfaceName);
            if (info is null)
            {
                t.Apply(false, "missing", $"interface {i.InterfaceName} does not exist", at);
                missingInterface?.Invoke(i.InterfaceName);
            }
            else
            {
                _byInterfaceIndex[info.Index] = t;
                t.Apply(info.IsUp, info.IsUp ? "up" : "down", info.IsUp ? null : "link down", at);
            }
        }
        foreach (var f in definition.TrackFiles)
        {
            var t = Add(new TrackerState(f.Name, TrackerKind.File, f.Weight, f.Reverse));
            _files.Add((f, t));
            var (value, error) = readFile(f);
            t.ApplyValue(value, error, at);
        }
        foreach (var p in definition.TrackProcesses)
        {
            _processes.Add((p, Add(new TrackerState(p.Name, TrackerKind.Process, p.Weight, p.Reverse))));
        }
        return true;
    }

    /// <summary>A link change of interface <paramref name="index"/>; the tracker's change in words when its status changed, else null.</summary>
    public string? OnLinkChange(int index, bool up, DateTime at) =>
        _byInterfaceIndex.TryGetValue(index, out var t) && t.Apply(up, up ? "up" : "down", up ? null : "link down", at) ? t.LastChange : null;

    /// <summary>
    /// After lost link notifications: re-reads every tracked interface (one deleted and re-created
    /// gets its new index) and tells <paramref name="changed"/> of each status change, in order.
    /// </summary>
    public void ResynchroniseInterfaces(Func<string, NetworkInterfaceInfo?> findInterface, DateTime at, Action<string?> changed)
    {
        foreach (var (i, t) in _interfaces)
        {
            var info = findInterface(i.InterfaceName);
            if (info is not null)
            {
                _byInterfaceIndex[info.Index] = t;
            }
            bool up = info is { IsUp: true };
            if (t.Apply(up, info is null ? "missing" : up ? "up" : "down", up ? null : "link down", at))
            {
                changed(t.LastChange);
            }
        }
    }

    /// <summary>The priority these trackers give <paramref name="basePriority"/> (<see cref="EffectivePriority(int, IEnumerable{TrackerState})"/>).</summary>
    public int EffectivePriority(int basePriority) => EffectivePriority(basePriority, _trackers);

    /// <summary>The first tracker that forces FAULT, in words; null when none does.</summary>
    public string? FaultReason => FaultReasonOf(_trackers);

    public VrrpTrackerState[] Snapshot(string instance) => _trackers.Select(t => t.Snapshot(instance)).ToArray();

    /// <summary>
    /// base + Σ contributions, clamped to 1..254; the address owner (255) is never changed by
    /// weights (keepalived ignores weights on a priority-255 instance).
    /// </summary>
    public static int EffectivePriority(int basePriority, IEnumerable<TrackerState> trackers)
    {
        if (basePriority >= Protocol.VrrpConstants.OwnerPriority)
        {
            return basePriority;
        }
        long sum = basePriority;
        foreach (var t in trackers)
        {
            if (!t.IsFaulting)
            {
                sum += t.Contribution;
            }
        }
        return (int)Math.Clamp(sum, 1, 254);
    }

    /// <summary>The first of <paramref name="trackers"/> that forces FAULT, in words; null when none does.</summary>
    public static string? FaultReasonOf(IEnumerable<TrackerState> trackers)
    {
        foreach (var t in trackers)
        {
            if (t.IsFaulting)
            {
                return t.LastChange ?? $"{t.Name} failed";
            }
        }
        return null;
    }

    private TrackerState Add(TrackerState t)
    {
        _trackers.Add(t);
        return t;
    }
}

using VrrpPS.Protocol;
using VrrpPS.StateMachine;

namespace VrrpPS.Engine;

/// <summary>
/// One running instance: the pure <see cref="VirtualRouter"/> plus the I/O it asks for. Lives on
/// the engine thread only. Receive and send paths allocate nothing (pooled buffers, value types).
/// </summary>
internal sealed partial class InstanceRuntime : IRouterActions, IDisposable
{
    private const int HistoryLength = 50;

    private readonly INetworkPlatform _platform;
    private readonly EngineLog _log;
    private readonly VirtualRouter _router;
    private readonly IVrrpSocket _socket;
    private readonly IAnnouncer _announcer;
    private IAnnouncer? _otherAnnouncer;
    private readonly IpAddressValue[] _vipValues;
    private readonly IpAddressValue[] _destinations;
    private readonly byte[] _tx = new byte[1500];
    private readonly List<VrrpTransition> _history = new(HistoryLength);
    private readonly Action<InstanceRuntime, VrrpTransition>? _onTransition;
    private readonly AnnouncementSchedule _announcements;
    private long _startAt = long.MaxValue;
    private bool _started;
    private bool _vipsInstalled;
    private bool _linkUp = true;
    private bool _released;
    private bool _stopping;
    private bool _halted;
    private string? _brokenReason;
    private readonly EngineServices? _services;

    // An owner's VIPs that were on the interface before it started are the host's own addresses
    // (RFC 5798 §1 "IP Address Owner"): never removed on release. keepalived likewise removes only
    // the addresses its own add created.
    private readonly HashSet<IpAddressValue> _hostAddresses;

    public InstanceRuntime(ResolvedInstance resolved, INetworkPlatform platform, EngineLog log,
        Action<InstanceRuntime, VrrpTransition>? onTransition, EngineServices? services = null)
    {
        _services = services;
        Resolved = resolved;
        _platform = platform;
        _log = log;
        _onTransition = onTransition;
        var d = resolved.Definition;
        _vipValues = d.VirtualAddresses.Select(v => v.Address).ToArray();
        _hostAddresses = resolved.IsAddressOwner
            ? resolved.Interface.Addresses.Select(a => a.Address).Where(a => d.AllAddresses.Any(v => v.Address == a)).ToHashSet()
            : [];
        _destinations = d.IsUnicast
            ? d.UnicastPeers.ToArray()
            : [!d.MulticastGroup.IsEmpty ? d.MulticastGroup : IpAddressValue.Parse(d.Family == System.Net.Sockets.AddressFamily.InterNetwork
                ? VrrpConstants.MulticastGroupIPv4 : VrrpConstants.MulticastGroupIPv6)];
        _router = new VirtualRouter(RouterOptionsFactory.Create(resolved));
        _announcements = new AnnouncementSchedule(d);
        var link = CreateVirtualMac() ?? resolved.Interface; // use_vmac: the socket lives on the macvlan, as keepalived's does
        _socket = platform.OpenVrrpSocket(new VrrpSocketOptions(d.Family, link.Index, link.Name)
        {
            MulticastGroup = d.IsUnicast ? null : _destinations[0],
            SourceAddress = resolved.SourceAddress,
            VirtualRouterId = (byte)d.VirtualRouterId,
            SendOnly = !d.IsUnicast, // multicast adverts come from the engine's shared receive socket (ReceiveKey)
        });
        ReceiveLink = (link.Index, link.Name);
        try
        {
            _announcer = platform.OpenAnnouncer(d.Family);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
        InitPacketContext();
    }

    public ResolvedInstance Resolved { get; private set; }
    public InstanceDefinition Definition => Resolved.Definition;
    public string Name => Definition.Name;
    public int SocketFd => _socket.FileDescriptor;

    /// <summary>The interface the socket lives on (the macvlan with use_vmac).</summary>
    public (int Index, string Name) ReceiveLink { get; }

    /// <summary>The group a multicast instance's adverts are read from (the engine's shared socket); null for unicast.</summary>
    public IpAddressValue? ReceiveGroup => Definition.IsUnicast ? null : _destinations[0];
    public VrrpCounters Counters { get; } = new();
    public VrrpState State => _router.State;

    /// <summary>
    /// How long from <paramref name="now"/> until this instance is surely past its first transitions: what is left of
    /// its vrrp_startup_delay, then two Master_Down_Intervals (a takeover, then a preemption by a higher node).
    /// </summary>
    public long FirstTransitionsHorizonMicroseconds(long now) =>
        Math.Max(0, _startAt == long.MaxValue ? 0 : _startAt - now) + 2 * _router.MasterDownIntervalMicroseconds;
    public int InterfaceIndex => Resolved.Interface.Index;
    public long NextDeadline => _halted ? long.MaxValue
        : Math.Min(Math.Min(_router.NextDeadline, _announcements.NextDeadline), Math.Min(_startAt, NextCheck));

    /// <summary>Starts the instance; <paramref name="released"/>: registered but out of the election until resumed.</summary>
    public void Start(long now, bool released = false)
    {
        StartHostEffects();
        if (!Resolved.IsAddressOwner)
        {
            RemoveStaleVips();
        }
        foreach (var w in Resolved.Warnings)
        {
            _log.Warning(Name, w);
        }
        if (released)
        {
            _released = true; // Resume starts it (StartNow); its trackers run meanwhile, as for any released instance
            InitTracking(_services, now);
            UpdateTracking(now, null);
            return;
        }
        double delay = Definition.StartupDelaySeconds;
        long due = (_services?.EngineStartedAt ?? now) + (long)(delay * 1_000_000);
        if (delay > 0 && due > now)
        {
            _startAt = due;
            _log.Info(Name, $"Delaying startup by {(due - now) / 1e6:0.###} s (vrrp_startup_delay {delay:0.###} s)");
            return;
        }
        StartNow(now);
    }

    /// <summary>RFC 5798 §6.4.1 Startup, after any vrrp_startup_delay.</summary>
    private void StartNow(long now)
    {
        _started = true;
        // The link first: an owner on a down link must not advertise, set its VIPs and GARP, then release.
        if (_platform.FindInterface(InterfaceIndex) is { IsUp: false })
        {
            _linkUp = false;
            _log.Info(Name, $"Interface {Resolved.Interface.Name} is down");
        }
        InitTracking(_services, now);
        UpdateTracking(now, null); // init_fail / a weight-0 tracker / a down link: start in FAULT
        _router.Startup(now, this);
    }

    public void OnTimer(long now)
    {
        if (_halted)
        {
            return;
        }
        RunDueChecks(now);
        if (now >= _startAt)
        {
            _startAt = long.MaxValue;
            StartNow(now);
            return;
        }
        int due = _announcements.Due(now);
        if (due > 0 && _router.State == VrrpState.Master)
        {
            SendAnnouncements(now, due);
        }
        if (now >= _router.NextDeadline)
        {
            _router.OnTimer(now, this);
        }
    }

    public void SetPriority(long now, byte priority)
    {
        _basePriority = priority;
        UpdateTracking(now, null);
    }

    /// <summary>A reload changed only the configured priority: keep state, adopt the new value.</summary>
    public void ApplyConfiguredPriority(long now, byte priority)
    {
        Resolved = Resolved with { Definition = Resolved.Definition with { Priority = priority } };
        SetPriority(now, priority);
    }

    public void LinkChanged(long now, bool up)
    {
        if (up == _linkUp)
        {
            return;
        }
        _linkUp = up;
        _log.Info(Name, up ? $"Interface {Resolved.Interface.Name} is up" : $"Interface {Resolved.Interface.Name} is down");
        if (_started)
        {
            UpdateFault(now); // before a delayed start, the start itself looks at the link
        }
    }

    /// <summary>True between <see cref="Release"/> and <see cref="Resume"/>.</summary>
    public bool IsReleased => _released;

    /// <summary>
    /// Test-VrrpFailover / control "release": RFC 5798 §6.4.3 Shutdown without removing the instance.
    /// The instance stays out of the election (Initialize, silent) until <see cref="Resume"/>, whatever
    /// its trackers or link do meanwhile; trackers keep running and their results are kept.
    /// </summary>
    public bool Release(long now)
    {
        if (_released)
        {
            return false;
        }
        _released = true;
        _startAt = long.MaxValue; // a delayed start waits for the resume
        _router.Shutdown(now, this);
        if (_vipsInstalled)
        {
            RemoveVirtualAddresses(now);
        }
        return true;
    }

    /// <summary>Back into the election after <see cref="Release"/> (owner → Master, others → Backup, or FAULT).</summary>
    public bool Resume(long now)
    {
        if (!_released)
        {
            return false;
        }
        _released = false;
        if (!_started)
        {
            StartNow(now);
            return true;
        }
        UpdateTracking(now, null);
        if (_router.State == VrrpState.Initialize)
        {
            _router.Startup(now, this);
        }
        return true;
    }

    /// <summary>An internal error: FAULT with the reason until the instance is restarted.</summary>
    public void Broken(long now, string reason)
    {
        Counters.InternalErrors++;
        _brokenReason ??= reason;
        if (_started && !_released)
        {
            UpdateFault(now);
        }
    }

    /// <summary>Last resort after an error that FAULT itself could not handle: no timers, input discarded.</summary>
    public void Halt()
    {
        _halted = true;
        _brokenReason ??= "halted after an internal error";
        FaultReason = _brokenReason;
    }

    /// <summary>Graceful stop: a master sends priority 0 and releases its addresses.</summary>
    public void Stop(long now)
    {
        _stopping = true; // a sibling's reaction to this shutdown must not put it back in FAULT (after STOP)
        _router.Shutdown(now, this);
        if (_vipsInstalled)
        {
            RemoveVirtualAddresses(now);
        }
    }

    public void Dispose()
    {
        StopTracking();
        DisposeHostEffects();
        _socket.Dispose();
        _announcer.Dispose();
        _otherAnnouncer?.Dispose();
    }

    private void RemoveStaleVips()
    {
        foreach (var vip in Definition.AllAddresses)
        {
            try
            {
                if (_platform.Addresses.Remove(VipInterfaceIndex(vip), vip))
                {
                    _log.Warning(Name, $"Removed {vip.Address}/{vip.PrefixLength} left on {vip.Device ?? Resolved.Interface.Name} by an earlier run");
                }
            }
            catch (Exception ex)
            {
                _log.Warning(Name, $"Could not check for a stale {vip.Address}: {ex.Message}");
            }
        }
    }

    private int VipInterfaceIndex(VirtualAddressSpec vip) =>
        vip.Device is null ? AddressLinkIndex : _platform.FindInterface(vip.Device)?.Index ?? AddressLinkIndex;

    public VrrpInstanceState Snapshot()
    {
        var d = Definition;
        var last = _history.Count > 0 ? _history[^1] : null;
        return new VrrpInstanceState
        {
            Name = d.Name,
            State = _router.State,
            Priority = BasePriority,
            EffectivePriority = _router.Priority,
            VirtualRouterId = d.VirtualRouterId,
            Interface = Resolved.Interface.Name,
            Version = (int)d.Version,
            AdvertisementInterval = TimeSpan.FromMilliseconds(d.AdvertisementIntervalCentiseconds * 10),
            VirtualIPAddress = d.VirtualAddresses.Select(v => $"{v.Address}/{v.PrefixLength}").ToArray(),
            ExcludedIPAddress = d.ExcludedAddresses.Select(v => $"{v.Address}/{v.PrefixLength}").ToArray(),
            UnicastPeer = d.UnicastPeers.Select(p => p.ToString()).ToArray(),
            SourceAddress = Resolved.SourceAddress.ToString(),
            MasterAddress = _router.State == VrrpState.Master ? Resolved.SourceAddress.ToString()
                : _router.MasterAddress.IsEmpty ? null : _router.MasterAddress.ToString(),
            MasterPriority = _router.State == VrrpState.Master ? _router.Priority : _router.MasterPriority,
            Preempt = d.Preempt,
            LastTransition = last?.Time ?? default,
            LastTransitionReason = last?.Reason,
            Counters = Counters.Clone(),
            History = _history.ToArray(),
            ProcessId = Environment.ProcessId,
            Tracker = TrackerSnapshot(),
            FaultReason = _router.State == VrrpState.Fault ? FaultReason : null,
            SyncGroup = d.SyncGroup,
        };
    }

    private void RecordTransition(VrrpState from, VrrpState to, string reason)
    {
        var t = new VrrpTransition { Time = DateTime.UtcNow, From = from, To = to, Reason = reason, Priority = _router.Priority };
        if (_history.Count == HistoryLength)
        {
            _history.RemoveAt(0);
        }
        _history.Add(t);
        _onTransition?.Invoke(this, t);
    }

    // Warnings about the LAN are rate-limited to one a second per instance and reason, so a flood cannot
    // fill the journal and one noisy reason cannot hide another. "Never logged" is its own state: the
    // first occurrence always logs (no arithmetic on a sentinel that could overflow).
    private readonly Dictionary<LogReason, long> _lastLogged = [];

    private void LogRateLimited(long now, LogReason reason, string message)
    {
        if (!_lastLogged.TryGetValue(reason, out long last) || now - last >= 1_000_000)
        {
            _lastLogged[reason] = now;
            _log.Warning(Name, message);
        }
    }
}

using System.Collections.Concurrent;
using VrrpPS.Engine.Notify;

namespace VrrpPS.Engine;

/// <summary>
/// The process's VRRP engine. One event-loop thread owns every socket and every VirtualRouter;
/// cmdlets post commands (<see cref="InvokeAsync{T}"/>) and await the reply. Snapshots for
/// Get-VrrpState are built on the loop thread and handed out as immutable copies.
/// </summary>
public sealed partial class VrrpEngine : IDisposable
{
    private readonly INetworkPlatform _platform;
    private readonly ConcurrentQueue<Action> _commands = new();
    private readonly List<InstanceRuntime> _instances = [];
    private readonly Dictionary<int, InstanceRuntime> _byFd = [];
    private readonly byte[] _rxBuffer = new byte[65536];
    private readonly int[] _ready = new int[64];
    private readonly LinkChange[] _linkChanges = new LinkChange[32];
    private readonly Thread _thread;
    private readonly IPoller _poller;
    private ILinkMonitor? _linkMonitor;
    private volatile bool _stopping;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary>Made once: a lambda reading _rxBuffer captures this, and would be a new delegate per received advert.</summary>
    private readonly Action<InstanceRuntime, long> _onReadable;

    public VrrpEngine(INetworkPlatform platform) : this(platform, EngineDriver.Thread)
    {
    }

    /// <summary>
    /// <paramref name="driver"/> Thread: the engine's own thread waits in the poller (production).
    /// Manual: no thread; whoever owns the engine calls <see cref="RunOnce"/> (the simulator, in
    /// simulated time) and commands run on the caller's thread.
    /// </summary>
    internal VrrpEngine(INetworkPlatform platform, EngineDriver driver)
    {
        _platform = platform;
        _onReadable = (r, t) => r.OnReadable(t, _rxBuffer);
        _manual = driver == EngineDriver.Manual;
        _poller = platform.CreatePoller();
        _startedAt = platform.Clock.NowMicroseconds;
        if (_manual)
        {
            _thread = Thread.CurrentThread;
            OpenLinkMonitor();
        }
        else
        {
            _thread = new Thread(Loop) { IsBackground = true, Name = "VrrpPS engine" };
            _thread.Start();
        }
    }

    private readonly bool _manual;

    public EngineLog Log { get; } = new();

    private readonly long _startedAt;

    /// <summary>Raised on the engine thread after each state change (keep handlers short: queue work).</summary>
    public event Action<VrrpEngine, string, VrrpTransition>? TransitionObserved;

    /// <summary>Current instance count, readable from any thread.</summary>
    public int InstanceCount => Volatile.Read(ref _instanceCount);
    private int _instanceCount;

    public bool IsStopped => _stopped.Task.IsCompleted;

    /// <summary>Runs <paramref name="work"/> on the engine thread and returns its result.</summary>
    public Task<T> InvokeAsync<T>(Func<long, T> work)
    {
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_stopping)
        {
            tcs.SetException(new VrrpEngineException(EngineErrorIds.EngineStopped, "The VrrpPS engine has stopped."));
            return tcs.Task;
        }
        if (_manual)
        {
            // Simulated: the caller is the engine thread; the command runs now, in order with the steps.
            try
            {
                tcs.SetResult(work(_platform.Clock.NowMicroseconds));
            }
            catch (Exception ex)
            {
                tcs.SetException(ex);
            }
            return tcs.Task;
        }
        _commands.Enqueue(() =>
        {
            try
            {
                tcs.SetResult(work(_platform.Clock.NowMicroseconds));
            }
            catch (Exception ex)
            {
                tcs.SetException(ex);
            }
        });
        _poller.Wake();
        return tcs.Task;
    }

    public T Invoke<T>(Func<long, T> work, TimeSpan? timeout = null)
    {
        var task = InvokeAsync(work);
        if (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(timeout ?? TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("The VrrpPS engine did not answer in time.");
        }
        return task.GetAwaiter().GetResult(); // rethrows the engine's own exception, not an AggregateException
    }

    private void OpenLinkMonitor()
    {
        try
        {
            _linkMonitor = _platform.OpenLinkMonitor();
            _poller.Add(_linkMonitor.FileDescriptor);
        }
        catch (Exception ex)
        {
            Log.Warning(null, $"Link monitoring unavailable: {ex.Message}");
        }
    }

    private void Loop()
    {
        OpenLinkMonitor();
        try
        {
            long busyFrom = _platform.Clock.NowMicroseconds;
            while (!_stopping)
            {
                long wait = Iterate();
                NoteBusy(_platform.Clock.NowMicroseconds - busyFrom);
                int ready = _poller.Wait(Math.Min(wait, 1_000_000), _ready);
                busyFrom = _platform.Clock.NowMicroseconds;
                if (ready > 0)
                {
                    Dispatch(ready);
                }
            }
        }
        catch (Exception ex)
        {
            // Instances are isolated (Guard); reaching this is an engine bug, and the VIPs are released below.
            Log.Error(null, $"Engine loop failed: {ex}");
        }
        finally
        {
            Shutdown();
        }
    }

    /// <summary>
    /// Simulated time: one loop iteration that never blocks (commands, pending input, due timers,
    /// input again). The caller sets the clock; <see cref="NextDeadline"/> says when to call again.
    /// </summary>
    internal void RunOnce()
    {
        if (!_manual || _stopping)
        {
            return;
        }
        Iterate();
        int ready = _poller.Wait(0, _ready);
        if (ready > 0)
        {
            Dispatch(ready);
        }
        RunCommands();
    }

    /// <summary>When the simulator must step again (monotonic µs): now while commands wait, else the earliest instance deadline.</summary>
    internal long NextDeadline
    {
        get => _commands.IsEmpty ? Math.Min(EarliestDeadline(), _tightenAt) : _platform.Clock.NowMicroseconds;
    }

    /// <summary>Loop iterations so far (the systemd watchdog and tests read it).</summary>
    public long Iterations => Interlocked.Read(ref _iterations);
    private long _iterations;

    /// <summary>
    /// One iteration: commands, then due timers — but first, when a timer is due, the input already
    /// queued (a stall must not turn a waiting advert into a Master_Down takeover). Returns the
    /// microseconds until the next deadline.
    /// </summary>
    private long Iterate()
    {
        Interlocked.Increment(ref _iterations);
        RunCommands();
        long now = _platform.Clock.NowMicroseconds;
        EndRealtimeStartup(now);
        if (EarliestDeadline() <= now)
        {
            int ready = _poller.Wait(0, _ready);
            if (ready > 0)
            {
                Dispatch(ready);
            }
            now = _platform.Clock.NowMicroseconds;
        }
        long next = long.MaxValue;
        for (int i = 0; i < _instances.Count; i++)
        {
            var inst = _instances[i];
            if (inst.NextDeadline <= now)
            {
                Guard(inst, now, static (r, t) => r.OnTimer(t));
            }
            next = Math.Min(next, inst.NextDeadline);
        }
        return next == long.MaxValue ? 1_000_000 : Math.Max(0, next - _platform.Clock.NowMicroseconds);
    }

    /// <summary>The earliest instance deadline (monotonic µs), long.MaxValue when none.</summary>
    private long EarliestDeadline()
    {
        long next = long.MaxValue;
        for (int i = 0; i < _instances.Count; i++)
        {
            next = Math.Min(next, _instances[i].NextDeadline);
        }
        return next;
    }

    private void Shutdown()
    {
        ShutdownInstances();
        RunCommands(); // fail nothing silently: commands queued during shutdown still run
        RemoveAllStatics(); // after those commands: a static entry set while stopping is not left behind
        _linkMonitor?.Dispose();
        _poller.Dispose();
        // Not under _runspaceGate: the stop actions being flushed take it (GetRunspace) to run.
        NotifyDispatcher? notify;
        lock (_runspaceGate)
        {
            notify = _notifyDispatcher;
        }
        notify?.Dispose(); // bounded: stop notifications are delivered first
        lock (_runspaceGate)
        {
            _runspaceClosed = true;
            _runspace?.Dispose();
        }
        _stopped.TrySetResult();
    }

    private void RunCommands()
    {
        while (_commands.TryDequeue(out var cmd))
        {
            cmd();
        }
    }

    private void Dispatch(int ready)
    {
        long now = _platform.Clock.NowMicroseconds;
        for (int i = 0; i < ready; i++)
        {
            int fd = _ready[i];
            if (_receiverByFd.TryGetValue(fd, out var receiver))
            {
                DrainShared(receiver, now);
            }
            else if (_byFd.TryGetValue(fd, out var inst))
            {
                Guard(inst, now, _onReadable);
            }
            else if (_linkMonitor is not null && fd == _linkMonitor.FileDescriptor)
            {
                DrainLinkMonitor(now);
            }
        }
    }

    private void ShutdownInstances()
    {
        long now = _platform.Clock.NowMicroseconds;
        foreach (var inst in _instances.ToArray())
        {
            RemoveInstance(inst, now);
        }
    }

    /// <summary>Stops every instance gracefully and ends the loop (bounded wait).</summary>
    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }
        _stopping = true;
        if (_manual)
        {
            Shutdown();
            return;
        }
        _poller.Wake();
        if (Thread.CurrentThread != _thread)
        {
            // Releasing takes milliseconds; the rest is the notification flush (bounded at 5 s) and the runspace.
            _stopped.Task.Wait(TimeSpan.FromSeconds(10));
        }
    }
}

/// <summary>Who runs the engine loop.</summary>
internal enum EngineDriver
{
    /// <summary>The engine's own thread, waiting in the poller (production).</summary>
    Thread,
    /// <summary>No thread: the owner calls RunOnce (the simulator).</summary>
    Manual,
}

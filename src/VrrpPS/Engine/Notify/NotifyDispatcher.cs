using System.Collections.Concurrent;
using VrrpPS.Engine.Tracking;
using VrrpPS.StateMachine;

namespace VrrpPS.Engine.Notify;

/// <summary>
/// Delivers every transition to notify programs, the notify FIFO, ScriptBlock actions and the
/// PowerShell sessions that asked for events. Called on the engine thread; all delivery happens
/// on queues: per instance (programs and ScriptBlocks, strictly in transition order, never two at
/// once for one instance), one for the FIFO, one for engine events. The per-instance queues hold at
/// most <see cref="QueueCapacity"/> waiting runs and the FIFO's <see cref="FifoCapacity"/> lines: when
/// an instance flaps faster than its program runs, the oldest waiting runs are dropped (counted, and
/// logged once per burst), so the order is kept and the newest state is always the last delivered.
/// </summary>
internal sealed class NotifyDispatcher : IDisposable
{
    public const string SourceIdentifier = "VrrpPS.StateChanged";

    private readonly ConcurrentDictionary<string, SerialQueue> _queues = new(StringComparer.Ordinal);
    private readonly SerialQueue _fifo;
    private readonly SerialQueue _events;
    private readonly EngineLog _log;
    private readonly Func<EngineRunspace> _runspace;
    private readonly object _sinkGate = new();
    private List<Action<VrrpStateChangedEventArgs>> _sinks = [];

    private readonly IProcessRunner _runner;

    public NotifyDispatcher(EngineLog log, Func<EngineRunspace> runspace, IProcessRunner runner)
    {
        _runner = runner;
        _log = log;
        _runspace = runspace;
        _fifo = new SerialQueue(ex => _log.Warning(null, $"notify FIFO: {ex.Message}"), FifoCapacity,
            n => _log.Warning(null, $"notify FIFO: {n} lines dropped (more than {FifoCapacity} waiting for a slow reader); the newest are written"));
        _events = new SerialQueue(ex => _log.Warning(null, $"engine event delivery: {ex.Message}"));
    }

    /// <summary>keepalived's state words: MASTER, BACKUP, FAULT, STOP.</summary>
    public static string StateWord(VrrpState s) => s switch
    {
        VrrpState.Master => "MASTER",
        VrrpState.Backup => "BACKUP",
        VrrpState.Fault => "FAULT",
        _ => "STOP",
    };

    /// <summary>keepalived's FIFO line: INSTANCE "VI_1" MASTER 100.</summary>
    public static string FifoLine(string type, string name, VrrpState state, int priority) =>
        $"{type} \"{name}\" {StateWord(state)} {priority}";

    /// <summary>Adds a listener (a session's event manager); the returned action removes it.</summary>
    public Action AddSink(Action<VrrpStateChangedEventArgs> sink)
    {
        lock (_sinkGate)
        {
            _sinks = [.. _sinks, sink];
        }
        return () =>
        {
            lock (_sinkGate)
            {
                _sinks = _sinks.Where(s => s != sink).ToList();
            }
        };
    }

    public void Transition(string type, string name, NotifyDefinition? def, VrrpTransition t)
    {
        var args = new VrrpStateChangedEventArgs
        {
            Name = name, Type = type, OldState = t.From, NewState = t.To, Priority = t.Priority, Reason = t.Reason, Time = t.Time,
        };
        var sinks = Volatile.Read(ref _sinks);
        if (sinks.Count > 0 && type == "INSTANCE")
        {
            _events.Enqueue(() =>
            {
                foreach (var s in sinks)
                {
                    s(args);
                }
                return Task.CompletedTask;
            });
        }
        if (def is null || def.IsEmpty)
        {
            return;
        }
        string word = StateWord(t.To);
        if (def.FifoPath is string fifo)
        {
            string line = FifoLine(type, name, t.To, t.Priority);
            _fifo.Enqueue(() => WriteFifoAsync(fifo, line));
        }
        var (specific, specificUser) = t.To switch
        {
            VrrpState.Master => (def.Master, def.MasterUser),
            VrrpState.Backup => (def.Backup, def.BackupUser),
            VrrpState.Fault => (def.Fault, def.FaultUser),
            _ => (def.Stop, def.StopUser),
        };
        string? action = t.To switch
        {
            VrrpState.Master => def.OnMaster,
            VrrpState.Backup => def.OnBackup,
            VrrpState.Fault => def.OnFault,
            _ => def.OnStop,
        };
        var timeout = TimeSpan.FromSeconds(def.TimeoutSeconds);
        var queue = QueueFor(type, name);
        queue.Enqueue(async () =>
        {
            // keepalived: the state's own script runs as written; `notify` gets TYPE NAME STATE PRIORITY appended.
            if (specific is not null)
            {
                await RunProgramAsync(name, specific, specificUser, timeout).ConfigureAwait(false);
            }
            if (def.Any is not null)
            {
                await RunProgramAsync(name, [.. def.Any, type, name, word, t.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture)], def.AnyUser, timeout).ConfigureAwait(false);
            }
            if (action is not null)
            {
                var r = await _runspace().InvokeAsync(action, [args], timeout).ConfigureAwait(false);
                if (!r.Success && r.Error is not null)
                {
                    _log.Warning(name, $"On{t.To} ScriptBlock failed: {r.Error}");
                }
            }
        });
    }

    private readonly ConcurrentDictionary<string, byte> _lowerPriorityPending = new(StringComparer.Ordinal);

    /// <summary>
    /// notify_master_rx_lower_pri, on the instance's queue (after the transitions before it). While one
    /// run is queued or running, further lower-priority adverts do not queue more: a router that keeps
    /// advertising below us (a split brain that does not heal) must not fill the queue.
    /// </summary>
    public void MasterReceivedLowerPriority(string name, NotifyDefinition def)
    {
        if (def.MasterRxLowerPriority is not { Count: > 0 } argv || !_lowerPriorityPending.TryAdd(name, 0))
        {
            return;
        }
        var queue = QueueFor("INSTANCE", name);
        queue.Enqueue(async () =>
        {
            try
            {
                await RunProgramAsync(name, argv, def.MasterRxLowerPriorityUser, TimeSpan.FromSeconds(def.TimeoutSeconds)).ConfigureAwait(false);
            }
            finally
            {
                _lowerPriorityPending.TryRemove(name, out _);
            }
        }, dropped: () => _lowerPriorityPending.TryRemove(name, out _));
    }

    /// <summary>Notify runs waiting (not yet started) for one instance or group; for tests and diagnostics.</summary>
    internal int PendingFor(string type, string name) => _queues.TryGetValue($"{type}/{name}", out var q) ? q.Pending : 0;

    /// <summary>
    /// At most this many notify runs (one per transition: its programs and ScriptBlock) wait per instance
    /// or group; keepalived forks every one at once instead, unbounded and unordered.
    /// </summary>
    public const int QueueCapacity = 16;

    /// <summary>At most this many notify FIFO lines wait for a slow reader.</summary>
    public const int FifoCapacity = 1024;

    /// <summary>Notify runs dropped because an instance's (or group's) queue was full, since the engine started.</summary>
    public long DroppedNotifications => _queues.Values.Sum(q => q.Dropped);

    // One serial queue per instance (or group): its programs and actions run one at a time, in order.
    private SerialQueue QueueFor(string type, string name) =>
        _queues.GetOrAdd($"{type}/{name}", _ => new SerialQueue(ex => _log.Warning(name, $"notify: {ex.Message}"), QueueCapacity,
            n => _log.Warning(name, $"{n} notifications dropped: more than {QueueCapacity} state changes were waiting for the notify programs; the newest are delivered, in order")));

    private async Task RunProgramAsync(string name, IReadOnlyList<string> argv, ProgramUser? user, TimeSpan timeout)
    {
        var r = await _runner.RunAsync(new ProcessRequest(argv, timeout) { User = user?.User, Group = user?.Group }).ConfigureAwait(false);
        if (!r.Success)
        {
            _log.Warning(name, $"notify program {argv[0]} failed: {r.Error}");
        }
    }

    // A FIFO without a reader would block open(): open non-blocking and skip the line (warned) instead.
    private async Task WriteFifoAsync(string path, string line)
    {
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Write, Share = FileShare.ReadWrite, Options = FileOptions.None };
            if (IsFifo(path))
            {
                using var fd = OpenFifoNonBlocking(path);
                if (fd is null)
                {
                    _log.Warning(null, $"notify FIFO {path} has no reader; dropped: {line}");
                    return;
                }
                await fd.WriteAsync(System.Text.Encoding.UTF8.GetBytes(line + "\n")).ConfigureAwait(false);
                return;
            }
            options.Mode = FileMode.Append;
            using var fs = new FileStream(path, options);
            await fs.WriteAsync(System.Text.Encoding.UTF8.GetBytes(line + "\n")).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _log.Warning(null, $"notify FIFO {path}: {ex.Message}");
        }
    }

    private static unsafe bool IsFifo(string path)
    {
        Tmds.Linux.stat st;
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            return Tmds.Linux.LibC.stat(p, &st) == 0 && ((uint)st.st_mode & 0xF000) == 0x1000;
        }
    }

    private static unsafe FileStream? OpenFifoNonBlocking(string path)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        int fd;
        fixed (byte* p = bytes)
        {
            fd = Tmds.Linux.LibC.open(p, Tmds.Linux.LibC.O_WRONLY | Tmds.Linux.LibC.O_NONBLOCK | Tmds.Linux.LibC.O_CLOEXEC);
        }
        if (fd < 0)
        {
            return null; // ENXIO: no reader
        }
        // Back to blocking for the write itself (a line is far below PIPE_BUF, so it is atomic).
        int flags = Tmds.Linux.LibC.fcntl(fd, Tmds.Linux.LibC.F_GETFL);
        Tmds.Linux.LibC.fcntl(fd, Tmds.Linux.LibC.F_SETFL, flags & ~Tmds.Linux.LibC.O_NONBLOCK);
        return new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, 1);
    }

    /// <summary>Waits (bounded) until everything queued so far was delivered.</summary>
    public void Flush(TimeSpan timeout)
    {
        // One deadline for all queues: they drain in parallel, so a stuck program of one instance
        // does not multiply the wait by the number of instances.
        var deadline = DateTime.UtcNow + timeout;
        TimeSpan Left() => deadline - DateTime.UtcNow is var t && t > TimeSpan.Zero ? t : TimeSpan.Zero;
        foreach (var q in _queues.Values.Append(_fifo).Append(_events))
        {
            q.Drain(Left());
        }
    }

    public void Dispose()
    {
        Flush(TimeSpan.FromSeconds(5));
        foreach (var q in _queues.Values)
        {
            q.Complete();
        }
        _fifo.Complete();
        _events.Complete();
    }
}

using VrrpPS.Engine.Notify;
using VrrpPS.Engine.Tracking;
using VrrpPS.StateMachine;

namespace VrrpPS.Engine;

// Tracking, sync groups and notification plumbing of the engine.
public sealed partial class VrrpEngine
{
    private readonly object _runspaceGate = new();
    private EngineRunspace? _runspace;
    private NotifyDispatcher? _notifyDispatcher;
    private readonly Dictionary<string, VrrpState> _groupStates = new(StringComparer.Ordinal);
    private readonly HashSet<string> _syncForcing = new(StringComparer.Ordinal);

    internal NotifyDispatcher Notifications
    {
        get
        {
            lock (_runspaceGate)
            {
                return _notifyDispatcher ??= new NotifyDispatcher(Log, GetRunspace, ProcessRunner);
            }
        }
    }

    internal EngineServices Services => new()
    {
        Post = Post, Runspace = GetRunspace, Processes = ProcessTable, Runner = ProcessRunner, BlockingWork = BlockingWork, ProcessPoll = ProcessPoll, EngineStartedAt = _startedAt,
        MasterReceivedLowerPriority = (name, def) => Notifications.MasterReceivedLowerPriority(name, def),
    };

    /// <summary>Where track_process counts processes; tests substitute their own table.</summary>
    internal IProcessTable ProcessTable { get; set; } = Unconfigured.Processes;

    /// <summary>Where tracking's blocking reads run; the simulator runs them inline.</summary>
    internal IBlockingWork BlockingWork { get; set; } = ThreadPoolWork.Shared;

    /// <summary>How track scripts and notify programs run; tests substitute their own runner.</summary>
    internal IProcessRunner ProcessRunner { get; set; } = Unconfigured.Runner;

    /// <summary>How often track_process counts (keepalived is told by the kernel at once; half a second bounds the delay).</summary>
    internal TimeSpan ProcessPoll { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The engine's own runspace for ScriptBlock checks and actions, created on first use.</summary>
    private EngineRunspace GetRunspace()
    {
        lock (_runspaceGate)
        {
            if (_runspaceClosed && _runspace is null)
            {
                _runspace = new EngineRunspace();
                _runspace.Dispose(); // after shutdown: runs nothing, answers "closed"
            }
            return _runspace ??= new EngineRunspace();
        }
    }

    private bool _runspaceClosed;

    /// <summary>Queues an instance's work for the engine thread (tracker results); never blocks. An
    /// exception faults that instance only; work for an instance that has gone is dropped.</summary>
    internal void Post(InstanceRuntime instance, Action<long> work)
    {
        if (_stopping)
        {
            return;
        }
        _commands.Enqueue(() =>
        {
            if (_instances.Contains(instance))
            {
                Guard(instance, _platform.Clock.NowMicroseconds, (_, now) => work(now));
            }
        });
        if (!_manual)
        {
            _poller.Wake();
        }
    }

    /// <summary>
    /// Subscribes to every state change (the VrrpPS.StateChanged engine event of a session);
    /// the sink runs on a delivery thread, in transition order. Returns the unsubscribe action.
    /// </summary>
    public Action AddStateChangedSink(Action<VrrpStateChangedEventArgs> sink) => Notifications.AddSink(sink);

    /// <summary>Waits (bounded) until every notification queued so far was delivered.</summary>
    public void FlushNotifications(TimeSpan timeout) => Notifications.Flush(timeout);

    private void NotifyTransition(InstanceRuntime inst, VrrpTransition t)
    {
        Notifications.Transition("INSTANCE", inst.Name, inst.Definition.Notify, t);
        if (inst.Definition.SyncGroup is string group)
        {
            SyncGroupChanged(group, inst, t);
        }
    }

    /// <summary>
    /// keepalived vrrp_sync_group: when one member is in FAULT for its own reason, every other
    /// member is held in FAULT too; when none is, all leave FAULT together. The group's notify
    /// runs (GROUP name STATE priority) when all members have reached the same state.
    /// </summary>
    private void SyncGroupChanged(string group, InstanceRuntime source, VrrpTransition t)
    {
        long now = _platform.Clock.NowMicroseconds;
        var members = _instances.Where(i => i.Definition.SyncGroup == group).ToList();
        foreach (var m in members)
        {
            var other = members.FirstOrDefault(o => o != m && o.OwnFaultReason is not null);
            m.SetGroupFault(now, other is null ? null : $"sync group {group}: {other.Name} in fault ({other.OwnFaultReason})");
        }
        ForceSiblings(group, source, members, t, now);
        var state = members[0].State;
        if (members.All(m => m.State == state) && (!_groupStates.TryGetValue(group, out var last) || last != state))
        {
            _groupStates[group] = state;
            var notify = members[0].Definition.SyncGroupNotify;
            Notifications.Transition("GROUP", group, notify, new VrrpTransition
            {
                Time = t.Time, From = t.From, To = state, Reason = t.Reason, Priority = t.Priority,
            });
        }
    }

    /// <summary>
    /// keepalived vrrp_sync_master / vrrp_sync_backup: one member became Master ⇒ every Backup
    /// member is forced Master; one Master lost to a higher-priority Master ⇒ every other Master
    /// member is forced Backup. Forced transitions do not force again (no loops).
    /// </summary>
    private void ForceSiblings(string group, InstanceRuntime source, List<InstanceRuntime> members, VrrpTransition t, long now)
    {
        if (!_syncForcing.Add(group))
        {
            return;
        }
        try
        {
            string who = source.Name;
            if (t.To == VrrpState.Master)
            {
                foreach (var m in members.Where(m => m != source && m.State == VrrpState.Backup))
                {
                    m.ForceSyncState(now, VrrpState.Master, $"sync group {group}: {who} became MASTER");
                }
            }
            else if (t.From == VrrpState.Master && t.To == VrrpState.Backup)
            {
                foreach (var m in members.Where(m => m != source && m.State == VrrpState.Master))
                {
                    m.ForceSyncState(now, VrrpState.Backup, $"sync group {group}: {who} became BACKUP ({t.Reason})");
                }
            }
        }
        finally
        {
            _syncForcing.Remove(group);
        }
    }

    /// <summary>keepalived vrrp_sync_can_goto_master: a member goes Master only when every other member wants to.</summary>
    private void AttachSyncGate(InstanceRuntime runtime)
    {
        if (runtime.Definition.SyncGroup is not string group)
        {
            return;
        }
        runtime.SetMasterGate(() => _instances.All(i => i == runtime || i.Definition.SyncGroup != group || i.WantsMaster));
    }
}

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

    internal NotifyDispatcher Notifications
    {
        get
        {
            lock (_runspaceGate)
            {
                return _notifyDispatcher ??= new NotifyDispatcher(Log, GetRunspace);
            }
        }
    }

    internal EngineServices Services => new() { Post = Post, Runspace = GetRunspace };

    /// <summary>The engine's own runspace for ScriptBlock checks and actions, created on first use.</summary>
    private EngineRunspace GetRunspace()
    {
        lock (_runspaceGate)
        {
            return _runspace ??= new EngineRunspace();
        }
    }

    /// <summary>Queues work for the engine thread (tracker results); never blocks.</summary>
    internal void Post(Action<long> work)
    {
        if (_stopping)
        {
            return;
        }
        _commands.Enqueue(() => work(_platform.Clock.NowMicroseconds));
        _poller.Wake();
    }

    /// <summary>
    /// Subscribes to every state change (the VrrpPS.StateChanged engine event of a session);
    /// the sink runs on a delivery thread, in transition order. Returns the unsubscribe action.
    /// </summary>
    public Action AddStateChangedSink(Action<VrrpStateChangedEventArgs> sink) => Notifications.AddSink(sink);

    /// <summary>Waits (bounded) until every notification queued so far was delivered.</summary>
    public void FlushNotifications(TimeSpan timeout) => Notifications.Flush(timeout);

    /// <summary>Refuses programs that are missing or writable by non-root users (when running as root).</summary>
    private static void ValidateTracking(InstanceDefinition d)
    {
        bool root = ScriptSecurity.RunningAsRoot;
        foreach (var s in d.TrackScripts)
        {
            if (s.Command is { Count: > 0 } argv)
            {
                ScriptSecurity.Check($"({d.Name}) track script {s.Name}", argv[0], root);
            }
            else if (s.Command is not null || string.IsNullOrWhiteSpace(s.ScriptBlockText))
            {
                throw new VrrpEngineException("VrrpTrackScriptEmpty", $"({d.Name}) track script {s.Name} has neither a command nor a ScriptBlock.", s.Name);
            }
            if (s.Weight is < -253 or > 253)
            {
                throw new VrrpEngineException("VrrpTrackWeightOutOfRange", $"({d.Name}) track script {s.Name} weight {s.Weight} is out of range: use -253 to 253.", s.Weight);
            }
        }
        foreach (var n in new[] { d.Notify, d.SyncGroupNotify })
        {
            foreach (var argv in new[] { n?.Master, n?.Backup, n?.Fault, n?.Stop, n?.Any })
            {
                if (argv is { Count: > 0 })
                {
                    ScriptSecurity.Check($"({d.Name}) notify program", argv[0], root);
                }
            }
        }
    }

    private void NotifyTransition(InstanceRuntime inst, VrrpTransition t)
    {
        Notifications.Transition("INSTANCE", inst.Name, inst.Definition.Notify, t);
        if (inst.Definition.SyncGroup is string group)
        {
            SyncGroupChanged(group, t);
        }
    }

    /// <summary>
    /// keepalived vrrp_sync_group: when one member is in FAULT for its own reason, every other
    /// member is held in FAULT too; when none is, all leave FAULT together. The group's notify
    /// runs (GROUP name STATE priority) when all members have reached the same state.
    /// </summary>
    private void SyncGroupChanged(string group, VrrpTransition t)
    {
        long now = _platform.Clock.NowMicroseconds;
        var members = _instances.Where(i => i.Definition.SyncGroup == group).ToList();
        foreach (var m in members)
        {
            var other = members.FirstOrDefault(o => o != m && o.OwnFaultReason is not null);
            m.SetGroupFault(now, other is null ? null : $"sync group {group}: {other.Name} in fault ({other.OwnFaultReason})");
        }
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
}

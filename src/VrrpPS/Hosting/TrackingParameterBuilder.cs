using VrrpPS.Engine.Notify;
using VrrpPS.Engine.Tracking;
using VrrpPS.Engine;

namespace VrrpPS.Hosting;

/// <summary>Start-VrrpInstance tracking, sync group and notify parameters → the engine definition's parts.</summary>
internal static class TrackingParameterBuilder
{
    public static InstanceDefinition Apply(StartParameters c, InstanceDefinition d) => d with
    {
        TrackScripts = (c.TrackScript ?? []).Select(t => t.ToDefinition(d.Name)).ToList(),
        TrackInterfaces = (c.TrackInterface ?? []).Select(i => new TrackInterfaceDefinition { InterfaceName = i.Name, Weight = i.Weight, Reverse = i.Reverse }).ToList(),
        TrackFiles = (c.TrackFile ?? []).Select(f => f.ToDefinition()).ToList(),
        TrackProcesses = (c.TrackProcess ?? []).Select(p => p.ToDefinition(d.Name)).ToList(),
        DontTrackPrimary = c.DontTrackPrimary,
        SyncGroup = string.IsNullOrEmpty(c.SyncGroup) ? null : c.SyncGroup,
        Notify = Nullify(new NotifyDefinition
        {
            Master = c.NotifyMaster, Backup = c.NotifyBackup, Fault = c.NotifyFault, Stop = c.NotifyStop, Any = c.Notify, FifoPath = c.NotifyFifo,
        }),
    };

    /// <summary>-OnMaster/-OnBackup/-OnFault/-OnStop and -NotifyTimeout apply to every instance of the call.</summary>
    public static InstanceDefinition ApplyActions(StartParameters c, InstanceDefinition d)
    {
        if (c.OnMaster is null && c.OnBackup is null && c.OnFault is null && c.OnStop is null && c.NotifyTimeout is null)
        {
            return d;
        }
        var n = (d.Notify ?? new NotifyDefinition()) with
        {
            OnMaster = c.OnMaster?.ToString(), OnBackup = c.OnBackup?.ToString(), OnFault = c.OnFault?.ToString(), OnStop = c.OnStop?.ToString(),
            TimeoutSeconds = c.NotifyTimeout ?? StartParameters.DefaultNotifyTimeoutSeconds,
        };
        return d with { Notify = Nullify(n) };
    }

    private static NotifyDefinition? Nullify(NotifyDefinition n) => n.IsEmpty ? null : n;
}

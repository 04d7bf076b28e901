using VrrpPS.Engine;

namespace VrrpPS.Hosting;

/// <summary>
/// What Sync-VrrpConfiguration did to the running daemon (or, with -WhatIf, would do): Changed is
/// false only when every instance is Unchanged — what Ansible's changed_when and DSC's test read.
/// </summary>
public sealed class VrrpSyncResult
{
    public bool Changed { get; init; }
    public bool WhatIf { get; init; }
    public string Path { get; init; } = string.Empty;
    public string ControlSocket { get; init; } = string.Empty;
    public VrrpSyncInstance[] Instances { get; init; } = [];

    public static VrrpSyncResult From(ReloadResult r, string path, string controlSocket, bool whatIf)
    {
        var instances = r.Started.Select(n => (n, VrrpSyncAction.Started))
            .Concat(r.Stopped.Select(n => (n, VrrpSyncAction.Stopped)))
            .Concat(r.Restarted.Select(n => (n, VrrpSyncAction.Restarted)))
            .Concat(r.PriorityChanged.Select(n => (n, VrrpSyncAction.PriorityChanged)))
            .Concat(r.Unchanged.Select(n => (n, VrrpSyncAction.Unchanged)))
            .OrderBy(x => x.n, StringComparer.Ordinal)
            .Select(x => new VrrpSyncInstance { Name = x.n, Action = x.Item2 })
            .ToArray();
        return new VrrpSyncResult
        {
            Changed = instances.Any(i => i.Action != VrrpSyncAction.Unchanged),
            WhatIf = whatIf,
            Path = path,
            ControlSocket = controlSocket,
            Instances = instances,
        };
    }
}

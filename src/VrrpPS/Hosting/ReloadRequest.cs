namespace VrrpPS.Hosting;

/// <summary>
/// What the daemon is asked to reload: its own files again (SIGHUP, `systemctl reload`), or — for
/// Sync-VrrpConfiguration — a named file, which the daemon then adopts as its configuration. A dry
/// run (-WhatIf) answers what would change and touches nothing.
/// </summary>
internal sealed record ReloadRequest(string? Path, string? ConfigId, bool DryRun)
{
    public static readonly ReloadRequest Reread = new(null, null, false);
}

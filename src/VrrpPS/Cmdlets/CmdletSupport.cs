using System.Collections.Concurrent;
using System.Management.Automation;
using VrrpPS.Engine;

namespace VrrpPS.Cmdlets;

/// <summary>Shared helpers so each cmdlet stays thin.</summary>
internal static class CmdletSupport
{
    public static ErrorRecord ToErrorRecord(VrrpEngineException ex) =>
        new(ex, ex.ErrorId, Categorize(ex.ErrorId), ex.Target);

    public static ErrorCategory Categorize(string errorId) => errorId switch
    {
        EngineErrorIds.NotPrivileged or VrrpPS.Hosting.ControlErrorIds.PermissionDenied => ErrorCategory.PermissionDenied,
        VrrpPS.Hosting.ControlErrorIds.PathInUse => ErrorCategory.ResourceExists,
        EngineErrorIds.InterfaceNotFound or EngineErrorIds.InstanceNotFound => ErrorCategory.ObjectNotFound,
        EngineErrorIds.DuplicateInstanceName or EngineErrorIds.VirtualRouterIdInUse => ErrorCategory.ResourceExists,
        EngineErrorIds.ControlSocketUnavailable or EngineErrorIds.EngineStopped => ErrorCategory.ConnectionError,
        EngineErrorIds.WaitTimeout => ErrorCategory.OperationTimeout,
        EngineErrorIds.StartFailed => ErrorCategory.OpenError,
        VrrpPS.Diagnostics.SandboxInputs.ConfigInvalid => ErrorCategory.InvalidData,
        _ => ErrorCategory.InvalidArgument,
    };

    /// <summary>Writes queued engine log lines to the verbose stream (warnings/errors as warnings).</summary>
    public static void Drain(PSCmdlet cmdlet, ConcurrentQueue<EngineLogEntry>? queue)
    {
        if (queue is null)
        {
            return;
        }
        while (queue.TryDequeue(out var e))
        {
            if (e.Level >= EngineLogLevel.Warning)
            {
                cmdlet.WriteWarning(e.ToString());
            }
            else
            {
                cmdlet.WriteVerbose(e.ToString());
            }
        }
    }

    /// <summary>-Path values (wildcards, PS drives) → files; a path that matches nothing is a
    /// per-item KeepalivedFileNotFound error and the others go on.</summary>
    public static IEnumerable<string> ResolveFiles(PSCmdlet cmdlet, IEnumerable<string> paths)
    {
        foreach (string p in paths)
        {
            System.Collections.ObjectModel.Collection<string> files;
            try
            {
                files = cmdlet.GetResolvedProviderPathFromPSPath(p, out _);
            }
            catch (Exception ex) when (ex is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException)
            {
                cmdlet.WriteError(new ErrorRecord(ex, "KeepalivedFileNotFound", ErrorCategory.ObjectNotFound, p));
                continue;
            }
            foreach (string file in files)
            {
                yield return file;
            }
        }
    }

    public static WildcardPattern? Pattern(string? name) =>
        string.IsNullOrEmpty(name) ? null : WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
}

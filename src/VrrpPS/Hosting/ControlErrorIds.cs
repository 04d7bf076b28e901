namespace VrrpPS.Hosting;

/// <summary>Stable ErrorIds of the control socket (ErrorRecord FullyQualifiedErrorId prefixes).</summary>
public static class ControlErrorIds
{
    /// <summary>The caller may not connect (socket/directory permissions) or may not send this request (SO_PEERCRED).</summary>
    public const string PermissionDenied = "VrrpControlPermissionDenied";
    /// <summary>-ControlSocket names something that is not a stale socket of ours (a regular file, a live server, a foreign socket).</summary>
    public const string PathInUse = "VrrpControlSocketPathInUse";
    public const string RequestTooLarge = "VrrpControlRequestTooLarge";
    public const string Busy = "VrrpControlBusy";
    public const string BadRequest = "VrrpControlBadRequest";
    /// <summary>Sync-VrrpConfiguration: the file has errors (each named file:line:column); nothing was sent to the daemon.</summary>
    public const string SyncInvalidConfig = "VrrpSyncInvalidConfig";
    public const string InternalError = "VrrpControlInternalError";
}

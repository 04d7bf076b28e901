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
    public const string InternalError = "VrrpControlInternalError";
}

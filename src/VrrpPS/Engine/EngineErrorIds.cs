namespace VrrpPS.Engine;

public static class EngineErrorIds
{
    public const string NotPrivileged = "VrrpNotPrivileged";
    public const string InvalidMulticastGroup = "VrrpInvalidMulticastGroup";
    public const string InterfaceNotFound = "VrrpInterfaceNotFound";
    public const string VirtualRouterIdOutOfRange = "VrrpVirtualRouterIdOutOfRange";
    public const string PriorityOutOfRange = "VrrpPriorityOutOfRange";
    public const string OwnerPriorityWithoutAddress = "VrrpOwnerPriorityWithoutAddress";
    public const string DuplicateInstanceName = "VrrpDuplicateInstanceName";
    public const string VirtualRouterIdInUse = "VrrpVirtualRouterIdInUse";
    public const string IntervalOutOfRange = "VrrpAdvertisementIntervalOutOfRange";
    public const string AddressFamilyMismatch = "VrrpAddressFamilyMismatch";
    public const string NoVirtualAddress = "VrrpNoVirtualAddress";
    public const string InvalidName = "VrrpInvalidInstanceName";
    public const string AuthenticationNotSupported = "VrrpAuthenticationNotSupported";
    public const string InstanceNotFound = "VrrpInstanceNotFound";
    public const string StartFailed = "VrrpStartFailed";
    public const string EngineStopped = "VrrpEngineStopped";
    public const string ControlSocketUnavailable = "VrrpControlSocketUnavailable";
    public const string WaitTimeout = "VrrpWaitTimeout";
    public const string NoSourceAddress = "VrrpNoSourceAddress";
    public const string TooManyAddresses = "VrrpTooManyAddresses";
    public const string TrackScriptEmpty = "VrrpTrackScriptEmpty";
    public const string TrackWeightOutOfRange = "VrrpTrackWeightOutOfRange";
    public const string InvalidTrackProcess = "VrrpInvalidTrackProcess";
    public const string InvalidTrackScript = "VrrpInvalidTrackScript";
    public const string ScriptInsecure = "VrrpScriptInsecure";
    public const string ScriptNotFound = "VrrpScriptNotFound";
    public const string ScriptUserNotFound = "VrrpScriptUserNotFound";
}

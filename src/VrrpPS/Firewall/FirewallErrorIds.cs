namespace VrrpPS.Firewall;

/// <summary>Stable ErrorIds (FullyQualifiedErrorId is "Id,VrrpPS.Cmdlets.InvokeFirewallVrrpRule").</summary>
public static class FirewallErrorIds
{
    public const string InvalidInterfaceName = "InvalidInterfaceName";
    public const string InterfaceNotFound = "InterfaceNotFound";
    public const string InvalidPeerAddress = "InvalidPeerAddress";
    public const string PeerFamilyMismatch = "PeerFamilyMismatch";
    public const string InvalidZoneName = "InvalidZoneName";
    public const string InvalidMulticastGroup = "InvalidMulticastGroup";
    public const string ToolNotFound = "FirewallToolNotFound";
    public const string PermissionDenied = "FirewallPermissionDenied";
    public const string DaemonNotRunning = "FirewallDaemonNotRunning";
    public const string CommandFailed = "FirewallCommandFailed";
    public const string CommandTimedOut = "FirewallCommandTimedOut";
    public const string RulesetUnreadable = "FirewallRulesetUnreadable";
}

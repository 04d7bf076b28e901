namespace VrrpPS.Config;

/// <summary>
/// The user (and group) written after a notify program: keepalived's
/// `notify_master "/path args" [username [groupname]]`. Keyword names the notify line it belongs to.
/// </summary>
public sealed class VrrpNotifyUser
{
    public string Keyword { get; set; } = "";
    public string User { get; set; } = "";
    public string? Group { get; set; }

    public override string ToString() => Group is null ? $"{Keyword}: {User}" : $"{Keyword}: {User}:{Group}";
}

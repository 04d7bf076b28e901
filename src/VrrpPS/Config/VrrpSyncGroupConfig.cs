namespace VrrpPS.Config;

/// <summary>A `vrrp_sync_group` block.</summary>
public sealed class VrrpSyncGroupConfig
{
    public string Name { get; set; } = "";
    public string[] Group { get; set; } = [];
    public VrrpTrackRef[] TrackScript { get; set; } = [];
    public VrrpTrackInterface[] TrackInterface { get; set; } = [];
    public VrrpTrackRef[] TrackFile { get; set; } = [];
    public VrrpTrackRef[] TrackProcess { get; set; } = [];
    public string? NotifyMaster { get; set; }
    public string? NotifyBackup { get; set; }
    public string? NotifyFault { get; set; }
    public string? NotifyStop { get; set; }
    public string? Notify { get; set; }
    /// <summary>The user/group written after notify programs (keepalived `notify_master "/path" user [group]`).</summary>
    public VrrpNotifyUser[] NotifyUser { get; set; } = [];
    public bool SmtpAlert { get; set; }
    public string? SourceFile { get; set; }
    public int SourceLine { get; set; }
    /// <summary>Lines of keywords read but not modelled (sync_group_tracking_weight, notify_priority_changes, global_tracking,
    /// track_bfd), as written; Export writes them back.</summary>
    public VrrpRawLine[] OtherLines { get; set; } = [];
}

namespace VrrpPS.Config;

/// <summary>Everything read from one keepalived.conf (and its includes).</summary>
public sealed class KeepalivedParseResult
{
    public KeepalivedGlobalConfig Global { get; set; } = new();
    public VrrpInstanceConfig[] Instances { get; set; } = [];
    public VrrpScriptConfig[] Scripts { get; set; } = [];
    public VrrpSyncGroupConfig[] SyncGroups { get; set; } = [];
    public VrrpTrackFileConfig[] TrackFiles { get; set; } = [];
    public VrrpTrackProcessConfig[] TrackProcesses { get; set; } = [];
    public KeepalivedStaticConfig[] Statics { get; set; } = [];
    public ConfigDiagnostic[] Diagnostics { get; set; } = [];
    public bool HasErrors => Diagnostics.Any(d => d.Severity == ConfigDiagnosticSeverity.Error);
}

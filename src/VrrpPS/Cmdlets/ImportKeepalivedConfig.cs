using System.Management.Automation;
using VrrpPS.Config;

namespace VrrpPS.Cmdlets;

/// <summary>Reads keepalived.conf files and emits typed VRRP configuration objects; diagnostics as ErrorRecords/warnings.</summary>
[Cmdlet(VerbsData.Import, "KeepalivedConfig")]
[OutputType(typeof(KeepalivedGlobalConfig), typeof(VrrpInstanceConfig), typeof(VrrpScriptConfig), typeof(VrrpSyncGroupConfig), typeof(VrrpTrackFileConfig), typeof(VrrpTrackProcessConfig), typeof(KeepalivedStaticConfig))]
public sealed class ImportKeepalivedConfigCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [SupportsWildcards]
    public string[] Path { get; set; } = [];

    [Parameter]
    public string? ConfigId { get; set; }

    [Parameter]
    public SwitchParameter Strict { get; set; }

    protected override void ProcessRecord()
    {
        foreach (string file in CmdletSupport.ResolveFiles(this, Path)) ImportOne(file);
    }

    private void ImportOne(string file)
    {
        var result = KeepalivedConfigReader.Read(file, new KeepalivedReadOptions { ConfigId = ConfigId, Strict = Strict.IsPresent });
        foreach (var d in result.Diagnostics) Report(this, d);
        if (result.HasErrors) return; // a file with errors starts nothing
        // global_defs travels with the rest so Export-KeepalivedConfig keeps router_id, script security and the global defaults
        // (and the include lines of the tree, for Export -PreserveIncludes, even without a global_defs block)
        if (result.Global.SourceFile is not null || result.Global.Includes.Length > 0) WriteObject(result.Global);
        foreach (var s in result.Scripts) WriteObject(s);
        foreach (var t in result.TrackFiles) WriteObject(t);
        foreach (var t in result.TrackProcesses) WriteObject(t);
        foreach (var i in result.Instances)
        {
            i.ConfigPath = file;
            i.ConfigId = ConfigId;
            WriteObject(i);
        }
        foreach (var g in result.SyncGroups) WriteObject(g);
        foreach (var s in result.Statics) WriteObject(s);
    }

    internal static void Report(PSCmdlet cmdlet, ConfigDiagnostic d)
    {
        string text = $"{d.File}:{d.Line}:{d.Column}: {d.Message}";
        switch (d.Severity)
        {
            case ConfigDiagnosticSeverity.Error:
                var rec = new ErrorRecord(new FormatException(text), d.ErrorId, ErrorCategory.ParserError, d.Token ?? d.File);
                rec.ErrorDetails = new ErrorDetails(text) { RecommendedAction = d.Message };
                cmdlet.WriteError(rec);
                break;
            case ConfigDiagnosticSeverity.Warning: if (!VrrpPS.Hosting.DaemonLog.TryWriteWarning($"{text} [{d.ErrorId}]")) { cmdlet.WriteWarning($"{text} [{d.ErrorId}]"); } break;
            default: cmdlet.WriteVerbose($"{text} [{d.ErrorId}]"); cmdlet.WriteInformation(new InformationRecord($"{text} [{d.ErrorId}]", d.ErrorId)); break;
        }
    }
}

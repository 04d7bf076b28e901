using System.Management.Automation;
using VrrpPS.Config;

namespace VrrpPS.Cmdlets;

/// <summary>Writes VRRP configuration objects as canonical keepalived.conf text (to -Path, or to the pipeline).</summary>
[Cmdlet(VerbsData.Export, "KeepalivedConfig", SupportsShouldProcess = true)]
[OutputType(typeof(string))]
public sealed class ExportKeepalivedConfigCommand : PSCmdlet
{
    private readonly List<object> _items = [];

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public PSObject[] InputObject { get; set; } = [];

    [Parameter(Position = 0)]
    public string? Path { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var o in InputObject)
        {
            object b = o.BaseObject;
            if (b is VrrpInstanceConfig or VrrpScriptConfig or VrrpSyncGroupConfig or VrrpTrackFileConfig or VrrpTrackProcessConfig
                or KeepalivedGlobalConfig or KeepalivedStaticConfig or KeepalivedParseResult)
                _items.Add(b);
            else
                WriteError(new ErrorRecord(new ArgumentException($"{b.GetType().FullName} is not a VrrpPS configuration object."),
                    "KeepalivedExportUnsupportedObject", ErrorCategory.InvalidArgument, b));
        }
    }

    protected override void EndProcessing()
    {
        string text = KeepalivedConfigWriter.Write(_items);
        if (Path is null) { WriteObject(text); return; }
        string target = GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(target, "Write keepalived.conf")) return;
        try { File.WriteAllText(target, text); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "KeepalivedExportWriteFailed", ErrorCategory.WriteError, target));
        }
    }
}

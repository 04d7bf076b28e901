using System.Management.Automation;
using VrrpPS.Config;

namespace VrrpPS.Cmdlets;

/// <summary>Writes VRRP configuration objects as keepalived.conf text (to -Path, atomically, or to the pipeline).</summary>
[Cmdlet(VerbsData.Export, "KeepalivedConfig", SupportsShouldProcess = true)]
[OutputType(typeof(string), typeof(KeepalivedExportResult))]
public sealed class ExportKeepalivedConfigCommand : PSCmdlet
{
    private readonly List<object> _items = [];

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public PSObject[] InputObject { get; set; } = [];

    [Parameter(Position = 0)]
    public string? Path { get; set; }

    /// <summary>Write every effective value instead of only what keepalived would not infer.</summary>
    [Parameter]
    public SwitchParameter Explicit { get; set; }

    /// <summary>Refuse to replace an existing file.</summary>
    [Parameter]
    [Alias("NoOverwrite")]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Replace a read-only file and create a missing directory.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Write an include tree as a tree: -Path gets the main file with its include lines, each included file its own objects.</summary>
    [Parameter]
    public SwitchParameter PreserveIncludes { get; set; }

    /// <summary>Return a <see cref="KeepalivedExportResult"/> for the file.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

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

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    protected override void EndProcessing()
    {
        var options = new KeepalivedWriteOptions { Explicit = Explicit.IsPresent };
        if (Path is null)
        {
            if (PreserveIncludes)
                ThrowTerminatingError(new ErrorRecord(new ArgumentException("-PreserveIncludes writes files: give -Path for the main file."),
                    "KeepalivedExportIncludesNeedPath", ErrorCategory.InvalidArgument, null));
            WriteObject(KeepalivedConfigWriter.Write(_items, options));
            return;
        }
        string main = GetUnresolvedProviderPathFromPSPath(Path);
        IReadOnlyList<(string Path, string Text)> files = [(main, "")];
        try { files = PreserveIncludes ? KeepalivedConfigWriter.WriteTree(_items, options, main) : [(main, KeepalivedConfigWriter.Write(_items, options))]; }
        catch (VrrpPS.Engine.VrrpEngineException ex) { ThrowTerminatingError(new ErrorRecord(ex, ex.ErrorId, ErrorCategory.InvalidOperation, ex.Target)); }
        // every file is checked before any is written, so a refusal leaves the whole tree as it was
        foreach (var (target, _) in files)
        {
            if (File.Exists(target) && NoClobber)
                ThrowTerminatingError(new ErrorRecord(new IOException($"'{target}' exists and -NoClobber was given; it is left unchanged."),
                    "KeepalivedExportFileExists", ErrorCategory.ResourceExists, target));
            if (!Force && AtomicConfigFile.IsReadOnly(target))
                ThrowTerminatingError(new ErrorRecord(new UnauthorizedAccessException($"'{target}' is read-only; use -Force to replace it."),
                    "KeepalivedExportReadOnly", ErrorCategory.PermissionDenied, target));
        }
        foreach (var (target, text) in files) WriteOne(target, text, createDirectory: Force || (PreserveIncludes && target != main));
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private void WriteOne(string target, string text, bool createDirectory)
    {
        string? dir = System.IO.Path.GetDirectoryName(target);
        bool changed = false;
        if (AtomicConfigFile.Differs(target, text))
        {
            if (ShouldProcess(target, "Write keepalived.conf"))
            {
                try
                {
                    if (createDirectory && dir is not null) Directory.CreateDirectory(dir);
                    changed = AtomicConfigFile.Write(target, text) == AtomicWriteOutcome.Written;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    ThrowTerminatingError(new ErrorRecord(ex, "KeepalivedExportWriteFailed", ErrorCategory.WriteError, target));
                }
            }
        }
        if (PassThru)
            WriteObject(new KeepalivedExportResult { Path = target, Changed = changed, File = File.Exists(target) ? new FileInfo(target) : null });
    }
}

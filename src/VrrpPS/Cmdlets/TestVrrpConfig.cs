using System.Management.Automation;
using VrrpPS.Config;

namespace VrrpPS.Cmdlets;

/// <summary>Cross-node consistency checks over the keepalived.conf files of one cluster (one file per node).</summary>
[Cmdlet(VerbsDiagnostic.Test, "VrrpConfig")]
[OutputType(typeof(VrrpConfigFinding))]
public sealed class TestVrrpConfigCommand : PSCmdlet
{
    private readonly List<VrrpNodeConfig> _nodes = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [SupportsWildcards]
    public string[] Path { get; set; } = [];

    [Parameter]
    public string? ConfigId { get; set; }

    protected override void ProcessRecord()
    {
        foreach (string p in Path)
        {
            System.Collections.ObjectModel.Collection<string> files;
            try { files = GetResolvedProviderPathFromPSPath(p, out _); }
            catch (Exception ex) when (ex is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException)
            {
                WriteError(new ErrorRecord(ex, "KeepalivedFileNotFound", ErrorCategory.ObjectNotFound, p));
                continue;
            }
            foreach (string f in files)
            {
                var r = KeepalivedConfigReader.Read(f, new KeepalivedReadOptions { ConfigId = ConfigId });
                foreach (var d in r.Diagnostics) ImportKeepalivedConfigCommand.Report(this, d);
                string node = r.Global.RouterId ?? System.IO.Path.GetFileNameWithoutExtension(f);
                _nodes.Add(new VrrpNodeConfig { Node = node, File = f, Config = r });
            }
        }
    }

    protected override void EndProcessing()
    {
        foreach (var finding in VrrpConfigValidator.Check(_nodes)) WriteObject(finding);
    }
}

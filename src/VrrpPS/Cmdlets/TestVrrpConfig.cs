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
        foreach (string f in CmdletSupport.ResolveFiles(this, Path))
        {
            var r = KeepalivedConfigReader.Read(f, new KeepalivedReadOptions { ConfigId = ConfigId });
            foreach (var d in r.Diagnostics) ImportKeepalivedConfigCommand.Report(this, d);
            string node = r.Global.RouterId ?? System.IO.Path.GetFileNameWithoutExtension(f);
            _nodes.Add(new VrrpNodeConfig { Node = node, File = f, Config = r });
        }
    }

    protected override void EndProcessing()
    {
        // two files with the same router_id (a copied global_defs) would otherwise look like one node
        foreach (var dup in _nodes.GroupBy(n => n.Node, StringComparer.Ordinal).Where(g => g.Count() > 1))
            foreach (var n in dup) n.Node = System.IO.Path.GetFileName(n.File);
        foreach (var finding in VrrpConfigValidator.Check(_nodes)) WriteObject(finding);
    }
}

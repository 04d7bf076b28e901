using System.Management.Automation;
using VrrpPS.Config;

namespace VrrpPS.Cmdlets;

/// <summary>
/// Cross-node consistency checks over the keepalived.conf files of one cluster (one file per node).
/// -Quiet answers only $true/$false (no records), for Ansible's validate: and scripts.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "VrrpConfig")]
[OutputType(typeof(VrrpConfigFinding), typeof(bool))]
public sealed class TestVrrpConfigCommand : PSCmdlet
{
    private readonly List<VrrpNodeConfig> _nodes = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [SupportsWildcards]
    public string[] Path { get; set; } = [];

    [Parameter]
    public string? ConfigId { get; set; }

    /// <summary>Only $true (no config error, no Error finding) or $false; nothing else is written.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    private bool _failed;

    protected override void ProcessRecord()
    {
        foreach (string f in Files())
        {
            var r = KeepalivedConfigReader.Read(f, new KeepalivedReadOptions { ConfigId = ConfigId });
            _failed |= r.HasErrors;
            if (!Quiet) foreach (var d in r.Diagnostics) ImportKeepalivedConfigCommand.Report(this, d);
            string node = r.Global.RouterId ?? System.IO.Path.GetFileNameWithoutExtension(f);
            _nodes.Add(new VrrpNodeConfig { Node = node, File = f, Config = r });
        }
    }

    protected override void EndProcessing()
    {
        // two files with the same router_id (a copied global_defs) would otherwise look like one node
        foreach (var dup in _nodes.GroupBy(n => n.Node, StringComparer.Ordinal).Where(g => g.Count() > 1))
            foreach (var n in dup) n.Node = System.IO.Path.GetFileName(n.File);
        var findings = VrrpConfigValidator.Check(_nodes);
        if (Quiet)
        {
            WriteObject(!_failed && _nodes.Count > 0 && !findings.Any(f => f.Severity == VrrpFindingSeverity.Error));
            return;
        }
        foreach (var finding in findings) WriteObject(finding);
    }

    private IEnumerable<string> Files()
    {
        if (!Quiet) return CmdletSupport.ResolveFiles(this, Path);
        var files = new List<string>();
        foreach (string p in Path)
        {
            try { files.AddRange(GetResolvedProviderPathFromPSPath(p, out _)); }
            catch (Exception ex) when (ex is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException)
            {
                _failed = true; // -Quiet: a missing file is a $false, not an error record
            }
        }
        return files;
    }
}

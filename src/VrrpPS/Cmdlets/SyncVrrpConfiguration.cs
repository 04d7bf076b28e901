using System.Management.Automation;
using VrrpPS.Config;
using VrrpPS.Engine;
using VrrpPS.Hosting;

namespace VrrpPS.Cmdlets;

/// <summary>
/// Converges the running daemon to a keepalived.conf: validates it here (file:line, nothing sent on
/// an error), asks the daemon what would change (a dry run it validates as a whole), then — unless
/// -WhatIf or nothing changes — applies it as a reload does (start, stop, restart, priority in place)
/// and makes the file the daemon's configuration. Emits one <see cref="VrrpSyncResult"/>.
/// </summary>
[Cmdlet(VerbsData.Sync, "VrrpConfiguration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(VrrpSyncResult))]
public sealed class SyncVrrpConfigurationCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ConfigId { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ControlSocket { get; set; }

    protected override void ProcessRecord()
    {
        var files = CmdletSupport.ResolveFiles(this, [Path]).ToList();
        if (files.Count != 1)
        {
            if (files.Count > 1)
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"'{Path}' matches {files.Count} files; Sync-VrrpConfiguration converges to one."),
                    "VrrpSyncAmbiguousPath", ErrorCategory.InvalidArgument, Path));
            }
            return; // the not-found error is written
        }
        string file = files[0];
        var read = KeepalivedConfigReader.Read(file, new KeepalivedReadOptions { ConfigId = ConfigId });
        foreach (var w in read.Diagnostics.Where(d => d.Severity == ConfigDiagnosticSeverity.Warning))
        {
            ImportKeepalivedConfigCommand.Report(this, w);
        }
        if (read.HasErrors)
        {
            var lines = read.Diagnostics.Where(d => d.Severity == ConfigDiagnosticSeverity.Error)
                .Select(d => $"{d.File}:{d.Line}:{d.Column}: {d.ErrorId}: {d.Message}");
            ThrowTerminatingError(new ErrorRecord(new FormatException(
                    $"{file} has errors; nothing was sent to the daemon:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", lines)),
                ControlErrorIds.SyncInvalidConfig, ErrorCategory.ParserError, file));
        }
        try
        {
            var client = EngineClient.ConnectDaemon(ControlSocket);
            var dryRun = Outcome(client.Sync(file, ConfigId, dryRun: true), file);
            var plan = VrrpSyncResult.From(dryRun, file, client.Where, whatIf: true);
            if (!plan.Changed)
            {
                WriteVerbose($"{client.Where} already runs {file}: nothing to change");
                bool whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && w is SwitchParameter { IsPresent: true };
                WriteObject(VrrpSyncResult.From(dryRun, file, client.Where, whatIf));
                return;
            }
            var changes = plan.Instances.Where(i => i.Action != VrrpSyncAction.Unchanged);
            if (!ShouldProcess($"VRRP daemon at {client.Where}", $"Converge to {file}: {string.Join(", ", changes)}"))
            {
                WriteObject(plan);
                return;
            }
            WriteObject(VrrpSyncResult.From(Outcome(client.Sync(file, ConfigId, dryRun: false), file), file, client.Where, whatIf: false));
        }
        catch (VrrpEngineException ex)
        {
            ThrowTerminatingError(CmdletSupport.ToErrorRecord(ex));
        }
    }

    private static ReloadResult Outcome(ReloadOutcome outcome, string file) =>
        outcome is { Succeeded: true, Result: { } r } ? r
        : throw new VrrpEngineException(outcome.ErrorId ?? DaemonReload.FailedErrorId, outcome.Message, file);
}

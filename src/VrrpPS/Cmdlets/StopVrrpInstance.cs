using System.Management.Automation;
using VrrpPS.Engine;
using VrrpPS.Hosting;
using VrrpPS.Cmdlets.Completion;

namespace VrrpPS.Cmdlets;

/// <summary>Gracefully stops instances: a master sends priority 0 and removes its virtual addresses.</summary>
[Cmdlet(VerbsLifecycle.Stop, "VrrpInstance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(VrrpInstanceState))]
public sealed class StopVrrpInstanceCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(InstanceNameCompleter))]
    public string[] Name { get; set; } = [];

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ControlSocket { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            var client = EngineClient.Connect(ControlSocket);
            var running = client.GetStates();
            foreach (string n in Name)
            {
                var pattern = CmdletSupport.Pattern(n)!;
                var targets = running.Where(s => pattern.IsMatch(s.Name)).ToList();
                if (targets.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(n))
                {
                    WriteError(CmdletSupport.ToErrorRecord(new VrrpEngineException(EngineErrorIds.InstanceNotFound,
                        $"No VRRP instance named '{n}' is running.", n)));
                }
                foreach (var t in targets)
                {
                    if (!ShouldProcess($"{t.Name} ({t.State}, VRID {t.VirtualRouterId} on {t.Interface})", "Stop VRRP instance"))
                    {
                        continue;
                    }
                    var stopped = client.Stop(t.Name);
                    if (PassThru)
                    {
                        WriteObject(stopped);
                    }
                }
            }
        }
        catch (VrrpEngineException ex)
        {
            ThrowTerminatingError(CmdletSupport.ToErrorRecord(ex));
        }
    }
}

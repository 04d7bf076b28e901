using System.Management.Automation;
using VrrpPS.Engine;
using VrrpPS.Hosting;
using VrrpPS.Cmdlets.Completion;

namespace VrrpPS.Cmdlets;

/// <summary>Changes a running instance's priority; the state machine reacts at once (preemption).</summary>
[Cmdlet(VerbsCommon.Set, "VrrpInstance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(VrrpInstanceState))]
public sealed class SetVrrpInstanceCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(InstanceNameCompleter))]
    public string Name { get; set; } = string.Empty;

    [Parameter(Mandatory = true)]
    [ValidateRange(1, 254)]
    public int Priority { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ControlSocket { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Name, $"Set VRRP priority to {Priority}"))
        {
            return;
        }
        try
        {
            var state = EngineClient.Connect(ControlSocket).SetPriority(Name, Priority);
            if (PassThru)
            {
                WriteObject(state);
            }
        }
        catch (VrrpEngineException ex)
        {
            WriteError(CmdletSupport.ToErrorRecord(ex));
        }
    }
}

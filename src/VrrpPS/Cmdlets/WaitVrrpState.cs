using System.Management.Automation;
using VrrpPS.Engine;
using VrrpPS.Hosting;
using VrrpPS.StateMachine;
using VrrpPS.Cmdlets.Completion;

namespace VrrpPS.Cmdlets;

/// <summary>Waits until an instance reaches a state; returns its state object, or fails after -Timeout seconds.</summary>
[Cmdlet(VerbsLifecycle.Wait, "VrrpState")]
[OutputType(typeof(VrrpInstanceState))]
public sealed class WaitVrrpStateCommand : PSCmdlet
{
    private readonly CancellationTokenSource _cancel = new();

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(InstanceNameCompleter))]
    public string Name { get; set; } = string.Empty;

    [Parameter(Mandatory = true, Position = 1)]
    public VrrpState State { get; set; }

    /// <summary>Seconds, like Wait-Job; -1 waits forever.</summary>
    [Parameter]
    [ValidateRange(-1, int.MaxValue)]
    public double Timeout { get; set; } = -1;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ControlSocket { get; set; }

    protected override void ProcessRecord()
    {
        StateWaiter.Outcome outcome = default;
        try
        {
            outcome = StateWaiter.WaitFor(ControlSocket, Name, State, Timeout, _cancel.Token);
        }
        catch (VrrpEngineException ex)
        {
            ThrowTerminatingError(CmdletSupport.ToErrorRecord(ex));
        }
        if (outcome.Reached)
        {
            WriteObject(outcome.Last);
        }
        else if (!outcome.Cancelled)
        {
            ThrowTerminatingError(CmdletSupport.ToErrorRecord(new VrrpEngineException(EngineErrorIds.WaitTimeout,
                $"({Name}) did not reach {State} within {Timeout} s; it is {outcome.Last?.State}.", Name)));
        }
    }

    protected override void StopProcessing() => _cancel.Cancel();
}

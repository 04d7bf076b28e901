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
        var deadline = Timeout < 0 ? DateTime.MaxValue : DateTime.UtcNow.AddSeconds(Timeout);
        VrrpInstanceState? last = null;
        try
        {
            var client = EngineClient.Connect(ControlSocket);
            while (!_cancel.IsCancellationRequested)
            {
                last = client.GetStates().FirstOrDefault(s => string.Equals(s.Name, Name, StringComparison.Ordinal))
                    ?? throw new VrrpEngineException(EngineErrorIds.InstanceNotFound, $"No VRRP instance named '{Name}' is running.", Name);
                if (last.State == State)
                {
                    WriteObject(last);
                    return;
                }
                if (DateTime.UtcNow >= deadline)
                {
                    break;
                }
                _cancel.Token.WaitHandle.WaitOne(client.IsRemote ? 50 : 10);
            }
        }
        catch (VrrpEngineException ex)
        {
            ThrowTerminatingError(CmdletSupport.ToErrorRecord(ex));
        }
        if (!_cancel.IsCancellationRequested)
        {
            ThrowTerminatingError(CmdletSupport.ToErrorRecord(new VrrpEngineException(EngineErrorIds.WaitTimeout,
                $"({Name}) did not reach {State} within {Timeout} s; it is {last?.State}.", Name)));
        }
    }

    protected override void StopProcessing() => _cancel.Cancel();
}

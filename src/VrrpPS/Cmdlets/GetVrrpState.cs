using System.Management.Automation;
using VrrpPS.Engine;
using VrrpPS.Hosting;
using VrrpPS.Cmdlets.Completion;

namespace VrrpPS.Cmdlets;

/// <summary>Shows the VRRP instances of this process's engine, or of a daemon through its control socket.</summary>
[Cmdlet(VerbsCommon.Get, "VrrpState")]
[OutputType(typeof(VrrpInstanceState))]
public sealed class GetVrrpStateCommand : PSCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(InstanceNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ControlSocket { get; set; }

    protected override void ProcessRecord()
    {
        IReadOnlyList<VrrpInstanceState> states;
        try
        {
            states = EngineClient.Connect(ControlSocket).GetStates();
        }
        catch (VrrpEngineException ex)
        {
            // Only "no daemon anywhere" (no socket file) is an empty result, like Get-Job; a daemon that
            // is there but cannot be asked (permissions, no answer) is an error: a monitoring check
            // must never read "all clear" while it is blind.
            if (Name is null && ex.ErrorId == EngineErrorIds.ControlSocketUnavailable && ControlSocket is null
                && !File.Exists(ControlProtocol.ResolvePath()))
            {
                WriteVerbose(ex.Message);
                return; // nothing runs anywhere: an empty result, like Get-Job
            }
            ThrowTerminatingError(CmdletSupport.ToErrorRecord(ex));
            return;
        }
        if (Name is null)
        {
            WriteObject(states, enumerateCollection: true);
            return;
        }
        foreach (string n in Name)
        {
            var pattern = CmdletSupport.Pattern(n)!;
            var matches = states.Where(s => pattern.IsMatch(s.Name)).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(n))
            {
                WriteError(CmdletSupport.ToErrorRecord(new VrrpEngineException(EngineErrorIds.InstanceNotFound,
                    $"No VRRP instance named '{n}' is running.", n)));
            }
            WriteObject(matches, enumerateCollection: true);
        }
    }
}

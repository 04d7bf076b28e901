using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using VrrpPS.Engine;
using VrrpPS.Hosting;

namespace VrrpPS.Cmdlets.Completion;

/// <summary>
/// Completes -Name with the instances of this process's engine, or of the daemon behind the
/// command's -ControlSocket (the default socket when none is typed). Tab completion never throws
/// and never waits long: a daemon that does not answer within <see cref="Timeout"/> offers nothing.
/// </summary>
public sealed class InstanceNameCompleter : IArgumentCompleter
{
    /// <summary>How long completion waits for a daemon's answer.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string? socket = fakeBoundParameters?["ControlSocket"] switch
        {
            PSObject { BaseObject: string s } => s,
            string s => s,
            _ => null,
        };
        // The socket round trip runs on a worker so that even a connect() that blocks cannot hold the prompt.
        var query = Task.Run(() => EngineClient.Connect(socket).GetStates(Timeout));
        try
        {
            if (!query.Wait(Timeout + TimeSpan.FromMilliseconds(200)))
            {
                return [];
            }
        }
        catch (AggregateException)
        {
            return []; // no engine, no socket, no permission: nothing to offer
        }
        return CompletionCandidates.Match(wordToComplete, query.Result.Select(s => (s.Name, ToolTip(s))));
    }

    private static string ToolTip(VrrpInstanceState s) =>
        $"{s.Name}: {s.State}, VRID {s.VirtualRouterId} on {s.Interface}, priority {s.EffectivePriority}";
}

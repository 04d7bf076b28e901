using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace VrrpPS.Cmdlets.Completion;

/// <summary>
/// Completes -Interface with the network interfaces of the current network namespace, as
/// /sys/class/net lists them (ip netns exec mounts the namespace's own sysfs there).
/// </summary>
public sealed class InterfaceNameCompleter : IArgumentCompleter
{
    internal const string SysClassNet = "/sys/class/net";

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string[] names;
        try
        {
            names = Directory.GetFileSystemEntries(SysClassNet).Select(Path.GetFileName).OfType<string>().ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        return CompletionCandidates.Match(wordToComplete, names.Select(n => (n, ToolTip(n))));
    }

    private static string ToolTip(string name)
    {
        try
        {
            string state = File.ReadAllText(Path.Combine(SysClassNet, name, "operstate")).Trim();
            string mac = File.ReadAllText(Path.Combine(SysClassNet, name, "address")).Trim();
            return $"{name}: {state} {mac}";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return name;
        }
    }
}

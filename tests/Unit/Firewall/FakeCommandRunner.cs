using VrrpPS.Firewall;

namespace VrrpPS.Tests.Firewall;

/// <summary>Records every (program, argument array, stdin) and answers from canned results keyed by the joined command line.</summary>
internal sealed class FakeCommandRunner : ICommandRunner
{
    private readonly Dictionary<string, Func<CommandResult>> _answers = new(StringComparer.Ordinal);

    public HashSet<string> Programs { get; } = ["nft", "iptables", "ip6tables"];

    public List<(string Program, string[] Args, string? Stdin)> Calls { get; } = [];

    public FakeCommandRunner On(string commandLine, int exit, string stdout = "", string stderr = "")
    {
        _answers[commandLine] = () => new CommandResult(exit, stdout, stderr);
        return this;
    }

    public FakeCommandRunner On(string commandLine, Func<CommandResult> answer)
    {
        _answers[commandLine] = answer;
        return this;
    }

    public bool Exists(string program) => Programs.Contains(program);

    public CommandResult Run(string program, IReadOnlyList<string> arguments, string? standardInput = null, TimeSpan? timeout = null)
    {
        if (!Programs.Contains(program))
        {
            throw FirewallException.ToolNotFound(program);
        }
        Calls.Add((program, arguments.ToArray(), standardInput));
        string key = program + " " + string.Join(' ', arguments);
        return _answers.TryGetValue(key, out Func<CommandResult>? answer)
            ? answer()
            : throw new InvalidOperationException("Unexpected command: " + key);
    }

    /// <summary>Calls that change state (everything except listings and queries).</summary>
    public IEnumerable<(string Program, string[] Args, string? Stdin)> Mutations => Calls.Where(c =>
        !(c.Args.Contains("-S") || c.Args.Contains("list") || c.Args.Any(a => a.StartsWith("--query", StringComparison.Ordinal))
          || c.Args.Contains("--state") || c.Args.Contains("--list-ports") || c.Args.Any(a => a.StartsWith("--get-zone", StringComparison.Ordinal))));
}

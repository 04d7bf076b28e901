namespace VrrpPS.Firewall;

/// <summary>
/// Runs a program with an argument array — never a shell string — so an interface name such as
/// <c>eth0; rm -rf /</c> can at worst be one wrong argument, never a second command.
/// Unit tests replace it with a fake that records the exact argument arrays.
/// </summary>
public interface ICommandRunner
{
    /// <summary>True when <paramref name="program"/> can be found (PATH, /usr/sbin, /sbin).</summary>
    bool Exists(string program);

    /// <summary>Runs the program; throws <see cref="FirewallException"/> (FirewallToolNotFound) when it does not exist.</summary>
    CommandResult Run(string program, IReadOnlyList<string> arguments, string? standardInput = null, TimeSpan? timeout = null);
}

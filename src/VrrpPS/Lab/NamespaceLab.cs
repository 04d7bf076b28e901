using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using VrrpPS.Platform.Linux;

namespace VrrpPS.Lab;

/// <summary>
/// A throw-away LAN made of network namespaces: <c>&lt;tag&gt;-br</c> holds bridge <c>br0</c>;
/// nodes <c>&lt;tag&gt;-n1..nN</c> each plug one veth (node side <see cref="InterfaceName"/>,
/// bridge side <c>v-nI</c>) into it; an optional client <c>&lt;tag&gt;-c</c>. Everything runs
/// through <c>ip</c> processes with argument arrays. Dispose removes every namespace of the tag
/// (after killing the processes inside), also after a half-finished Create.
/// </summary>
public sealed partial class NamespaceLab : IDisposable
{
    public const string BridgeName = "br0";
    public const string ClientAddress = "198.51.100.200";
    public const string ClientAddressIPv6 = "2001:db8::200";
    private const string Ip = "ip";

    private readonly List<Process> _processes = new();
    private readonly List<string> _nodeNamespaces = new();
    private readonly List<string[]> _nodeAddresses = new();
    private readonly LabOptions _options;
    private bool _disposed;

    private NamespaceLab(string tag, LabOptions options)
    {
        Tag = tag;
        _options = options;
    }

    /// <summary>Prefix of every namespace of this lab (namespaces are named "&lt;tag&gt;-…").</summary>
    public string Tag { get; }

    public string BridgeNamespace => $"{Tag}-br";

    /// <summary>Node namespaces in order (node 1 first).</summary>
    public string[] NodeNamespaces => _nodeNamespaces.ToArray();

    public int NodeCount => _nodeNamespaces.Count;

    /// <summary>The client namespace, or null when <see cref="LabOptions.Client"/> was not set.</summary>
    public string? ClientNamespace { get; private set; }

    public string InterfaceName => _options.InterfaceName;

    /// <summary>A random tag: "vp" + 4 lowercase letters/digits (6 characters).</summary>
    public static string NewTag()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        Span<char> c = stackalloc char[4];
        for (int i = 0; i < c.Length; i++)
        {
            c[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        }
        return "vp" + new string(c);
    }

    /// <summary>Builds the lab; on failure removes whatever was created and rethrows.</summary>
    public static NamespaceLab Create(int nodes, LabOptions? options = null)
    {
        options ??= new LabOptions();
        if (nodes < 1 || nodes > 40)
        {
            throw new ArgumentOutOfRangeException(nameof(nodes), "A lab has 1 to 40 nodes.");
        }
        string tag = options.Tag ?? NewTag();
        ValidateTag(tag);
        if (!InterfaceNameRegex().IsMatch(options.InterfaceName))
        {
            throw new ArgumentException($"'{options.InterfaceName}' is not a valid interface name (1-15 of [A-Za-z0-9_.-]).", nameof(options));
        }
        var lab = new NamespaceLab(tag, options);
        for (int i = 1; i <= nodes; i++)
        {
            lab._nodeAddresses.Add(DefaultAddresses(i, options));
        }
        try
        {
            lab.Build(nodes);
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    /// <summary>Namespace of node <paramref name="node"/> (1-based).</summary>
    public string NodeNamespace(int node) => _nodeNamespaces[CheckNode(node) - 1];

    /// <summary>CIDRs configured on node <paramref name="node"/> (1-based) at creation.</summary>
    public string[] NodeAddresses(int node) => (string[])_nodeAddresses[CheckNode(node) - 1].Clone();

    /// <summary>Runs argv inside namespace <paramref name="ns"/> (<c>ip netns exec</c>), waits with the command timeout.</summary>
    public LabExecResult Exec(string ns, params string[] argv)
    {
        CheckOwned(ns);
        if (argv is null || argv.Length == 0)
        {
            throw new ArgumentException("Give the program and its arguments.", nameof(argv));
        }
        return LabCommand.Run(Ip, ["netns", "exec", ns, .. argv], _options.CommandTimeout);
    }

    /// <summary>
    /// Starts a long-running program inside <paramref name="ns"/>. Its stdin/stdout/stderr are
    /// redirected (read them, or the pipe may fill); it is killed on Dispose.
    /// </summary>
    public Process StartProcess(string ns, params string[] argv)
    {
        CheckOwned(ns);
        if (argv is null || argv.Length == 0)
        {
            throw new ArgumentException("Give the program and its arguments.", nameof(argv));
        }
        Process p = ProcessLauncher.Start(new ProcessLauncher.Launch(Ip, ["netns", "exec", ns, .. argv]));
        lock (_processes)
        {
            _processes.Add(p);
        }
        return p;
    }

    /// <summary>
    /// Starts a long-running program in <paramref name="ns"/> whose stdout and stderr are copied to
    /// <paramref name="logPath"/> by background readers (a full pipe would otherwise block it).
    /// </summary>
    public Process StartLoggedProcess(string ns, string logPath, params string[] argv)
    {
        Process p = StartProcess(ns, argv);
        var log = new StreamWriter(new FileStream(logPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var gate = new object();
        int open = 2;
        void Pump(StreamReader reader) => Task.Run(async () =>
        {
            string? line;
            while ((line = await reader.ReadLineAsync().ConfigureAwait(false)) is not null)
            {
                lock (gate)
                {
                    log.WriteLine(line);
                }
            }
            if (Interlocked.Decrement(ref open) == 0)
            {
                lock (gate)
                {
                    log.Dispose();
                }
            }
        });
        Pump(p.StandardOutput);
        Pump(p.StandardError);
        return p;
    }

    /// <summary>Plugs node <paramref name="node"/>'s cable in or out: the bridge-side veth goes up/down,
    /// so the node's own interface gains/loses carrier.</summary>
    public void SetLinkUp(int node, bool up)
    {
        CheckNode(node);
        IpChecked("-n", BridgeNamespace, "link", "set", $"v-n{node}", up ? "up" : "down");
    }

    /// <summary>Addresses on <paramref name="ifname"/> in <paramref name="ns"/> as "address/prefix" (from <c>ip -j addr show</c>).</summary>
    public string[] AddressesOf(string ns, string ifname)
    {
        CheckOwned(ns);
        LabExecResult r = IpChecked("-n", ns, "-j", "addr", "show", "dev", ifname);
        var result = new List<string>();
        using JsonDocument doc = JsonDocument.Parse(r.StandardOutput.Length == 0 ? "[]" : r.StandardOutput);
        foreach (JsonElement link in doc.RootElement.EnumerateArray())
        {
            if (!link.TryGetProperty("addr_info", out JsonElement infos))
            {
                continue;
            }
            foreach (JsonElement info in infos.EnumerateArray())
            {
                if (info.TryGetProperty("local", out JsonElement local) && info.TryGetProperty("prefixlen", out JsonElement len))
                {
                    result.Add($"{local.GetString()}/{len.GetInt32()}");
                }
            }
        }
        return result.ToArray();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        lock (_processes)
        {
            foreach (Process p in _processes)
            {
                KillQuietly(p); // not disposed: the caller may still read its exit code/output
            }
            _processes.Clear();
        }
        CleanupStale(Tag);
    }

    /// <summary>
    /// Deletes every namespace named "&lt;tag&gt;-…" (leftovers of a crashed run), killing the
    /// processes inside first. Returns how many namespaces were removed.
    /// </summary>
    public static int CleanupStale(string tag)
    {
        ValidateTag(tag);
        int removed = 0;
        foreach (string ns in ListNamespaces())
        {
            if (!ns.StartsWith(tag + "-", StringComparison.Ordinal))
            {
                continue;
            }
            LabExecResult pids = LabCommand.Run(Ip, ["netns", "pids", ns], TimeSpan.FromSeconds(10));
            foreach (string line in pids.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (int.TryParse(line, out int pid) && pid != Environment.ProcessId)
                {
                    try
                    {
                        using Process p = Process.GetProcessById(pid);
                        KillQuietly(p);
                    }
                    catch (ArgumentException)
                    {
                        // already gone
                    }
                }
            }
            if (LabCommand.Run(Ip, ["netns", "del", ns], TimeSpan.FromSeconds(10)).Succeeded)
            {
                removed++;
            }
        }
        return removed;
    }

    /// <summary>Names from <c>ip netns list</c>.</summary>
    public static string[] ListNamespaces()
    {
        LabExecResult r = LabCommand.RunChecked(Ip, ["netns", "list"], TimeSpan.FromSeconds(10));
        return r.StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ')[0])
            .ToArray();
    }
}

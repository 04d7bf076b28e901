namespace VrrpPS.Lab;

/// <summary>How a <see cref="NamespaceLab"/> is laid out. Settable properties, so PowerShell can
/// build it with a hashtable cast: <c>[VrrpPS.Lab.LabOptions]@{ IPv6 = $true }</c>.</summary>
public sealed class LabOptions
{
    /// <summary>Name of each node's LAN interface (IFNAMSIZ: at most 15 characters).</summary>
    public string InterfaceName { get; set; } = "eth0";

    /// <summary>Per node (index 0 = node 1): comma-separated CIDRs replacing the default
    /// 198.51.100.(10+i)/24. Only documentation/benchmark ranges are accepted.</summary>
    public string[]? NodeAddresses { get; set; }

    /// <summary>Also give node i 2001:db8::(10+i)/64 (and the client 2001:db8::200/64).</summary>
    public bool IPv6 { get; set; }

    /// <summary>Add a client namespace <c>&lt;tag&gt;-c</c> at 198.51.100.200/24.</summary>
    public bool Client { get; set; }

    /// <summary>Namespace name prefix; null = a random one (see <see cref="NamespaceLab.NewTag"/>).</summary>
    public string? Tag { get; set; }

    /// <summary>Time limit for every command the lab runs (Exec and set-up).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(15);
}

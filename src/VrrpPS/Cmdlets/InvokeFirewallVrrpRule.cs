using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using VrrpPS.Firewall;
using VrrpPS.Cmdlets.Completion;

namespace VrrpPS.Cmdlets;

/// <summary>
/// Accepts VRRP (IP protocol 112 — never a TCP/UDP port) in the host firewall, idempotently.
/// Input is validated before any tool runs; tools get argument arrays (or nft JSON), never a shell string.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "FirewallVrrpRule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FirewallVrrpRuleResult))]
public sealed class InvokeFirewallVrrpRule : PSCmdlet
{
    /// <summary>Unit tests swap the process runner and the interface lookup.</summary>
    internal static Func<ICommandRunner> RunnerFactory { get; set; } = () => new ProcessCommandRunner();
    internal static Func<string, bool> InterfaceExists { get; set; } = FirewallInputValidator.InterfaceExists;

    private IFirewallProvider? _provider;

    [Parameter]
    public FirewallProviderKind Provider { get; set; } = FirewallProviderKind.Auto;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(InterfaceNameCompleter))]
    public string? Interface { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("UnicastPeer")]
    public object[]? Peer { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AddressFamilyTransformation]
    public VrrpAddressFamily? AddressFamily { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public object[]? VirtualIPAddress { get; set; }

    /// <summary>keepalived mcast_group4 (config property MulticastGroup4).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? MulticastGroup4 { get; set; }

    /// <summary>keepalived mcast_group6 (config property MulticastGroup6).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? MulticastGroup6 { get; set; }

    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    [Parameter]
    public SwitchParameter Remove { get; set; }

    [Parameter]
    public SwitchParameter Permanent { get; set; }

    [Parameter]
    public string? Zone { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (InputObject is not null && InputObject.Properties["Interface"] is null)
        {
            WriteVerbose($"Skipping pipeline object of type {InputObject.BaseObject.GetType().Name}: it has no Interface property.");
            return;
        }
        FirewallVrrpRequest request;
        try
        {
            request = BuildRequest();
        }
        catch (FirewallException ex)
        {
            WriteError(ex.ToErrorRecord());
            return;
        }
        try
        {
            _provider ??= FirewallProviderSelector.Create(Provider, RunnerFactory());
            FirewallPlan plan = _provider.Plan(request);
            if (plan.Provider != FirewallProviderKind.Firewalld && (Permanent || Zone is not null))
            {
                plan.Warnings.Add($"-Permanent and -Zone apply to firewalld only; {plan.Provider} ignores them (see the help on persistence).");
            }
            foreach (string w in plan.Warnings)
            {
                WriteWarning(w);
            }
            string caption = request.Remove ? "Remove VRRP firewall rule" : "Add VRRP firewall rule";
            var approved = plan.Changes.Where(c => ShouldProcess(c.Text, c.Text, caption)).ToList();
            _provider.Apply(approved);
            if (PassThru)
            {
                WriteObject(new FirewallVrrpRuleResult
                {
                    Provider = plan.Provider,
                    Changed = approved.Count > 0,
                    Action = approved.Count == 0 ? FirewallRuleAction.None : request.Remove ? FirewallRuleAction.Removed : FirewallRuleAction.Added,
                    Rules = [.. plan.Rules],
                    Warnings = [.. plan.Warnings],
                    Interface = request.Interface,
                    AddressFamily = request.AddressFamily,
                });
            }
        }
        catch (FirewallException ex)
        {
            ThrowTerminatingError(ex.ToErrorRecord());
        }
    }

    private FirewallVrrpRequest BuildRequest()
    {
        string? iface = string.IsNullOrEmpty(Interface) ? null : FirewallInputValidator.ValidateInterfaceName(Interface, InterfaceExists);
        var peers = (Peer ?? []).Select(p => FirewallInputValidator.ParsePeer(AddressText(p))).Distinct().ToList();
        string? zone = Zone is null ? null : FirewallInputValidator.ValidateZone(Zone);
        var groups = new List<IPAddress>();
        foreach ((string? text, System.Net.Sockets.AddressFamily fam) in new[] { (MulticastGroup4, System.Net.Sockets.AddressFamily.InterNetwork), (MulticastGroup6, System.Net.Sockets.AddressFamily.InterNetworkV6) })
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }
            IPAddress g = FirewallInputValidator.ParseMulticastGroup(text);
            groups.Add(g.AddressFamily == fam ? g : throw new FirewallException(FirewallErrorIds.InvalidMulticastGroup, ErrorCategory.InvalidArgument,
                $"'{text}' is not an {(fam == System.Net.Sockets.AddressFamily.InterNetwork ? "IPv4" : "IPv6")} multicast address.", text));
        }
        VrrpAddressFamily family = AddressFamily ?? InferFamily(peers);
        if (peers.Count > 0 && family != VrrpAddressFamily.Both)
        {
            AddressFamily wanted = family == VrrpAddressFamily.IPv4 ? System.Net.Sockets.AddressFamily.InterNetwork : System.Net.Sockets.AddressFamily.InterNetworkV6;
            if (!peers.Any(p => p.AddressFamily == wanted))
            {
                throw new FirewallException(FirewallErrorIds.PeerFamilyMismatch, ErrorCategory.InvalidArgument,
                    $"-AddressFamily {family} was given but no peer is an {family} address.", string.Join(",", peers));
            }
        }
        return new FirewallVrrpRequest
        {
            Interface = iface, Peers = peers, AddressFamily = family, MulticastGroups = groups, Remove = Remove, Permanent = Permanent, Zone = zone,
        };
    }

    /// <summary>No -AddressFamily: the peers' families, else the virtual addresses' families, else both.</summary>
    private VrrpAddressFamily InferFamily(List<IPAddress> peers)
    {
        IEnumerable<AddressFamily> families = peers.Count > 0
            ? peers.Select(p => p.AddressFamily)
            : (VirtualIPAddress ?? []).Select(v => IPAddress.TryParse(AddressText(v).Split('/', ' ')[0], out IPAddress? a) ? a.AddressFamily : System.Net.Sockets.AddressFamily.Unspecified);
        var set = families.Where(f => f != System.Net.Sockets.AddressFamily.Unspecified).ToHashSet();
        return set.Count == 1
            ? set.Contains(System.Net.Sockets.AddressFamily.InterNetwork) ? VrrpAddressFamily.IPv4 : VrrpAddressFamily.IPv6
            : VrrpAddressFamily.Both;
    }

    /// <summary>A string, an IPAddress, or an object with an Address property (config peers and VIPs).</summary>
    private static string AddressText(object? item)
    {
        object? o = item is PSObject ps ? ps.BaseObject : item;
        if (o is null or string or IPAddress)
        {
            return o?.ToString() ?? string.Empty;
        }
        // Look the property up on the PSObject wrapper: a PSCustomObject's note properties live there.
        PSPropertyInfo? address = (item as PSObject ?? PSObject.AsPSObject(o)).Properties["Address"];
        return address?.Value?.ToString() ?? o.ToString() ?? string.Empty;
    }
}

/// <summary>Lets pipeline objects carry the family as "inet"/"inet6", 4/6 or System.Net.Sockets.AddressFamily.</summary>
internal sealed class AddressFamilyTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? o = inputData is PSObject ps ? ps.BaseObject : inputData;
        return o switch
        {
            System.Net.Sockets.AddressFamily.InterNetwork => VrrpAddressFamily.IPv4,
            System.Net.Sockets.AddressFamily.InterNetworkV6 => VrrpAddressFamily.IPv6,
            4 => VrrpAddressFamily.IPv4,
            6 => VrrpAddressFamily.IPv6,
            string s when s.Equals("inet", StringComparison.OrdinalIgnoreCase) || s == "4" => VrrpAddressFamily.IPv4,
            string s when s.Equals("inet6", StringComparison.OrdinalIgnoreCase) || s == "6" => VrrpAddressFamily.IPv6,
            _ => inputData,
        };
    }
}

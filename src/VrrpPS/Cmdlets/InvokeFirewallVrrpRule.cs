using System.Management.Automation;
using System.Net;
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
            FirewallRequestBuilder.WarnAboutIgnoredOptions(plan, request);
            foreach (string w in plan.Warnings)
            {
                WriteWarning(w);
            }
            string caption = request.Remove ? "Remove VRRP firewall rule" : "Add VRRP firewall rule";
            var approved = plan.Changes.Where(c => ShouldProcess(c.Text, c.Text, caption)).ToList();
            _provider.Apply(approved);
            if (PassThru)
            {
                WriteObject(FirewallRequestBuilder.Result(plan, request, approved.Count));
            }
        }
        catch (FirewallException ex)
        {
            ThrowTerminatingError(ex.ToErrorRecord());
        }
    }

    private FirewallVrrpRequest BuildRequest() => FirewallRequestBuilder.Build(new FirewallRequestBuilder.Input
    {
        Interface = Interface,
        Peers = (Peer ?? []).Select(AddressText).ToList(),
        AddressFamily = AddressFamily,
        VirtualAddresses = (VirtualIPAddress ?? []).Select(AddressText).ToList(),
        MulticastGroup4 = MulticastGroup4,
        MulticastGroup6 = MulticastGroup6,
        Remove = Remove,
        Permanent = Permanent,
        Zone = Zone,
    }, InterfaceExists);

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

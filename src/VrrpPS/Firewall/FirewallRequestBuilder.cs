using System.Management.Automation;
using System.Net;
using System.Net.Sockets;

namespace VrrpPS.Firewall;

/// <summary>
/// Invoke-FirewallVrrpRule's parameters (as text) → a validated <see cref="FirewallVrrpRequest"/>, and the
/// request's plan → the result object. Every refusal is a <see cref="FirewallException"/> with a stable ErrorId,
/// raised before any firewall tool runs.
/// </summary>
internal static class FirewallRequestBuilder
{
    /// <summary>The parameters of one Invoke-FirewallVrrpRule call, addresses already turned into text.</summary>
    internal sealed record Input
    {
        public string? Interface { get; init; }
        public IReadOnlyList<string> Peers { get; init; } = [];
        public VrrpAddressFamily? AddressFamily { get; init; }
        public IReadOnlyList<string> VirtualAddresses { get; init; } = [];
        public string? MulticastGroup4 { get; init; }
        public string? MulticastGroup6 { get; init; }
        public bool Remove { get; init; }
        public bool Permanent { get; init; }
        public string? Zone { get; init; }
    }

    public static FirewallVrrpRequest Build(Input input, Func<string, bool> interfaceExists)
    {
        string? iface = string.IsNullOrEmpty(input.Interface) ? null : FirewallInputValidator.ValidateInterfaceName(input.Interface, interfaceExists);
        var peers = input.Peers.Select(FirewallInputValidator.ParsePeer).Distinct().ToList();
        string? zone = input.Zone is null ? null : FirewallInputValidator.ValidateZone(input.Zone);
        var groups = new List<IPAddress>();
        foreach ((string? text, AddressFamily fam) in new[] { (input.MulticastGroup4, AddressFamily.InterNetwork), (input.MulticastGroup6, AddressFamily.InterNetworkV6) })
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }
            IPAddress g = FirewallInputValidator.ParseMulticastGroup(text);
            groups.Add(g.AddressFamily == fam ? g : throw new FirewallException(FirewallErrorIds.InvalidMulticastGroup, ErrorCategory.InvalidArgument,
                $"'{text}' is not an {(fam == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} multicast address.", text));
        }
        VrrpAddressFamily family = input.AddressFamily ?? InferFamily(peers, input.VirtualAddresses);
        if (peers.Count > 0 && family != VrrpAddressFamily.Both)
        {
            AddressFamily wanted = family == VrrpAddressFamily.IPv4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
            if (!peers.Any(p => p.AddressFamily == wanted))
            {
                throw new FirewallException(FirewallErrorIds.PeerFamilyMismatch, ErrorCategory.InvalidArgument,
                    $"-AddressFamily {family} was given but no peer is an {family} address.", string.Join(",", peers));
            }
        }
        return new FirewallVrrpRequest
        {
            Interface = iface, Peers = peers, AddressFamily = family, MulticastGroups = groups, Remove = input.Remove, Permanent = input.Permanent, Zone = zone,
        };
    }

    /// <summary>Options the chosen provider ignores are a warning in the plan (firewalld alone has zones and a permanent configuration).</summary>
    public static void WarnAboutIgnoredOptions(FirewallPlan plan, FirewallVrrpRequest request)
    {
        if (plan.Provider != FirewallProviderKind.Firewalld && (request.Permanent || request.Zone is not null))
        {
            plan.Warnings.Add($"-Permanent and -Zone apply to firewalld only; {plan.Provider} ignores them (see the help on persistence).");
        }
    }

    /// <summary>What the call did, given the changes that were approved (ShouldProcess) and applied.</summary>
    public static FirewallVrrpRuleResult Result(FirewallPlan plan, FirewallVrrpRequest request, int appliedChanges) => new()
    {
        Provider = plan.Provider,
        Changed = appliedChanges > 0,
        Action = appliedChanges == 0 ? FirewallRuleAction.None : request.Remove ? FirewallRuleAction.Removed : FirewallRuleAction.Added,
        Rules = [.. plan.Rules],
        Warnings = [.. plan.Warnings],
        Interface = request.Interface,
        AddressFamily = request.AddressFamily,
    };

    /// <summary>No -AddressFamily: the peers' families, else the virtual addresses' families, else both.</summary>
    private static VrrpAddressFamily InferFamily(List<IPAddress> peers, IReadOnlyList<string> virtualAddresses)
    {
        IEnumerable<AddressFamily> families = peers.Count > 0
            ? peers.Select(p => p.AddressFamily)
            : virtualAddresses.Select(v => IPAddress.TryParse(v.Split('/', ' ')[0], out IPAddress? a) ? a.AddressFamily : AddressFamily.Unspecified);
        var set = families.Where(f => f != AddressFamily.Unspecified).ToHashSet();
        return set.Count == 1
            ? set.Contains(AddressFamily.InterNetwork) ? VrrpAddressFamily.IPv4 : VrrpAddressFamily.IPv6
            : VrrpAddressFamily.Both;
    }
}

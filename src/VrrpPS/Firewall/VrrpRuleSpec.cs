using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace VrrpPS.Firewall;

/// <summary>
/// One VRRP accept rule, independent of the back end: a family, an optional interface, and
/// either the multicast group (RFC 5798 §5.1.1.2 / §5.1.2.2: 224.0.0.18, ff02::12) or a peer list.
/// The tag comment identifies exactly this rule, so -Remove deletes what was added and nothing else.
/// </summary>
public sealed record VrrpRuleSpec(AddressFamily Family, string? Interface, IReadOnlyList<IPAddress> Peers, IPAddress? Group = null)
{
    public const string TagPrefix = "vrrpps:";
    public const int VrrpProtocol = 112;
    public static readonly IPAddress MulticastV4 = IPAddress.Parse("224.0.0.18");
    public static readonly IPAddress MulticastV6 = IPAddress.Parse("ff02::12");

    public bool IsV4 => Family == AddressFamily.InterNetwork;
    public string FamilyTag => IsV4 ? "v4" : "v6";
    /// <summary>The group adverts go to: keepalived mcast_group4/6 when set, else the RFC group.</summary>
    public IPAddress MulticastGroup => Group ?? (IsV4 ? MulticastV4 : MulticastV6);

    /// <summary><c>vrrpps:v4:eth0:1a2b3c4d</c> — short, no spaces or quotes (safe in every tool's listing).</summary>
    public string Comment
    {
        get
        {
            // A custom group is appended only when set, so default-group tags stay as earlier versions wrote them.
            string canonical = FamilyTag + "|" + (Interface ?? "*") + "|" + string.Join(',', Peers.Select(p => p.ToString()))
                + (Group is null || Peers.Count > 0 ? "" : "|" + Group);
            byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
            return TagPrefix + FamilyTag + ":" + (Interface ?? "any") + ":" + Convert.ToHexString(hash, 0, 4).ToLowerInvariant();
        }
    }

    /// <summary>Specs for a request: one per family (peers of that family), or one per peer when <paramref name="perPeer"/>.</summary>
    public static IReadOnlyList<VrrpRuleSpec> FromRequest(FirewallVrrpRequest request, bool perPeer = false)
    {
        var specs = new List<VrrpRuleSpec>();
        foreach (AddressFamily family in Families(request.AddressFamily))
        {
            IPAddress[] peers = request.Peers.Where(p => p.AddressFamily == family)
                .OrderBy(p => p.ToString(), StringComparer.Ordinal).ToArray();
            if (request.Peers.Count > 0 && peers.Length == 0)
            {
                continue; // unicast peers given, none of this family: nothing to accept for it
            }
            if (perPeer && peers.Length > 1)
            {
                specs.AddRange(peers.Select(p => new VrrpRuleSpec(family, request.Interface, [p], GroupOf(request, family))));
            }
            else
            {
                specs.Add(new VrrpRuleSpec(family, request.Interface, peers, GroupOf(request, family)));
            }
        }
        return specs;
    }

    private static IPAddress? GroupOf(FirewallVrrpRequest request, AddressFamily family) =>
        request.MulticastGroups.FirstOrDefault(g => g.AddressFamily == family);

    private static IEnumerable<AddressFamily> Families(VrrpAddressFamily f) => f switch
    {
        VrrpAddressFamily.IPv4 => [AddressFamily.InterNetwork],
        VrrpAddressFamily.IPv6 => [AddressFamily.InterNetworkV6],
        _ => [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6],
    };
}

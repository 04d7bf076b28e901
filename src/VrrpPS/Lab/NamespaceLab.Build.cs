using System.Diagnostics;
using System.Text.RegularExpressions;

namespace VrrpPS.Lab;

public sealed partial class NamespaceLab
{
    [GeneratedRegex("^[A-Za-z0-9_.-]{1,15}$")]
    private static partial Regex InterfaceNameRegex();

    [GeneratedRegex("^[a-z0-9]{3,12}$")]
    private static partial Regex TagRegex();

    private void Build(int nodes)
    {
        IpChecked("netns", "add", BridgeNamespace);
        IpChecked("-n", BridgeNamespace, "link", "set", "lo", "up");
        // No multicast snooping: VRRP groups (224.0.0.18, ff02::12) must flood without a querier.
        IpChecked("-n", BridgeNamespace, "link", "add", BridgeName, "type", "bridge", "mcast_snooping", "0", "stp_state", "0");
        IpChecked("-n", BridgeNamespace, "link", "set", BridgeName, "up");
        for (int i = 1; i <= nodes; i++)
        {
            string ns = $"{Tag}-n{i}";
            AddMember(ns, $"v-n{i}", _nodeAddresses[i - 1]);
            _nodeNamespaces.Add(ns);
        }
        if (_options.Client)
        {
            string ns = $"{Tag}-c";
            var addresses = new List<string> { ClientAddress + "/24" };
            if (_options.IPv6)
            {
                addresses.Add(ClientAddressIPv6 + "/64");
            }
            AddMember(ns, "v-c", addresses.ToArray());
            ClientNamespace = ns;
        }
    }

    private void AddMember(string ns, string bridgePort, string[] addresses)
    {
        string ifname = _options.InterfaceName;
        IpChecked("netns", "add", ns);
        // Addresses in a lab must work at once: no duplicate address detection delay.
        LabCommand.RunChecked(Ip, ["netns", "exec", ns, "sysctl", "-q", "-w",
            "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0"], _options.CommandTimeout);
        IpChecked("-n", BridgeNamespace, "link", "add", bridgePort, "type", "veth", "peer", "name", ifname, "netns", ns);
        IpChecked("-n", BridgeNamespace, "link", "set", bridgePort, "master", BridgeName, "up");
        IpChecked("-n", ns, "link", "set", "lo", "up");
        foreach (string cidr in addresses)
        {
            if (cidr.Contains(':'))
            {
                IpChecked("-n", ns, "addr", "add", cidr, "dev", ifname, "nodad");
            }
            else
            {
                IpChecked("-n", ns, "addr", "add", cidr, "dev", ifname);
            }
        }
        IpChecked("-n", ns, "link", "set", ifname, "up");
    }

    private static string[] DefaultAddresses(int node, LabOptions options)
    {
        var list = new List<string>();
        string[]? custom = options.NodeAddresses;
        if (custom is not null && node <= custom.Length && !string.IsNullOrWhiteSpace(custom[node - 1]))
        {
            list.AddRange(custom[node - 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        else
        {
            list.Add($"198.51.100.{10 + node}/24");
        }
        if (options.IPv6)
        {
            list.Add($"2001:db8::{10 + node}/64");
        }
        foreach (string cidr in list)
        {
            if (!LabCommand.IsAllowedLabAddress(cidr))
            {
                throw new ArgumentException(
                    $"'{cidr}' is not allowed in a lab (use 198.51.100.0/24, 203.0.113.0/24, 198.18.0.0/15, 2001:db8::/32 or fe80::/10 with a prefix length).",
                    nameof(options));
            }
        }
        return list.ToArray();
    }

    private LabExecResult IpChecked(params string[] args) => LabCommand.RunChecked(Ip, args, _options.CommandTimeout);

    private int CheckNode(int node)
    {
        if (node < 1 || node > _nodeNamespaces.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(node), $"Nodes are numbered 1..{_nodeNamespaces.Count}.");
        }
        return node;
    }

    private void CheckOwned(string ns)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (ns != BridgeNamespace && ns != ClientNamespace && !_nodeNamespaces.Contains(ns))
        {
            throw new ArgumentException($"'{ns}' is not a namespace of lab {Tag}.", nameof(ns));
        }
    }

    private static void ValidateTag(string tag)
    {
        if (tag is null || !TagRegex().IsMatch(tag))
        {
            throw new ArgumentException($"Lab tag '{tag}' must be 3-12 lowercase letters or digits.", nameof(tag));
        }
    }

    private static void KillQuietly(Process p)
    {
        try
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit(2000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }
}

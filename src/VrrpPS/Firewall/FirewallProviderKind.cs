using System.Management.Automation;
using System.Net;

namespace VrrpPS.Firewall;

public enum FirewallProviderKind { Auto, Nftables, Iptables, Firewalld }

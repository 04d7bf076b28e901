namespace VrrpPS.Firewall;

public enum FirewallProviderKind { Auto, Nftables, Iptables, Firewalld }

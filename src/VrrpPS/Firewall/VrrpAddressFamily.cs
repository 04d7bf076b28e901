namespace VrrpPS.Firewall;

public enum VrrpAddressFamily { IPv4, IPv6, Both }

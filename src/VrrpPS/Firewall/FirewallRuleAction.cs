namespace VrrpPS.Firewall;

public enum FirewallRuleAction { None, Added, Removed }

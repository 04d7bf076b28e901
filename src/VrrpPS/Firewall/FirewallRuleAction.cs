using System.Management.Automation;
using System.Net;

namespace VrrpPS.Firewall;

public enum FirewallRuleAction { None, Added, Removed }

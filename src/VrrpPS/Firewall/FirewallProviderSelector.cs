using System.Management.Automation;

namespace VrrpPS.Firewall;

/// <summary>Creates providers and resolves -Provider Auto.</summary>
public static class FirewallProviderSelector
{
    public static IFirewallProvider Create(FirewallProviderKind kind, ICommandRunner runner) => kind switch
    {
        FirewallProviderKind.Nftables => new NftablesProvider(runner),
        FirewallProviderKind.Iptables => new IptablesProvider(runner),
        FirewallProviderKind.Firewalld => new FirewalldProvider(runner),
        _ => Detect(runner),
    };

    /// <summary>
    /// firewalld running ⇒ firewalld; else nftables with its own input base chain ⇒ nftables;
    /// else iptables filtering INPUT ⇒ iptables; else whichever tool exists (nft first).
    /// </summary>
    public static IFirewallProvider Detect(ICommandRunner runner)
    {
        var firewalld = new FirewalldProvider(runner);
        if (runner.Exists(FirewalldProvider.Program) && firewalld.IsRunning())
        {
            return firewalld;
        }
        var nft = new NftablesProvider(runner);
        if (nft.IsInUse())
        {
            return nft;
        }
        var ipt = new IptablesProvider(runner);
        if (ipt.IsInUse())
        {
            return ipt;
        }
        if (nft.IsAvailable())
        {
            return nft;
        }
        if (ipt.IsAvailable())
        {
            return ipt;
        }
        throw new FirewallException(FirewallErrorIds.ToolNotFound, ErrorCategory.ObjectNotFound,
            "No firewall tool found (firewall-cmd, nft, iptables). Install one or choose -Provider explicitly.", "Auto");
    }
}

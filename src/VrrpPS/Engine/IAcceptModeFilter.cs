using VrrpPS.Protocol;

namespace VrrpPS.Engine;

/// <summary>RFC 5798 §6.4.3 Accept_Mode false: a non-owner Master drops packets addressed to its VIPs.</summary>
public interface IAcceptModeFilter
{
    /// <summary>Drops traffic to <paramref name="addresses"/> (except IPv6 neighbour discovery); replaces
    /// what was installed for <paramref name="instance"/> before (idempotent).</summary>
    void Block(string instance, IReadOnlyList<IpAddressValue> addresses);

    /// <summary>Removes what <see cref="Block"/> installed for the instance; nothing installed is not an error.</summary>
    void Unblock(string instance);
}

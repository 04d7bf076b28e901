
namespace VrrpPS.Config;

/// <summary>One `unicast_peer` entry.</summary>
public sealed class VrrpUnicastPeer
{
    public string Address { get; set; } = "";
    public int? MinTtl { get; set; }
    public int? MaxTtl { get; set; }
}

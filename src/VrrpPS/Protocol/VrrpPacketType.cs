namespace VrrpPS.Protocol;

/// <summary>VRRP message type (only ADVERTISEMENT exists).</summary>
public enum VrrpPacketType : byte
{
    Advertisement = 1,
}

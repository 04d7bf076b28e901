namespace VrrpPS.Protocol;

public enum VrrpVersion : byte
{
    V2 = 2,
    V3 = 3,
}

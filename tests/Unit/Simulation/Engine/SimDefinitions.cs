using VrrpPS.Engine;
using VrrpPS.Engine.Tracking;
using VrrpPS.Protocol;

namespace VrrpPS.Tests.Simulation.Engine;

/// <summary>Instance definitions and raw adverts for simulated-engine tests.</summary>
internal static class SimDefinitions
{
    public const string Vip = "198.51.100.100";

    public static InstanceDefinition Instance(string name = "VI_1", int priority = 100, int vrid = 51, int intervalCs = 10,
        string vip = Vip, VrrpVersion version = VrrpVersion.V3) => new()
    {
        Name = name,
        InterfaceName = "eth0",
        VirtualRouterId = vrid,
        Priority = priority,
        Version = version,
        AdvertisementIntervalCentiseconds = intervalCs,
        GarpSecondBurstDelaySeconds = 0,
        VirtualAddresses = [new VirtualAddressSpec(IpAddressValue.Parse(vip), vip.Contains(':') ? 64 : 24)],
    };

    public static TrackScriptDefinition Script(string program, int weight, double interval = 0.2, int rise = 1, int fall = 1) => new()
    {
        Name = Path.GetFileName(program),
        Command = [program],
        IntervalSeconds = interval,
        Weight = weight,
        Rise = rise,
        Fall = fall,
    };

    /// <summary>A valid v3 IPv4 advert as another router would send it.</summary>
    public static byte[] Advert(string source, string destination, byte priority, int vrid = 51, int intervalCs = 10, string vip = Vip)
    {
        var buffer = new byte[64];
        var fields = new AdvertisementFields
        {
            Version = VrrpVersion.V3,
            VirtualRouterId = (byte)vrid,
            Priority = priority,
            AdvertisementIntervalCentiseconds = intervalCs,
        };
        int n = VrrpCodec.WriteAdvertisement(buffer, in fields, [IpAddressValue.Parse(vip)], IpAddressValue.Parse(source),
            IpAddressValue.Parse(destination), V3ChecksumMode.PseudoHeader);
        return buffer[..n];
    }
}

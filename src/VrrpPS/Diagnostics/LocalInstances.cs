using VrrpPS.Engine;
using VrrpPS.Hosting;

namespace VrrpPS.Diagnostics;

/// <summary>The VRRP instances of this host (this process's engine, else the daemon's control socket).</summary>
internal static class LocalInstances
{
    public static IReadOnlyList<VrrpInstanceState> TryGetStates(string? controlSocket, out string? why)
    {
        why = null;
        try
        {
            return EngineClient.Connect(controlSocket).GetStates();
        }
        catch (VrrpEngineException ex)
        {
            why = ex.Message;
            return [];
        }
    }

    public static IEnumerable<LocalInstanceInfo> ToInfo(IEnumerable<VrrpInstanceState> states) =>
        states.Select(s => new LocalInstanceInfo(s.Name, s.Interface, s.VirtualRouterId,
            s.VirtualIPAddress.Length > 0 && s.VirtualIPAddress[0].Contains(':') ? "IPv6" : "IPv4", s.VirtualIPAddress));
}

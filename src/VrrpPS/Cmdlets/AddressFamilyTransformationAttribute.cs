using System.Management.Automation;
using VrrpPS.Firewall;

namespace VrrpPS.Cmdlets;

/// <summary>Lets pipeline objects carry the family as "inet"/"inet6", 4/6 or System.Net.Sockets.AddressFamily.</summary>
internal sealed class AddressFamilyTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? o = inputData is PSObject ps ? ps.BaseObject : inputData;
        return o switch
        {
            System.Net.Sockets.AddressFamily.InterNetwork => VrrpAddressFamily.IPv4,
            System.Net.Sockets.AddressFamily.InterNetworkV6 => VrrpAddressFamily.IPv6,
            4 => VrrpAddressFamily.IPv4,
            6 => VrrpAddressFamily.IPv6,
            string s when s.Equals("inet", StringComparison.OrdinalIgnoreCase) || s == "4" => VrrpAddressFamily.IPv4,
            string s when s.Equals("inet6", StringComparison.OrdinalIgnoreCase) || s == "6" => VrrpAddressFamily.IPv6,
            _ => inputData,
        };
    }
}

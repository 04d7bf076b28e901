using VrrpPS.Engine;
using VrrpPS.Protocol;

namespace VrrpPS.Hosting;

/// <summary>Start-VrrpInstance parameters → an engine <see cref="InstanceDefinition"/>.</summary>
internal static class ParameterDefinitionBuilder
{
    public static InstanceDefinition Build(StartParameters p)
    {
        var version = p.Version == 2 ? VrrpVersion.V2 : VrrpVersion.V3;
        return new InstanceDefinition
        {
            Name = p.Name,
            InterfaceName = p.Interface,
            VirtualRouterId = p.VirtualRouterId,
            Priority = p.Priority,
            Version = version,
            AdvertisementIntervalCentiseconds = IntervalToCentiseconds(p.AdvertisementInterval, version, p.Name),
            VirtualAddresses = p.VirtualIPAddress.Select(VirtualAddressParser.Parse).ToList(),
            ExcludedAddresses = (p.ExcludedIPAddress ?? []).Select(VirtualAddressParser.Parse).ToList(),
            UnicastPeers = (p.UnicastPeer ?? []).Select(a => AddressParser.Parse(a, "unicast peer")).ToList(),
            SourceAddress = p.UnicastSourceAddress is null ? default : AddressParser.Parse(p.UnicastSourceAddress, "unicast source address"),
            AuthenticationPassword = string.IsNullOrEmpty(p.AuthenticationPassword) ? null : p.AuthenticationPassword,
            Preempt = !p.NoPreempt,
            PreemptDelaySeconds = p.PreemptDelay,
            ChecksumMode = p.V3ChecksumAsV2 ? V3ChecksumMode.NoPseudoHeader : V3ChecksumMode.PseudoHeader,
            AcceptMode = p.AcceptMode,
            UseVirtualMac = p.UseVirtualMac || p.VirtualMacName is not null || p.VirtualMacTransmitBase,
            VirtualMacName = p.VirtualMacName,
            VirtualMacTransmitBase = p.VirtualMacTransmitBase,
            Source = "Start-VrrpInstance parameters",
        };
    }

    /// <summary>Seconds → centiseconds; must be exact (v2 whole seconds, v3 10 ms steps).</summary>
    public static int IntervalToCentiseconds(double seconds, VrrpVersion version, string name)
    {
        double cs = seconds * 100;
        int rounded = (int)Math.Round(cs);
        bool exact = Math.Abs(cs - rounded) < 1e-6 && (version == VrrpVersion.V3 || rounded % 100 == 0);
        if (!exact || double.IsNaN(seconds) || rounded < 1)
        {
            string rule = version == VrrpVersion.V2 ? "whole seconds from 1 to 255" : "0.01 to 40.95 s in steps of 0.01 s";
            throw new VrrpEngineException(EngineErrorIds.IntervalOutOfRange,
                $"({name}) advertisement interval {seconds} s is not valid for VRRPv{(int)version}: {rule}.", seconds);
        }
        return rounded;
    }
}

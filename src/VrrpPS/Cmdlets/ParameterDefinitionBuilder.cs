using VrrpPS.Engine;
using VrrpPS.Protocol;

namespace VrrpPS.Cmdlets;

/// <summary>Start-VrrpInstance parameters → an engine <see cref="InstanceDefinition"/>.</summary>
internal static class ParameterDefinitionBuilder
{
    public static InstanceDefinition Build(StartVrrpInstanceCommand c)
    {
        var version = c.Version == 2 ? VrrpVersion.V2 : VrrpVersion.V3;
        return new InstanceDefinition
        {
            Name = c.Name,
            InterfaceName = c.Interface,
            VirtualRouterId = c.VirtualRouterId,
            Priority = c.Priority,
            Version = version,
            AdvertisementIntervalCentiseconds = IntervalToCentiseconds(c.AdvertisementInterval, version, c.Name),
            VirtualAddresses = c.VirtualIPAddress.Select(VirtualAddressParser.Parse).ToList(),
            ExcludedAddresses = (c.ExcludedIPAddress ?? []).Select(VirtualAddressParser.Parse).ToList(),
            UnicastPeers = (c.UnicastPeer ?? []).Select(p => AddressParser.Parse(p, "unicast peer")).ToList(),
            SourceAddress = c.UnicastSourceAddress is null ? default : AddressParser.Parse(c.UnicastSourceAddress, "unicast source address"),
            AuthenticationPassword = string.IsNullOrEmpty(c.AuthenticationPassword) ? null : c.AuthenticationPassword,
            Preempt = !c.NoPreempt,
            PreemptDelaySeconds = c.PreemptDelay,
            ChecksumMode = c.V3ChecksumAsV2 ? V3ChecksumMode.NoPseudoHeader : V3ChecksumMode.PseudoHeader,
            AcceptMode = c.AcceptMode.IsPresent,
            UseVirtualMac = c.UseVirtualMac.IsPresent || c.VirtualMacName is not null || c.VirtualMacTransmitBase.IsPresent,
            VirtualMacName = c.VirtualMacName,
            VirtualMacTransmitBase = c.VirtualMacTransmitBase.IsPresent,
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

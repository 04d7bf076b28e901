using VrrpPS.StateMachine;

namespace VrrpPS.Engine;

internal static class RouterOptionsFactory
{
    public static VirtualRouterOptions Create(ResolvedInstance r)
    {
        var d = r.Definition;
        return new VirtualRouterOptions
        {
            VirtualRouterId = (byte)d.VirtualRouterId,
            Priority = (byte)d.Priority,
            Version = d.Version,
            AdvertisementIntervalCentiseconds = d.AdvertisementIntervalCentiseconds,
            Preempt = d.Preempt,
            PreemptDelayMicroseconds = (long)(d.PreemptDelaySeconds * 1_000_000),
            PrimaryAddress = r.SourceAddress,
            IsAddressOwner = r.IsAddressOwner,
            LowerPriorityNoAdvert = d.LowerPriorityNoAdvert,
        };
    }
}

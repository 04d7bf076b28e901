using VrrpPS.Protocol;

namespace VrrpPS.StateMachine;

/// <summary>
/// An advert already validated by the codec (TTL, checksum, VRID, version, auth).
/// For VRRPv2 the codec converts the interval from seconds to centiseconds (×100).
/// </summary>
public readonly record struct ReceivedAdvertisement(byte Priority, int AdvertisementIntervalCentiseconds, IpAddressValue Source);

using System.Buffers.Binary;
using System.Net.Sockets;

namespace VrrpPS.Protocol;

/// <summary>
/// A read-only view over a structurally valid VRRP message (no copy, no allocation). Obtained
/// from <see cref="VrrpCodec.TryRead"/> or <see cref="VrrpCodec.TryParse"/>; a
/// <c>default</c> instance (<see cref="IsEmpty"/>) has no message and its fields must not be read.
/// Layouts: RFC 3768 §5.1 (v2) and RFC 5798/9568 §5.1 (v3).
/// </summary>
public readonly ref struct VrrpAdvertisement
{
    private readonly ReadOnlySpan<byte> _message;

    internal VrrpAdvertisement(ReadOnlySpan<byte> message, AddressFamily family)
    {
        _message = message;
        Family = family;
    }

    public bool IsEmpty => _message.IsEmpty;
    /// <summary>The whole VRRP message (IP payload).</summary>
    public ReadOnlySpan<byte> Message => _message;
    public AddressFamily Family { get; }

    /// <summary>High nibble of byte 0 (RFC 3768 §5.3.1, RFC 5798 §5.2.1).</summary>
    public VrrpVersion Version => (VrrpVersion)(_message[0] >> 4);
    /// <summary>Low nibble of byte 0; 1 = ADVERTISEMENT.</summary>
    public VrrpPacketType Type => (VrrpPacketType)(_message[0] & 0x0F);
    public byte VirtualRouterId => _message[1];
    public byte Priority => _message[2];
    public int AddressCount => _message[3];

    private bool IsV2 => Version == VrrpVersion.V2;

    /// <summary>v2 Auth Type (byte 4); always None for v3, which has no authentication.</summary>
    public VrrpAuthType AuthType => IsV2 ? (VrrpAuthType)_message[4] : VrrpAuthType.None;

    /// <summary>v3 only: the 4 reserved bits before Max Adver Int (must be sent as 0).</summary>
    public int Reserved => IsV2 ? 0 : _message[4] >> 4;

    /// <summary>The interval field as sent: v2 seconds (8 bits), v3 centiseconds (12 bits).</summary>
    public int RawInterval => IsV2 ? _message[5] : ((_message[4] & 0x0F) << 8) | _message[5];

    /// <summary>Interval in centiseconds for both versions (v2 seconds ×100) so callers compare one unit.</summary>
    public int AdvertisementIntervalCentiseconds => IsV2 ? _message[5] * 100 : RawInterval;

    public TimeSpan AdvertisementInterval => TimeSpan.FromMilliseconds(AdvertisementIntervalCentiseconds * 10);

    /// <summary>Checksum field as received (bytes 6–7).</summary>
    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_message[6..]);

    /// <summary>4 for IPv4, 16 for IPv6.</summary>
    public int AddressLength => Family == AddressFamily.InterNetworkV6 ? 16 : 4;

    /// <summary>The raw address list (Count × address length bytes).</summary>
    public ReadOnlySpan<byte> AddressBytes => _message.Slice(VrrpCodec.HeaderLength, AddressCount * AddressLength);

    /// <summary>The i-th IPvX address (0-based).</summary>
    public IpAddressValue GetAddress(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, AddressCount);
        int len = AddressLength;
        return IpAddressValue.FromBytes(_message.Slice(VrrpCodec.HeaderLength + index * len, len));
    }

    /// <summary>v2: the 8 Authentication Data bytes (RFC 3768 §5.3.10); v3: empty.</summary>
    public ReadOnlySpan<byte> AuthData =>
        IsV2 ? _message.Slice(VrrpCodec.HeaderLength + AddressCount * 4, VrrpPassword.Length) : default;
}

using System.Buffers.Binary;
using System.Text;

namespace VrrpPS.Protocol;

/// <summary>
/// The 8-byte VRRPv2 simple-text Authentication Data (RFC 3768 §5.3.10) as a value. Like
/// keepalived's <c>auth_pass</c>, a longer password is truncated to 8 bytes and a shorter one is
/// padded with zero bytes, so "secret123" and "secret12" are the same key on the wire.
/// </summary>
public readonly struct VrrpPassword : IEquatable<VrrpPassword>
{
    public const int Length = 8;

    // The 8 bytes in network order, read as one big-endian number.
    private readonly ulong _value;

    private VrrpPassword(ulong value) => _value = value;

    /// <summary>All zero bytes (what auth type 0 sends).</summary>
    public static VrrpPassword Empty => default;

    public bool IsEmpty => _value == 0;

    /// <summary>Takes the first 8 bytes, zero-padding a shorter input.</summary>
    public static VrrpPassword FromBytes(ReadOnlySpan<byte> bytes)
    {
        Span<byte> buf = stackalloc byte[Length];
        buf.Clear();
        bytes[..Math.Min(bytes.Length, Length)].CopyTo(buf);
        return new VrrpPassword(BinaryPrimitives.ReadUInt64BigEndian(buf));
    }

    /// <summary>UTF-8 bytes of the text, truncated/zero-padded to 8 bytes.</summary>
    public static VrrpPassword FromString(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // 4 bytes per char is the UTF-8 worst case; only the first 8 chars can contribute.
        ReadOnlySpan<char> head = text.AsSpan(0, Math.Min(text.Length, Length));
        Span<byte> buf = stackalloc byte[Length * 4];
        int n = Encoding.UTF8.GetBytes(head, buf);
        return FromBytes(buf[..n]);
    }

    public void WriteBytes(Span<byte> destination) =>
        BinaryPrimitives.WriteUInt64BigEndian(destination, _value);

    /// <summary>True when the 8 received bytes equal this password.</summary>
    public bool Matches(ReadOnlySpan<byte> authData) =>
        authData.Length == Length && BinaryPrimitives.ReadUInt64BigEndian(authData) == _value;

    public bool Equals(VrrpPassword other) => _value == other._value;
    public override bool Equals(object? obj) => obj is VrrpPassword other && Equals(other);
    public override int GetHashCode() => _value.GetHashCode();
    public static bool operator ==(VrrpPassword a, VrrpPassword b) => a.Equals(b);
    public static bool operator !=(VrrpPassword a, VrrpPassword b) => !a.Equals(b);

    /// <summary>Never reveals the secret.</summary>
    public override string ToString() => IsEmpty ? "(none)" : "********";
}

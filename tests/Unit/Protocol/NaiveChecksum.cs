using System.Net;

namespace VrrpPS.Tests.Protocol;

/// <summary>
/// A deliberately simple, independent Internet checksum (RFC 1071) used to cross-check the
/// production code: it materialises the pseudo-header as a byte array, zeroes the checksum
/// field and adds 16-bit words with an end-around carry after every addition.
/// Shares no code with VrrpPS.Protocol.InternetChecksum.
/// </summary>
internal static class NaiveChecksum
{
    public static byte[] Hex(string hex) => Convert.FromHexString(new string(hex.Where(Uri.IsHexDigit).ToArray()));

    /// <summary>Checksum of pseudo ++ message with message bytes 6–7 taken as zero.</summary>
    public static ushort Compute(byte[] message, byte[]? pseudoHeader = null)
    {
        var all = new List<byte>(pseudoHeader ?? []);
        byte[] copy = (byte[])message.Clone();
        copy[6] = 0;
        copy[7] = 0;
        all.AddRange(copy);
        if (all.Count % 2 == 1) all.Add(0);
        int sum = 0;
        for (int i = 0; i < all.Count; i += 2)
        {
            sum += all[i] * 256 + all[i + 1];
            if (sum > 0xFFFF) sum = sum - 0x10000 + 1;
        }
        return (ushort)(0xFFFF - sum);
    }

    /// <summary>IPv4 pseudo-header: src, dst, zero, protocol 112, VRRP length (16 bits).</summary>
    public static byte[] IPv4Pseudo(string src, string dst, int length) =>
        [.. IPAddress.Parse(src).GetAddressBytes(), .. IPAddress.Parse(dst).GetAddressBytes(),
         0, 112, (byte)(length >> 8), (byte)length];

    /// <summary>IPv6 pseudo-header (RFC 8200 §8.1): src, dst, 32-bit length, 3 zeros, next header 112.</summary>
    public static byte[] IPv6Pseudo(string src, string dst, int length) =>
        [.. IPAddress.Parse(src).GetAddressBytes(), .. IPAddress.Parse(dst).GetAddressBytes(),
         (byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length, 0, 0, 0, 112];

    public static ushort StoredChecksum(byte[] message) => (ushort)(message[6] << 8 | message[7]);

    /// <summary>Returns a copy with the checksum field replaced by the naive checksum.</summary>
    public static byte[] WithChecksum(byte[] message, byte[]? pseudoHeader = null)
    {
        byte[] copy = (byte[])message.Clone();
        ushort c = Compute(copy, pseudoHeader);
        copy[6] = (byte)(c >> 8);
        copy[7] = (byte)c;
        return copy;
    }
}

using System.Globalization;

namespace VrrpPS.Engine;

/// <summary>
/// "198.51.100.100/24", "2001:db8::100/64" or a bare address (/32, /128 as keepalived): the one rule
/// for a virtual address's prefix, used by Start-VrrpInstance's parameters and by the keepalived.conf
/// reader (which reports the same message with file:line).
/// </summary>
internal static class VirtualAddressParser
{
    public static VirtualAddressSpec Parse(string text)
    {
        string t = text.Trim();
        int slash = t.IndexOf('/');
        var address = AddressParser.Parse(slash < 0 ? t : t[..slash], "virtual IP address");
        if (PrefixError(slash < 0 ? null : t[(slash + 1)..], address.IsIPv4 ? 32 : 128, out int prefix) is { } error)
        {
            throw new VrrpEngineException(AddressParser.InvalidAddressErrorId, $"'{text}' {error}", text);
        }
        return new VirtualAddressSpec(address, prefix) { Deprecated = false };
    }

    /// <summary>
    /// The prefix after the slash (null: none, the full length); null when valid, else why not. keepalived
    /// accepts 0 to the full length.
    /// </summary>
    public static string? PrefixError(string? text, int max, out int prefix)
    {
        prefix = max;
        if (text is null)
        {
            return null;
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out prefix))
        {
            prefix = max;
            return "has an invalid prefix length.";
        }
        return prefix > max ? $"has prefix length {prefix}, outside 0 to {max}." : null;
    }
}

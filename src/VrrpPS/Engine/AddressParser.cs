using VrrpPS.Protocol;

namespace VrrpPS.Engine;

/// <summary>An IP address given as text (a parameter, or a keepalived value already located by file:line).</summary>
internal static class AddressParser
{
    public const string InvalidAddressErrorId = "VrrpInvalidAddress";

    public static IpAddressValue Parse(string text, string what)
    {
        if (!IpAddressValue.TryParse(text.Trim(), out var value) || text.Contains('%'))
        {
            throw new VrrpEngineException(InvalidAddressErrorId, $"'{text}' is not a valid IP address for the {what}.", text);
        }
        return value;
    }
}

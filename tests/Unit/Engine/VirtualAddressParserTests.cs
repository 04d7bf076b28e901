using VrrpPS.Config;
using VrrpPS.Engine;
using Xunit;

namespace VrrpPS.Tests.Engine;

/// <summary>
/// A virtual address means the same from Start-VrrpInstance -VirtualIPAddress and from a
/// keepalived.conf virtual_ipaddress line: one prefix rule (keepalived's, 0 to the full length;
/// none = /32 or /128), refused with a stable ErrorId — VrrpInvalidAddress for a parameter,
/// KeepalivedInvalidAddress with file:line for a config line.
/// </summary>
public sealed class VirtualAddressParserTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vrrpps-vip-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, int?> Cases() => new()
    {
        { "198.51.100.10", 32 },
        { "198.51.100.10/24", 24 },
        { "198.51.100.10/0", 0 },
        { "198.51.100.10/32", 32 },
        { "198.51.100.10/33", null },
        { "198.51.100.10/-1", null },
        { "198.51.100.10/", null },
        { "198.51.100.10/x", null },
        { "2001:db8::10", 128 },
        { "2001:db8::10/64", 64 },
        { "2001:db8::10/128", 128 },
        { "2001:db8::10/129", null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void AParameterAndAConfigLineAcceptTheSamePrefixes(string text, int? prefix)
    {
        VirtualAddressSpec? fromParameter = null;
        VrrpEngineException? refused = null;
        try { fromParameter = VirtualAddressParser.Parse(text); }
        catch (VrrpEngineException ex) { refused = ex; }

        string conf = Path.Combine(_dir, "k.conf");
        File.WriteAllText(conf, $"vrrp_instance VI_1 {{\n    interface eth0\n    virtual_router_id 51\n    virtual_ipaddress {{\n        {text}\n    }}\n}}\n");
        var read = KeepalivedConfigReader.Read(conf, new KeepalivedReadOptions());
        var error = read.Diagnostics.FirstOrDefault(d => d.ErrorId == "KeepalivedInvalidAddress");

        if (prefix is int expected)
        {
            Assert.Null(refused);
            Assert.Equal(expected, fromParameter!.PrefixLength);
            Assert.Null(error);
            Assert.Equal(expected, read.Instances.Single().VirtualIPAddress.Single().PrefixLength);
        }
        else
        {
            Assert.Equal(AddressParser.InvalidAddressErrorId, refused?.ErrorId);
            Assert.NotNull(error);
            Assert.Equal(5, error!.Line);
            Assert.Equal(refused!.Message, error.Message); // the same words both ways
        }
    }
}

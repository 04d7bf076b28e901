using VrrpPS.Protocol;
using Xunit;
using static VrrpPS.Tests.Protocol.NaiveChecksum;

namespace VrrpPS.Tests.Protocol;

/// <summary>
/// RFC 3768 §7.1 / RFC 5798 §7.1 receive checks: every PacketValidation reason is produced by
/// a crafted packet (the theory runs over all enum members, so a new reason without a case
/// fails), and the documented check order is pinned down.
/// </summary>
public class ValidationTests
{
    private static readonly IpAddressValue Src4 = IpAddressValue.Parse("198.51.100.2");
    private static readonly IpAddressValue Group4 = IpAddressValue.Parse("224.0.0.18");
    private static readonly VrrpPassword Pass = VrrpPassword.FromString("pass");

    private static readonly PacketContext V2Ctx = new(Src4, Group4, 255)
    {
        ExpectedAuthType = VrrpAuthType.Pass, ExpectedPassword = Pass,
    };

    // Valid v2 PASS advert (RFC 3768 §5.1), checksum fixed up by the naive summer after mutation.
    private static byte[] V2(Action<byte[]>? mutate = null)
    {
        byte[] m = Hex("21 01 64 01  01 01 00 00  C6 33 64 01  70 61 73 73 00 00 00 00");
        mutate?.Invoke(m);
        return WithChecksum(m);
    }

    // Valid v3 IPv4 advert with the pseudo-header checksum (keepalived default).
    private static byte[] V3(string hex = "31 0A C8 01  00 64 00 00  C6 33 64 0A") =>
        WithChecksum(Hex(hex), IPv4Pseudo("198.51.100.2", "224.0.0.18", Hex(hex).Length));

    public static TheoryData<PacketValidation> AllReasons() => new(Enum.GetValues<PacketValidation>());

    private static (byte[] Message, PacketContext Context) CaseFor(PacketValidation reason) => reason switch
    {
        PacketValidation.Ok => (V2(), V2Ctx),
        PacketValidation.TooShort => (V2()[..7], V2Ctx), // §7.1: shorter than the header
        PacketValidation.BadVersion => (V2(m => m[0] = 0x41), V2Ctx),
        PacketValidation.VersionMismatch => (V3(), V2Ctx with { ExpectedVersion = VrrpVersion.V2 }),
        PacketValidation.BadType => (V2(m => m[0] = 0x22), V2Ctx),
        PacketValidation.WrongAddressFamily => (V2(), new PacketContext(IpAddressValue.Parse("fe80::1"), IpAddressValue.Parse("ff02::12"), 255)),
        PacketValidation.LengthMismatch => (V2(m => m[3] = 2), V2Ctx),
        PacketValidation.BadChecksum => (Flip(V2(), 7), V2Ctx),
        PacketValidation.BadTtl => (V2(), V2Ctx with { Ttl = 254 }),
        PacketValidation.ZeroInterval => (V2(m => m[5] = 0), V2Ctx),
        PacketValidation.NoAddresses => (V3("31 0A C8 00  00 64 00 00"), V2Ctx),
        PacketValidation.AuthMismatch => (V2(), V2Ctx with { ExpectedPassword = VrrpPassword.FromString("pasS") }),
        PacketValidation.UnsupportedAuth => (V2(m => m[4] = 2), V2Ctx), // AH, RFC 3768 §5.3.6
        _ => throw new InvalidOperationException($"No test case for {reason}: add one."),
    };

    private static byte[] Flip(byte[] m, int index)
    {
        m[index] ^= 0x01;
        return m;
    }

    [Theory]
    [MemberData(nameof(AllReasons))]
    public void EveryValidationReasonIsProducedByACraftedPacket(PacketValidation reason)
    {
        (byte[] message, PacketContext ctx) = CaseFor(reason);
        Assert.Equal(reason, VrrpCodec.TryParse(message, ctx, out _));
    }

    [Fact]
    public void VersionsOtherThanTwoAndThreeAreBadVersion_Rfc5798_5_2_1()
    {
        foreach (byte b in new byte[] { 0x01, 0x11, 0x41, 0xF1 })
        {
            Assert.Equal(PacketValidation.BadVersion, VrrpCodec.TryParse(V2(m => m[0] = b), V2Ctx, out _));
        }
    }

    [Fact]
    public void AuthTypeDifferentFromConfiguredIsAuthMismatch_Rfc3768_7_1()
    {
        byte[] noAuth = V2(m => { m[4] = 0; "\0\0\0\0"u8.CopyTo(m.AsSpan(12)); });
        Assert.Equal(PacketValidation.AuthMismatch, VrrpCodec.TryParse(noAuth, V2Ctx, out _));
        var expectNone = V2Ctx with { ExpectedAuthType = VrrpAuthType.None };
        Assert.Equal(PacketValidation.Ok, VrrpCodec.TryParse(noAuth, expectNone, out _));
        Assert.Equal(PacketValidation.AuthMismatch, VrrpCodec.TryParse(V2(), expectNone, out _));
    }

    [Fact]
    public void UnknownAuthTypeIsUnsupportedEvenWhenNoAuthIsConfigured()
    {
        var expectNone = V2Ctx with { ExpectedAuthType = VrrpAuthType.None };
        Assert.Equal(PacketValidation.UnsupportedAuth, VrrpCodec.TryParse(V2(m => m[4] = 7), expectNone, out _));
        Assert.Equal(PacketValidation.UnsupportedAuth, VrrpCodec.TryParse(V2(m => m[4] = 2), expectNone, out var ah));
        Assert.Equal(VrrpAuthType.Ah, ah.AuthType); // parsed and reported
    }

    [Fact]
    public void ChecksumIsCheckedBeforeTtlAndTtlBeforeInterval()
    {
        Assert.Equal(PacketValidation.BadChecksum, VrrpCodec.TryParse(Flip(V2(), 6), V2Ctx with { Ttl = 1 }, out _));
        Assert.Equal(PacketValidation.BadTtl, VrrpCodec.TryParse(V2(m => m[5] = 0), V2Ctx with { Ttl = 1 }, out _));
        Assert.Equal(PacketValidation.ZeroInterval,
            VrrpCodec.TryParse(V3("31 0A C8 00  00 00 00 00"), V2Ctx, out _)); // interval before count
    }

    [Fact]
    public void VersionIsCheckedBeforeTypeAndLength()
    {
        byte[] v3BadTypeAndLength = V3("32 0A C8 05  00 64 00 00  C6 33 64 0A");
        Assert.Equal(PacketValidation.VersionMismatch,
            VrrpCodec.TryParse(v3BadTypeAndLength, V2Ctx with { ExpectedVersion = VrrpVersion.V2 }, out _));
        Assert.Equal(PacketValidation.BadType, VrrpCodec.TryParse(v3BadTypeAndLength, V2Ctx, out _));
    }

    [Fact]
    public void TtlCheckCanBeRelaxedForUnicast()
    {
        Assert.Equal(PacketValidation.Ok, VrrpCodec.TryParse(V2(), V2Ctx with { Ttl = 64, CheckTtl = false }, out _));
    }

    [Fact]
    public void PassiveContextIgnoresAuthButReportsFieldsOfABadChecksumPacket()
    {
        var passive = V2Ctx with { CheckAuthentication = false, ExpectedPassword = VrrpPassword.Empty };
        Assert.Equal(PacketValidation.Ok, VrrpCodec.TryParse(V2(), passive, out _));
        Assert.Equal(PacketValidation.BadChecksum, VrrpCodec.TryParse(Flip(V2(), 7), passive, out var adv));
        Assert.False(adv.IsEmpty);
        Assert.Equal(100, adv.Priority);
    }

    [Fact]
    public void V3IPv4AcceptsEitherChecksumModeOnlyWhenAsked()
    {
        byte[] noPseudo = WithChecksum(Hex("31 0A C8 01  00 64 00 00  C6 33 64 0A"));
        var ctx = new PacketContext(Src4, Group4, 255);
        Assert.Equal(PacketValidation.BadChecksum, VrrpCodec.TryParse(noPseudo, ctx, out _));
        Assert.Equal(PacketValidation.Ok, VrrpCodec.TryParse(noPseudo, ctx with { AcceptEitherV3ChecksumMode = true }, out _));
        Assert.Equal(PacketValidation.Ok, VrrpCodec.TryParse(noPseudo, ctx with { ChecksumMode = V3ChecksumMode.NoPseudoHeader }, out _));
        Assert.Equal(V3ChecksumMode.NoPseudoHeader, VrrpCodec.DetectV3IPv4ChecksumMode(noPseudo, Src4, Group4));
        Assert.Null(VrrpCodec.DetectV3IPv4ChecksumMode(Flip(noPseudo, 9), Src4, Group4));
    }

    [Fact]
    public void V3WithSourceOfOtherFamilyIsABadChecksumNotAnException()
    {
        var mixed = new PacketContext(Src4, IpAddressValue.Parse("ff02::12"), 255);
        Assert.Equal(PacketValidation.BadChecksum, VrrpCodec.TryParse(V3(), mixed, out _));
    }

    [Fact]
    public void DefaultContextIsRejectedWithoutThrowing()
    {
        Assert.Equal(PacketValidation.WrongAddressFamily, VrrpCodec.TryParse(V2(), default, out var adv));
        Assert.True(adv.IsEmpty);
    }

    [Fact]
    public void ChecksumOfAllOnesIsAcceptedAsTheOtherZero_Rfc1071()
    {
        // One's complement has two zeros. Make the data sum to 0xFFFF (last auth-data word = the
        // complement of the rest) so the computed checksum is 0x0000; 0xFFFF must verify too.
        byte[] m = Hex("21 01 64 01  00 01 00 00  C6 33 64 01  00 00 00 00 00 00 00 00");
        ushort rest = Compute(m);
        m[18] = (byte)(rest >> 8);
        m[19] = (byte)rest;
        Assert.Equal(0, Compute(m));
        Assert.Equal(0, VrrpCodec.ComputeChecksum(m, default, default, V3ChecksumMode.PseudoHeader));
        Assert.True(VrrpCodec.VerifyChecksum(m, default, default, V3ChecksumMode.PseudoHeader));
        m[6] = 0xFF;
        m[7] = 0xFF;
        Assert.True(VrrpCodec.VerifyChecksum(m, default, default, V3ChecksumMode.PseudoHeader));
        m[7] = 0xFE;
        Assert.False(VrrpCodec.VerifyChecksum(m, default, default, V3ChecksumMode.PseudoHeader));
    }
}

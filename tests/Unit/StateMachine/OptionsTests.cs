using Xunit;
using VrrpPS.Protocol;
using VrrpPS.StateMachine;
using static VrrpPS.Tests.StateMachine.TestRouters;

namespace VrrpPS.Tests.StateMachine;

public class OptionsTests
{
    [Fact]
    public void Priority255_WithoutOwnership_IsRejected_Rfc5798_5_2_4()
    {
        var o = Options(priority: 255, owner: false);
        Assert.Contains("owner", o.Validate());
        Assert.Throws<ArgumentException>(() => new VirtualRouter(o));
        Assert.NotNull(Options(priority: 254, owner: true).Validate());
        Assert.Null(Options(priority: 255, owner: true).Validate());
    }

    [Theory]
    [InlineData(VrrpVersion.V2, 100, true)]
    [InlineData(VrrpVersion.V2, 25500, true)]
    [InlineData(VrrpVersion.V2, 150, false)]      // v2 has whole seconds only (RFC 3768 §5.3.7)
    [InlineData(VrrpVersion.V2, 25600, false)]
    [InlineData(VrrpVersion.V2, 0, false)]
    [InlineData(VrrpVersion.V3, 1, true)]         // 10 ms (RFC 5798 §5.2.7)
    [InlineData(VrrpVersion.V3, 4095, true)]
    [InlineData(VrrpVersion.V3, 0, false)]
    [InlineData(VrrpVersion.V3, 4096, false)]
    public void AdvertisementInterval_Ranges(VrrpVersion version, int cs, bool valid)
    {
        Assert.Equal(valid, Options(version: version, intervalCs: cs).Validate() is null);
    }

    [Fact]
    public void OtherFields_AreValidated()
    {
        var o = Options();
        o.VirtualRouterId = 0;
        Assert.NotNull(o.Validate());
        Assert.NotNull(Options(priority: 0).Validate());
        Assert.NotNull(Options(preemptDelayUs: -1).Validate());
        Assert.NotNull(Options(preemptDelayUs: 1001 * Second).Validate());
        Assert.Null(Options(preemptDelayUs: 1000 * Second).Validate());
        Assert.NotNull(Options(version: VrrpVersion.V2, address: "2001:db8::1").Validate());
        Assert.Null(Options(version: VrrpVersion.V3, address: "2001:db8::1").Validate());
        var noAddress = Options();
        noAddress.PrimaryAddress = default;
        Assert.NotNull(noAddress.Validate());
        Assert.Throws<ArgumentNullException>(() => new VirtualRouter(null!));
    }

    [Fact]
    public void Router_CopiesOptions_AtConstruction()
    {
        var o = Options(priority: 100);
        var r = new VirtualRouter(o);
        o.Priority = 200;
        Assert.Equal(100, r.Priority);
        Assert.Equal(51, r.VirtualRouterId);
    }
}

using VrrpPS.Engine;
using VrrpPS.Protocol;
using Xunit;

namespace VrrpPS.Tests.Engine;

public sealed class VirtualRouteSpecTests
{
    [Fact]
    public void A_keepalived_route_line_gives_destination_gateway_device_metric_and_table()
    {
        var r = VirtualRouteSpec.Parse("198.18.0.0/16 via 198.51.100.254 dev eth0 src 198.51.100.100 metric 5 table 100", rule: false);
        Assert.Equal((IpAddressValue.Parse("198.18.0.0"), 16, IpAddressValue.Parse("198.51.100.254"), "eth0", IpAddressValue.Parse("198.51.100.100"), 5u, 100u, (byte)1),
            (r.Destination, r.DestinationPrefix, r.Gateway, r.Device, r.PreferredSource, r.Metric, r.Table, r.Type));
    }

    [Theory]
    [InlineData("blackhole 198.19.1.0/24", 6)]
    [InlineData("unreachable 2001:db8:1::/48", 7)]
    [InlineData("prohibit to 198.19.2.0/24", 8)]
    public void Route_types(string line, byte type) => Assert.Equal(type, VirtualRouteSpec.Parse(line, rule: false).Type);

    [Fact]
    public void A_keepalived_rule_line_gives_from_table_and_preference()
    {
        var r = VirtualRouteSpec.Parse("from 198.51.100.100 table 100 preference 1000", rule: true);
        Assert.Equal((IpAddressValue.Parse("198.51.100.100"), 32, 100u, 1000u, true), (r.From, r.FromPrefix, r.Table, r.Metric, r.IsRule));
    }

    [Theory]
    [InlineData("198.18.0.0/16 nexthop via 198.51.100.1", false)]
    [InlineData("table 100", true)]
    [InlineData("via 198.51.100.1", false)]
    public void What_VrrpPS_cannot_install_is_a_format_error_naming_the_line(string line, bool rule)
    {
        var ex = Assert.Throws<FormatException>(() => VirtualRouteSpec.Parse(line, rule));
        Assert.Contains(line, ex.Message, StringComparison.Ordinal);
    }
}

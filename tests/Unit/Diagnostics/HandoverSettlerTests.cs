using VrrpPS.Diagnostics;
using Xunit;

namespace VrrpPS.Tests.Diagnostics;

/// <summary>
/// Test-VrrpFailover -Lab judges a hand-over by the Master the cluster settles on, not by the first
/// node seen as Master: two Backups whose Master_Down timers expire a few ms apart may both become
/// Master for a moment (RFC 5798 §6.4.3 resolves it). CI once failed on exactly this race.
/// </summary>
public sealed class HandoverSettlerTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(1250);
    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public void Lower_priority_node_that_races_to_Master_first_is_transient_not_the_winner()
    {
        var s = new HandoverSettler<string>(Settle);
        s.Observe(Ms(0), [], []);
        s.Observe(Ms(20), ["n3"], ["n3"]);            // n3's timer fired first (scheduling jitter)
        Assert.Equal("n3", s.Winner);
        Assert.False(s.Settled);
        s.Observe(Ms(40), ["n3", "n2"], ["n3", "n2"]); // both Master: not settled, no winner
        Assert.Null(s.Winner);
        s.Observe(Ms(60), ["n2"], ["n2", "n3"]);      // n3 yielded to n2's higher-priority advert
        s.Observe(Ms(1000), ["n2"], ["n2", "n3"]);
        Assert.False(s.Settled);
        s.Observe(Ms(1310), ["n2"], ["n2", "n3"]);
        Assert.True(s.Settled);
        Assert.Equal("n2", s.Winner);
        Assert.Equal(["n3"], s.Transient);
    }

    [Fact]
    public void A_Master_seen_only_in_history_between_polls_is_reported_as_transient()
    {
        var s = new HandoverSettler<string>(Settle);
        s.Observe(Ms(0), ["n2"], ["n2", "n3"]);
        s.Observe(Ms(1300), ["n2"], ["n2", "n3"]);
        Assert.True(s.Settled);
        Assert.Equal(["n3"], s.Transient);
    }

    [Fact]
    public void Two_Masters_that_never_resolve_have_no_winner()
    {
        var s = new HandoverSettler<string>(Settle);
        s.Observe(Ms(0), ["n2", "n3"], ["n2", "n3"]);
        s.Observe(Ms(5000), ["n2", "n3"], ["n2", "n3"]);
        Assert.False(s.Settled);
        Assert.Null(s.Winner);
        Assert.Equal(2, s.Current.Count);
    }

    [Fact]
    public void Nothing_seen_means_no_winner()
    {
        var s = new HandoverSettler<string>(Settle);
        s.Observe(Ms(0), [], []);
        s.Observe(Ms(4000), [], []);
        Assert.False(s.AnySeen);
        Assert.Null(s.Winner);
    }
}

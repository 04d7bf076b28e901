using VrrpPS.Engine;
using VrrpPS.Hosting;
using Xunit;

namespace VrrpPS.Tests.Hosting;

/// <summary>journald lines: the syslog priority prefix, stderr identified by $JOURNAL_STREAM, never an escape sequence.</summary>
public sealed class DaemonLogTests
{
    [Theory]
    [InlineData(EngineLogLevel.Error, "<3>(VI_1) boom")]
    [InlineData(EngineLogLevel.Warning, "<4>(VI_1) boom")]
    [InlineData(EngineLogLevel.Info, "<6>(VI_1) boom")]
    [InlineData(EngineLogLevel.Debug, "<7>(VI_1) boom")]
    public void Journal_lines_carry_the_priority(EngineLogLevel level, string expected) =>
        Assert.Equal(expected, DaemonLog.Format(new EngineLogEntry(DateTime.UtcNow, level, "VI_1", "boom"), journal: true));

    [Theory]
    [InlineData("\u001b[33;1mWARNING:\u001b[0m x", "WARNING: x")]
    [InlineData("a\u001b]8;;http://x\u0007link\u001b]8;;\u0007b", "alinkb")]
    [InlineData("bell\u0007 and \u001bc reset", "bell and  reset")]
    [InlineData("two\nlines", "two lines")]
    public void Escape_sequences_and_control_characters_are_stripped(string input, string expected) =>
        Assert.Equal(expected, DaemonLog.StripControl(input));

    [Fact]
    public void Stderr_is_the_journal_only_when_device_and_inode_match()
    {
        var st = new UnixFileStatus(0x1000, 0, 0, Device: 14, Inode: 123456);
        Assert.True(DaemonLog.IsJournalStream("14:123456", st));
        Assert.False(DaemonLog.IsJournalStream("14:123457", st));
        Assert.False(DaemonLog.IsJournalStream(null, st));
        Assert.False(DaemonLog.IsJournalStream("garbage", st));
    }
}

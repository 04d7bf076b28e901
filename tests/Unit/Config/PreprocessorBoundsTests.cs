using System.Diagnostics;
using System.Text;
using VrrpPS.Config;
using Xunit;

namespace VrrpPS.Tests.Config;

/// <summary>
/// Configuration denial of service: Test-VrrpConfig reads files from others and a reload reads as
/// root, so every way a file can make the reader work without bound ends in a located error
/// (stable ErrorId, the file and line that asked for it) within a bounded time.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PreprocessorBoundsTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly string _dir = Directory.CreateTempSubdirectory("vrrpps-bounds-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Reads on a worker so a reader that never ends fails the test instead of hanging the run.</summary>
    private static async Task<KeepalivedParseResult> ReadWithin(string path, Action? release = null)
    {
        var clock = Stopwatch.StartNew();
        var read = Task.Run(() => KeepalivedConfigReader.Read(path, new KeepalivedReadOptions { ConfigId = "bounds" }));
        if (await Task.WhenAny(read, Task.Delay(Bound)) != read)
        {
            release?.Invoke();
            Assert.Fail($"reading {Path.GetFileName(path)} did not end within {Bound.TotalSeconds} s");
        }
        var result = await read;
        Assert.True(clock.Elapsed < Bound, $"took {clock.Elapsed}");
        return result;
    }

    private static ConfigDiagnostic AssertError(KeepalivedParseResult r, string errorId, string file, int line)
    {
        var d = r.Diagnostics.FirstOrDefault(x => x.ErrorId == errorId);
        Assert.True(d is not null, $"no {errorId}; got {r.Diagnostics.Length}: {string.Join(" | ", r.Diagnostics.Take(3).Select(x => x.ToString()))}");
        Assert.Equal(ConfigDiagnosticSeverity.Error, d.Severity);
        Assert.Equal((file, line), (d.File, d.Line));
        return d;
    }

    private static string Doubling(string seed)
    {
        var sb = new StringBuilder(seed);
        for (int i = 1; i <= 30; i++)
        {
            sb.Append($"$A{i}=${{A{i - 1}}}${{A{i - 1}}}\n");
        }
        return sb.ToString();
    }

    [Fact]
    public async Task ADefinitionDoubled30TimesIsRefusedAtTheLineUsingIt()
    {
        // 16 characters doubled 30 times: 16 GiB if expanded.
        string path = Write("double.conf", Doubling("$A0=xxxxxxxxxxxxxxxx\n") + "global_defs {\n  router_id $A30\n}\n");
        var d = AssertError(await ReadWithin(path), "KeepalivedExpansionTooLarge", path, 33);
        Assert.Contains("$A30", d.Message + d.Token);
    }

    [Theory]
    [InlineData("a self-doubling definition", "$X=${X}${X}\nglobal_defs {\n  router_id $X\n}\n", "KeepalivedExpansionTooLarge", 3)]
    // Definitions produce no lines, so the line limit never stops this loop of 10^12: counted before it starts.
    [InlineData("an endless ~SEQ", "global_defs {\n}\n~SEQ(i, 1, 1000000000000) $Z=$i\n", "KeepalivedGeneratorTooLong", 3)]
    // Nested generators share one budget: 10^9 iterations in all.
    [InlineData("nested ~SEQs", "\n~SEQ(i, 1, 1000) ~SEQ(j, 1, 1000) ~SEQ(k, 1, 1000) $Z=$k\n", "KeepalivedGeneratorTooLong", 2)]
    public async Task ALineThatExpandsWithoutBoundIsRefusedWhereItIs(string what, string text, string errorId, int line)
    {
        string path = Write("expand.conf", text);
        var d = AssertError(await ReadWithin(path), errorId, path, line);
        Assert.False(string.IsNullOrEmpty(d.Message), what);
    }

    [Fact]
    public async Task AnIncludeLoopThroughASymlinkedDirectoryIsACycle()
    {
        // conf.d/loop -> conf.d: every pass sees new path names for the same two files (2^n fan-out).
        Write("conf.d/a.conf", "include loop/*.conf\n");
        Write("conf.d/b.conf", "\ninclude loop/*.conf\n");
        File.CreateSymbolicLink(Path.Combine(_dir, "conf.d", "loop"), Path.Combine(_dir, "conf.d"));
        string top = Write("top.conf", "include conf.d/*.conf\n");
        var r = await ReadWithin(top);
        var d = AssertError(r, "KeepalivedIncludeCycle", Path.Combine(_dir, "conf.d", "a.conf"), 1);
        Assert.Contains("a.conf", d.Message);
    }

    [Fact]
    public async Task AChainOfIncludesDeeperThanTheLimitIsRefusedWhereItGoesTooDeep()
    {
        for (int i = 0; i < 40; i++)
        {
            Write($"f{i}.conf", $"\ninclude f{i + 1}.conf\n");
        }
        Write("f40.conf", "global_defs {\n}\n");
        var r = await ReadWithin(Path.Combine(_dir, "f0.conf"));
        AssertError(r, "KeepalivedIncludeTooDeep", Path.Combine(_dir, "f15.conf"), 2);
    }

    [Fact]
    public async Task AFifoGivenAsAnIncludeIsRefusedWithoutBlocking()
    {
        string fifo = TestFifo.Create(Path.Combine(_dir, "fifo.conf"));
        string top = Write("top.conf", "global_defs {\n}\ninclude fifo.conf\n");
        var r = await ReadWithin(top, release: () => TestFifo.ReleaseReaders(fifo));
        var d = AssertError(r, "KeepalivedNotRegularFile", top, 3);
        Assert.Contains("FIFO", d.Message);
    }

    [Fact]
    public async Task ADeviceGivenAsAnIncludeIsRefusedNotReadForever()
    {
        string top = Write("top.conf", "include /dev/zero\n");
        var d = AssertError(await ReadWithin(top), "KeepalivedNotRegularFile", top, 1);
        Assert.Contains("character device", d.Message);
    }

    [Fact]
    public async Task AnIncludedFileOverTheSizeCapIsNamedAtTheIncludeLine()
    {
        Sparse("big.conf", 17L * 1024 * 1024);
        string top = Write("top.conf", "\n\ninclude big.conf\n");
        AssertError(await ReadWithin(top), "KeepalivedFileTooLarge", top, 3);
    }

    [Fact]
    public async Task IncludesTogetherOverTheTotalCapAreRefused()
    {
        // Each file under the per-file cap (16 MiB; comment lines, cheap to read), 45 MiB together (cap 32 MiB).
        byte[] comments = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("# " + new string('-', 1021) + "\n", 15 * 1024)));
        var text = new StringBuilder();
        for (int i = 0; i < 3; i++)
        {
            File.WriteAllBytes(Path.Combine(_dir, $"part{i}.conf"), comments);
            text.Append($"include part{i}.conf\n");
        }
        string top = Write("top.conf", text.ToString());
        AssertError(await ReadWithin(top), "KeepalivedConfigTooLarge", top, 3);
    }

    [Fact]
    public async Task AReversedRangeInAnIncludePatternIsAConfigErrorNotAnException()
    {
        // keepalived 2.2.7 (-t) silently matches nothing; a pattern that cannot match is reported here.
        Write("conf.d/a.conf", "");
        string top = Write("top.conf", "global_defs {\n}\ninclude conf.d/[z-a].conf\n");
        var d = AssertError(await ReadWithin(top), "KeepalivedIncludePattern", top, 3);
        Assert.Contains("[z-a]", d.Message);
    }

    private void Sparse(string name, long length)
    {
        using var f = new FileStream(Path.Combine(_dir, name), FileMode.CreateNew, FileAccess.Write);
        f.Write("global_defs {\n}\n"u8);
        f.SetLength(length);
    }
}

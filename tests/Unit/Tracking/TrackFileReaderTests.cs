using System.Diagnostics;
using VrrpPS.Engine;
using VrrpPS.Engine.Tracking;
using VrrpPS.Protocol;
using VrrpPS.StateMachine;
using VrrpPS.Tests.Engine;
using VrrpPS.Tests.Simulation.Engine;
using Xunit;

namespace VrrpPS.Tests.Tracking;

/// <summary>
/// track_file reads what keepalived's format needs (a leading integer) and nothing more: a FIFO, a
/// device or a huge file must neither block the tracker nor be read whole, and a file it cannot use
/// is the tracker's failure, visible in Get-VrrpState.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TrackFileReaderTests : IDisposable
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);
    private readonly string _dir = Directory.CreateTempSubdirectory("vrrpps-tfile-").FullName;
    private readonly EngineSimulator _sim = new(seed: 15);

    public void Dispose()
    {
        _sim.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static TrackFileDefinition Def(string path, long initial = 0) =>
        new() { Name = "tf", Path = path, Weight = -10, InitialValue = initial, PollSeconds = 0.05 };

    private string Fifo() => TestFifo.Create(Path.Combine(_dir, "fifo"));

    private static async Task<bool> Within(Task task) => await Task.WhenAny(task, Task.Delay(Prompt)) == task;

    [Fact]
    public async Task AFifoWithoutWriterReturnsPromptlyWithAnError()
    {
        string fifo = Fifo();
        var read = Task.Run(() => TrackerRunner.ReadValue(Def(fifo, initial: 7)));
        try
        {
            Assert.True(await Within(read), "reading a FIFO with no writer blocked");
            var (value, error) = await read;
            Assert.Equal(7, value);
            Assert.Contains("not a regular file", error);
            Assert.Contains("FIFO", error);
        }
        finally
        {
            if (!read.IsCompleted)
            {
                await Within(Task.Run(() => TestFifo.ReleaseReaders(fifo)));
            }
        }
    }

    [Fact]
    public async Task ADeviceIsRefusedNotReadForever()
    {
        var read = Task.Run(() => TrackerRunner.ReadValue(Def("/dev/zero", initial: 3)));
        Assert.True(await Within(read), "/dev/zero was read for more than 5 s");
        var (value, error) = await read;
        Assert.Equal(3, value);
        Assert.Contains("not a regular file", error);
        Assert.Contains("character device", error);
    }

    [Fact]
    public void AHundredMegabyteSparseFileIsNotReadWhole()
    {
        string path = Path.Combine(_dir, "big");
        using (var f = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
            f.Write("42\n"u8);
            f.SetLength(100L * 1024 * 1024); // sparse: no disk, but 100 MB to read
        }
        TrackerRunner.ReadValue(Def(path)); // warm up (JIT) outside the measurement

        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var (value, error) = TrackerRunner.ReadValue(Def(path));
        clock.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Null(error);
        Assert.Equal(42, value);
        Assert.True(allocated < 16 * 1024, $"allocated {allocated} bytes reading the leading integer of a 100 MB file");
        Assert.True(clock.ElapsedMilliseconds < 100, $"took {clock.ElapsedMilliseconds} ms");
    }

    [Theory]
    [InlineData("12\n", 12L)]
    [InlineData("  -3 trailing words", -3L)]
    [InlineData("+5", 5L)]
    public void TheLeadingIntegerIsTheValue(string content, long expected)
    {
        string path = Path.Combine(_dir, "v");
        File.WriteAllText(path, content);
        Assert.Equal((expected, (string?)null), TrackerRunner.ReadValue(Def(path)));
    }

    [Fact]
    public void AMissingFileCountsAsTheInitialValueWithTheReason()
    {
        var (value, error) = TrackerRunner.ReadValue(Def(Path.Combine(_dir, "absent"), initial: 4));
        Assert.Equal(4, value);
        Assert.Contains("absent", error);
    }

    [Fact]
    public async Task AnInstanceTrackingAFifoStartsAndShowsTheTrackerFailedWithTheReason()
    {
        string fifo = Fifo();
        var node = _sim.AddNode("198.51.100.11");
        var engine = node.Engine;
        var def = new InstanceDefinition
        {
            Name = "VI_1",
            InterfaceName = "eth0",
            VirtualRouterId = 51,
            Priority = 100,
            AdvertisementIntervalCentiseconds = 5,
            VirtualAddresses = [new VirtualAddressSpec(IpAddressValue.Parse("198.51.100.100"), 24)],
            TrackFiles = [Def(fifo)],
        };
        var start = Task.Run(() => engine.Start([def]));
        try
        {
            Assert.True(await Within(start), "Start blocked on the FIFO");
            _sim.RunUntil(() => node.State().State == VrrpState.Master, TimeSpan.FromSeconds(5));
            var s = node.State();
            Assert.Equal(VrrpState.Master, s.State);
            var t = Assert.Single(s.Tracker);
            Assert.Equal(TrackerStatus.Failed, t.Status);
            Assert.Contains("FIFO", t.LastError);
        }
        finally
        {
            if (!start.IsCompleted)
            {
                await Within(Task.Run(() => TestFifo.ReleaseReaders(fifo)));
            }
        }
    }
}

using System.Diagnostics;
using System.IO.Pipes;
using VrrpPS.Engine;
using VrrpPS.Platform.Linux;
using Xunit;

namespace VrrpPS.Tests.Platform;

public sealed class PollerTests
{
    private readonly LinuxNetworkPlatform _platform = new();

    [Fact]
    public void Wait_ReturnsTheReadyDescriptor_WhenDataArrives()
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        using var reader = new AnonymousPipeClientStream(PipeDirection.In, pipe.ClientSafePipeHandle);
        int fd = (int)reader.SafePipeHandle.DangerousGetHandle();
        using IPoller poller = _platform.CreatePoller();
        poller.Add(fd);
        var ready = new int[4];

        Assert.Equal(0, poller.Wait(0, ready)); // nothing yet
        pipe.WriteByte(42);
        var sw = Stopwatch.StartNew();
        int n = poller.Wait(5_000_000, ready);

        Assert.Equal(1, n);
        Assert.Equal(fd, ready[0]);
        Assert.True(sw.ElapsedMilliseconds < 1000);

        poller.Remove(fd);
        Assert.Equal(0, poller.Wait(0, ready)); // still readable, but no longer watched
    }

    [Fact]
    public void Wake_FromAnotherThread_EndsAWait()
    {
        using IPoller poller = _platform.CreatePoller();
        var sw = Stopwatch.StartNew();
        var waker = new Thread(() =>
        {
            Thread.Sleep(50);
            poller.Wake();
        });
        waker.Start();
        int n = poller.Wait(10_000_000, new int[1]);
        waker.Join();

        Assert.Equal(0, n);
        Assert.InRange(sw.ElapsedMilliseconds, 40, 2000);
    }

    [Fact]
    public void Wake_BeforeWait_IsNotLost_AndIsConsumed()
    {
        using IPoller poller = _platform.CreatePoller();
        poller.Wake();
        var sw = Stopwatch.StartNew();
        poller.Wait(5_000_000, new int[1]);
        Assert.True(sw.ElapsedMilliseconds < 1000);

        sw.Restart();
        poller.Wait(20_000, new int[1]); // the wake was consumed: this one times out
        Assert.True(sw.Elapsed.TotalMilliseconds >= 19.5);
    }

    /// <summary>10 ms v3 adverts need sub-millisecond timeouts: never early, not rounded up to the next tick.</summary>
    [Fact]
    public void Timeout_10ms_ReturnsAfterAtLeast10msAndWellBefore30ms()
    {
        using IPoller poller = _platform.CreatePoller();
        var ready = new int[1];
        var elapsed = new List<double>();
        for (int i = 0; i < 9; i++)
        {
            long start = Stopwatch.GetTimestamp();
            Assert.Equal(0, poller.Wait(10_000, ready));
            elapsed.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        Assert.All(elapsed, ms => Assert.True(ms >= 10.0, $"returned early after {ms} ms"));
        elapsed.Sort();
        Assert.True(elapsed[elapsed.Count / 2] < 30.0, $"median {elapsed[elapsed.Count / 2]} ms"); // median: robust to a busy machine
    }

    /// <summary>Pipes whose read ends the poller watches; disposed with the test.</summary>
    private sealed class Pipes : IDisposable
    {
        private readonly List<(AnonymousPipeServerStream Writer, AnonymousPipeClientStream Reader)> _pipes = [];

        public Pipes(int count)
        {
            for (int i = 0; i < count; i++)
            {
                var writer = new AnonymousPipeServerStream(PipeDirection.Out);
                _pipes.Add((writer, new AnonymousPipeClientStream(PipeDirection.In, writer.ClientSafePipeHandle)));
            }
        }

        public int Count => _pipes.Count;
        public int Fd(int i) => (int)_pipes[i].Reader.SafePipeHandle.DangerousGetHandle();
        public void MakeReadable(int i) => _pipes[i].Writer.WriteByte(1);
        public void Drain(int i) => _pipes[i].Reader.ReadByte();

        public void Dispose()
        {
            foreach (var (w, r) in _pipes)
            {
                r.Dispose();
                w.Dispose();
            }
        }
    }

    private IPoller Watching(Pipes pipes)
    {
        IPoller poller = _platform.CreatePoller();
        for (int i = 0; i < pipes.Count; i++)
        {
            poller.Add(pipes.Fd(i));
        }
        return poller;
    }

    /// <summary>255 VRIDs = 255 descriptors: a wake-up reports the ready ones, and only those.</summary>
    [Fact]
    public void ManyDescriptors_OnlyTheReadyOnesAreReported()
    {
        using var pipes = new Pipes(300);
        using IPoller poller = Watching(pipes);
        var ready = new int[64];
        Assert.Equal(0, poller.Wait(0, ready));

        int[] chosen = [0, 7, 150, 299];
        foreach (int i in chosen)
        {
            pipes.MakeReadable(i);
        }
        int n = poller.Wait(1_000_000, ready);

        Assert.Equal(chosen.Select(pipes.Fd).Order(), ready[..n].Order());
        foreach (int i in chosen)
        {
            pipes.Drain(i);
        }
        Assert.Equal(0, poller.Wait(0, ready));
    }

    /// <summary>
    /// More descriptors ready than the caller's buffer holds (the engine passes 64 slots; 255 VRIDs at 10 ms
    /// behind a slow iteration are all ready): successive waits must report every one of them, not the same
    /// first ones again while the others are never read (their instances would see Master_Down fire).
    /// </summary>
    [Fact]
    public void MoreReadyThanTheBuffer_SuccessiveWaitsReportEveryReadyDescriptor()
    {
        using var pipes = new Pipes(100);
        using IPoller poller = _platform.CreatePoller();
        for (int i = 0; i < 100; i++)
        {
            poller.Add(pipes.Fd(i));
            pipes.MakeReadable(i); // and never drained: level-triggered, they stay ready
        }
        var ready = new int[16];
        var seen = new HashSet<int>();
        for (int round = 0; round < 7; round++) // 7 × 16 ≥ 100
        {
            int n = poller.Wait(0, ready);
            Assert.Equal(16, n);
            seen.UnionWith(ready[..n]);
        }

        Assert.Equal(100, seen.Count);
    }

    [Fact]
    public void RemovedThenAddedAgain_IsReportedAgain()
    {
        using var pipes = new Pipes(3);
        using IPoller poller = Watching(pipes);
        var ready = new int[4];
        poller.Remove(pipes.Fd(1));
        pipes.MakeReadable(1);
        Assert.Equal(0, poller.Wait(0, ready));

        poller.Add(pipes.Fd(1));
        poller.Add(pipes.Fd(1)); // a second Add of the same descriptor is harmless

        Assert.Equal(1, poller.Wait(1_000_000, ready));
        Assert.Equal(pipes.Fd(1), ready[0]);
    }

    /// <summary>Sub-millisecond timeouts are honoured (never truncated to 0 ms, i.e. never early).</summary>
    [Fact]
    public void Timeout_SubMillisecond_NeverReturnsEarly()
    {
        using var pipes = new Pipes(50);
        using IPoller poller = Watching(pipes);
        var ready = new int[4];
        foreach (long us in new long[] { 300, 700, 1500, 2300 })
        {
            for (int i = 0; i < 5; i++)
            {
                long start = Stopwatch.GetTimestamp();
                Assert.Equal(0, poller.Wait(us, ready));
                double elapsedUs = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                Assert.True(elapsedUs >= us, $"a {us} µs wait returned after {elapsedUs:0} µs");
            }
        }
    }

    [Fact]
    public void Wake_EndsAWaitOverManyDescriptors()
    {
        using var pipes = new Pipes(100);
        using IPoller poller = Watching(pipes);
        using var waiting = new ManualResetEventSlim();
        int n = -1;
        var waiter = new Thread(() =>
        {
            waiting.Set();
            n = poller.Wait(30_000_000, new int[4]);
        });
        var sw = Stopwatch.StartNew();
        waiter.Start();
        waiting.Wait();
        poller.Wake();
        Assert.True(waiter.Join(TimeSpan.FromSeconds(10)), "Wake did not end the wait");
        Assert.Equal(0, n); // the wake-up descriptor itself is never reported
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Wait_AllocatesNothing()
    {
        using IPoller poller = _platform.CreatePoller();
        Span<int> ready = stackalloc int[2];
        poller.Wake();
        poller.Wait(0, ready);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            poller.Wake();
            poller.Wait(1000, ready);
            poller.Wait(0, ready);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

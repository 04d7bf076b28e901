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

using System.Diagnostics;
using Xunit;

namespace VrrpPS.Tests;

/// <summary>FIFOs for tests of readers that must not block on one.</summary>
internal static class TestFifo
{
    public static string Create(string path)
    {
        using var p = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        Assert.True(p.WaitForExit(5000) && p.ExitCode == 0, "mkfifo failed");
        return path;
    }

    /// <summary>A reader stuck in open(2) with no writer is released by a writer coming and going (bounded wait).</summary>
    public static void ReleaseReaders(string path)
    {
        var open = Task.Run(() =>
        {
            using var w = new FileStream(path, FileMode.Open, FileAccess.Write);
        });
        open.Wait(TimeSpan.FromSeconds(5));
    }
}

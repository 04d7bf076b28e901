// Usage: ProcScan [scans]
// What one track_process count costs: a scan of /proc reading each process's stat (name only) or
// stat + cmdline (FullCommand / parameters), on this host's real process table. Uncached tables,
// so every scan reads /proc. Prints the median and p95 per scan, the CPU time per scan from
// getrusage-equivalent process times, and the CPU share at the engine's 0.5 s poll.
using System.Diagnostics;
using System.Globalization;
using VrrpPS.Platform.Linux;

int scans = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
var inv = CultureInfo.InvariantCulture;
foreach (bool cmdline in new[] { false, true })
{
    for (int i = 0; i < 20; i++)
    {
        new ProcProcessTable("/proc").Read(cmdline); // warm-up
    }
    var times = new double[scans];
    int count = 0;
    var me = Process.GetCurrentProcess();
    me.Refresh();
    TimeSpan cpu0 = me.TotalProcessorTime;
    for (int i = 0; i < scans; i++)
    {
        var sw = Stopwatch.StartNew();
        count = new ProcProcessTable("/proc").Read(cmdline).Count;
        times[i] = sw.Elapsed.TotalMicroseconds;
    }
    me.Refresh();
    double cpuPerScan = (me.TotalProcessorTime - cpu0).TotalMicroseconds / scans;
    Array.Sort(times);
    double median = times[scans / 2];
    double p95 = times[(int)Math.Ceiling(0.95 * scans) - 1];
    string what = cmdline ? "stat+cmdline" : "stat only   ";
    Console.WriteLine(string.Format(inv, "{0}: {1} processes, median {2:0} us, p95 {3:0} us, CPU {4:0} us per scan = {5:0.###} % of one core at one scan per 0.5 s",
        what, count, median, p95, cpuPerScan, cpuPerScan / 500_000 * 100));
    Console.WriteLine(string.Format(inv, "PROCSCAN_{0}_MEDIAN_US={1:0}", cmdline ? "CMDLINE" : "STAT", median));
}

using System.Diagnostics;
using CsCheck;
using VrrpPS.Config;
using Xunit;

namespace VrrpPS.Tests.Config;

/// <summary>
/// Issue 12, the generated differential: thousands of generated keepalived.conf texts (<see cref="KeepalivedConfigTextGen"/>), each
/// judged by keepalived 2.2.7's dump: dump(original) == dump(Import | Export). A batch is one file of <see cref="Parts"/> generated
/// configs sharing one global_defs (own names, VRIDs and addresses), so one keepalived reload judges them all; <see cref="LabCount"/>
/// labs (namespaces, one keepalived each) work side by side. Bounded: it stops at <see cref="Target"/> configs or after
/// <see cref="Seconds"/> s, whichever comes first, and at least <see cref="Minimum"/> must be judged.
/// Replay: every batch comes from (seed, batch number); a failure prints both, the smallest failing part alone with the batch's
/// global_defs, and keepalived's diff. VRRPPS_FIDELITY_SEED=s VRRPPS_FIDELITY_BATCH=k runs exactly that batch again.
/// </summary>
[Trait(TestCategories.Key, TestCategories.Root)]
public class KeepalivedGeneratedFidelityTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static int Env(string name, int fallback) => int.TryParse(Environment.GetEnvironmentVariable(name), out int v) ? v : fallback;
    private static readonly int Parts = Env("VRRPPS_FIDELITY_PARTS", 16), Target = Env("VRRPPS_FIDELITY_CONFIGS", 2000),
        Seconds = Env("VRRPPS_FIDELITY_SECONDS", 150), LabCount = Env("VRRPPS_FIDELITY_LABS", 2);
    private const int Minimum = 40, MaxInstances = 4;

    /// <summary>Time spent per phase, summed over all batches (ticks), to show where a run's time goes.</summary>
    private long _generate, _ours, _dumpOriginal, _dumpExport;

    [Fact]
    public void Keepalived_reads_the_export_of_generated_configs_as_it_reads_them()
    {
        ulong seed = ulong.TryParse(Environment.GetEnvironmentVariable("VRRPPS_FIDELITY_SEED"), out ulong s) ? s : (ulong)Random.Shared.NextInt64();
        int? only = int.TryParse(Environment.GetEnvironmentVariable("VRRPPS_FIDELITY_BATCH"), out int b) ? b : null;
        var budget = Stopwatch.StartNew();
        int next = only ?? 0, judged = 0, batches = 0, instances = 0;
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var labs = new List<KeepalivedDumpLab>();
        try
        {
            for (int w = 0; w < LabCount; w++) labs.Add(new KeepalivedDumpLab());
            Parallel.For(0, labs.Count, new ParallelOptions { MaxDegreeOfParallelism = labs.Count }, w =>
            {
                string dir = Directory.CreateTempSubdirectory("vrrpps-gen-").FullName;
                try
                {
                    while (failures.IsEmpty && Volatile.Read(ref judged) < Target && budget.Elapsed.TotalSeconds < Seconds)
                    {
                        int k = Interlocked.Increment(ref next) - 1;
                        if (only is int o && k != o) break;
                        if (Judge(labs[w], dir, seed, k, out int n) is string failure) failures.Add(failure);
                        Interlocked.Add(ref judged, Parts);
                        Interlocked.Increment(ref batches);
                        Interlocked.Add(ref instances, n);
                    }
                }
                finally { Directory.Delete(dir, true); }
            });
        }
        finally { foreach (var l in labs) l.Dispose(); }
        double secs = budget.Elapsed.TotalSeconds;
        string ms(long ticks) => (TimeSpan.FromTicks(ticks).TotalMilliseconds / Math.Max(1, batches)).ToString("0");
        string summary = $"Fidelity: {judged} generated configs ({instances} instances, {batches} batches of {Parts}, {labs.Count} keepalived labs) judged in {secs:0.0} s " +
            $"= {1000 * secs / Math.Max(1, judged):0.0} ms/config, seed {seed}; per batch: generate {ms(_generate)} ms, Import+Export {ms(_ours)} ms, " +
            $"keepalived dump of the original {ms(_dumpOriginal)} ms, of the export {ms(_dumpExport)} ms (per lab, labs in parallel)";
        output.WriteLine(summary);
        Console.WriteLine(summary);
        Assert.True(failures.IsEmpty, string.Join("\n\n", failures.Take(2)));
        Assert.True(only is not null || judged >= Minimum, $"only {judged} configs judged in the time budget ({summary})");
    }

    /// <summary>Judges batch <paramref name="k"/> of <paramref name="seed"/>; null when keepalived reads the export as the original.</summary>
    private string? Judge(KeepalivedDumpLab lab, string dir, ulong seed, int k, out int instances)
    {
        long t0 = Stopwatch.GetTimestamp();
        var (global, parts) = KeepalivedConfigTextGen.BatchParts(Parts, MaxInstances, new PCG((uint)k, seed));
        long t1 = Stopwatch.GetTimestamp();
        Interlocked.Add(ref _generate, Stopwatch.GetElapsedTime(t0, t1).Ticks);
        string? why = Differs(lab, dir, global + string.Concat(parts), out instances);
        if (why is null) return null;
        // the smallest failing piece: one part alone under the batch's global_defs (each part is a whole config)
        string replay = $"seed {seed}, batch {k}: replay with VRRPPS_FIDELITY_SEED={seed} VRRPPS_FIDELITY_BATCH={k}";
        for (int j = 0; j < parts.Length; j++)
            if (Differs(lab, dir, global + parts[j], out _) is string alone) return $"{replay}; part {j} alone fails:\n{alone}";
        return $"{replay}; no part fails alone, the whole batch does:\n{why}";
    }

    /// <summary>Null when keepalived's dump of <paramref name="text"/> equals its dump of our export of it; else what differs.</summary>
    private string? Differs(KeepalivedDumpLab lab, string dir, string text, out int instances)
    {
        long t0 = Stopwatch.GetTimestamp();
        string path = Path.Combine(dir, "g.conf");
        File.WriteAllText(path, text);
        var r = KeepalivedConfigReader.Read(path, new KeepalivedReadOptions { ConfigId = "node_a" });
        instances = r.Instances.Length;
        if (r.HasErrors) return $"we report errors:\n{string.Join("\n", r.Diagnostics)}\n{text}";
        string exported = KeepalivedConfigWriter.Write([r]);
        long t1 = Stopwatch.GetTimestamp();
        string original = lab.DumpFile(path);
        long t2 = Stopwatch.GetTimestamp();
        string roundTrip = lab.Dump(exported);
        long t3 = Stopwatch.GetTimestamp();
        Interlocked.Add(ref _ours, Stopwatch.GetElapsedTime(t0, t1).Ticks);
        Interlocked.Add(ref _dumpOriginal, Stopwatch.GetElapsedTime(t1, t2).Ticks);
        Interlocked.Add(ref _dumpExport, Stopwatch.GetElapsedTime(t2, t3).Ticks);
        if (original.StartsWith("NO DUMP", StringComparison.Ordinal)) return $"keepalived did not dump it:\n{original}\n{text}";
        return original == roundTrip ? null : KeepalivedFidelityTests.Diff(text, original, roundTrip, exported);
    }
}

using System.Diagnostics;

namespace VrrpPS.Diagnostics;

/// <summary>
/// Watch-VrrpAdvertisement's capture loop: reads the capture in short slices (so a stop request is seen
/// within one slice) until the duration ends, the count is reached or the caller stops it, keeping only
/// the requested VRIDs. Records are yielded on the caller's thread, so the cmdlet writes them as they come.
/// </summary>
internal static class AdvertisementWatch
{
    private static readonly TimeSpan s_pollSlice = TimeSpan.FromMilliseconds(250);

    /// <summary>-Summary with neither -Duration nor -Count: Ctrl+C stops the pipeline, so a summary needs an end of its own.</summary>
    public static readonly TimeSpan DefaultSummaryDuration = TimeSpan.FromSeconds(10);

    public static IEnumerable<VrrpAdvertisementRecord> Records(AdvertisementCapture capture, TimeSpan? duration, int count, IReadOnlyCollection<int>? vrids,
        Func<bool> stopping)
    {
        var batch = new List<VrrpAdvertisementRecord>();
        var clock = Stopwatch.StartNew();
        int emitted = 0;
        while (!stopping())
        {
            TimeSpan slice = s_pollSlice;
            if (duration is { } d)
            {
                TimeSpan left = d - clock.Elapsed;
                if (left <= TimeSpan.Zero)
                {
                    yield break;
                }
                slice = left < slice ? left : slice;
            }
            batch.Clear();
            capture.Read(slice, batch);
            foreach (var r in batch)
            {
                if (vrids is { Count: > 0 } ids && !ids.Contains(r.VirtualRouterId))
                {
                    continue;
                }
                emitted++;
                yield return r;
                if (count > 0 && emitted >= count)
                {
                    yield break;
                }
            }
        }
    }
}

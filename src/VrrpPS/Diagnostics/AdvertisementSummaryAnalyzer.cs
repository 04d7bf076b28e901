using VrrpPS.Protocol;

namespace VrrpPS.Diagnostics;

/// <summary>
/// Groups captured adverts per virtual router (family + VRID) and flags what RFC 3768/5798
/// forbids or what breaks an election. Pure: tests feed it records.
/// </summary>
public static class AdvertisementSummaryAnalyzer
{
    public static IReadOnlyList<VrrpAdvertisementSummary> Analyze(IEnumerable<VrrpAdvertisementRecord> records,
        IEnumerable<LocalInstanceInfo>? localInstances = null)
    {
        var locals = localInstances?.ToList() ?? [];
        var result = new List<VrrpAdvertisementSummary>();
        foreach (var group in records.GroupBy(r => (r.Interface, r.Family, r.VirtualRouterId))
                     .OrderBy(g => g.Key.Interface, StringComparer.Ordinal).ThenBy(g => g.Key.Family).ThenBy(g => g.Key.VirtualRouterId))
        {
            var adverts = group.OrderBy(r => r.Time).ToList();
            var summary = new VrrpAdvertisementSummary
            {
                Interface = group.Key.Interface,
                Family = group.Key.Family,
                VirtualRouterId = group.Key.VirtualRouterId,
                Advertisements = adverts.Count,
            };
            var speakers = adverts.GroupBy(a => a.Source).Select(BuildSpeaker).OrderByDescending(s => s.Priority).ThenBy(s => s.Source, StringComparer.Ordinal).ToList();
            summary.Speakers = speakers.ToArray();
            summary.MastersSeen = adverts.Where(a => a.Priority > 0 && a.Valid).Select(a => a.Source).Distinct().ToArray();
            var flags = new List<string>();
            var findings = new List<string>();
            string vr = $"VRID {summary.VirtualRouterId} ({summary.Family}) on {summary.Interface}";
            var valid = adverts.Where(a => a.Valid).ToList();
            var validSpeakers = speakers.Where(s => s.Advertisements > s.Invalid).ToList();

            var concurrent = FindConcurrentMasters(valid);
            if (concurrent is { } pair)
            {
                summary.SplitBrain = true;
                flags.Add("SplitBrain");
                findings.Add($"{vr}: {pair.A} and {pair.B} both advertised as Master at the same time (only the Master advertises, RFC 5798 §6.4.3): split brain — they do not hear each other (firewall dropping IP protocol 112, a VLAN or multicast problem).");
            }
            Mismatch(validSpeakers, s => s.AdvertisementInterval.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                s => $"{s.Source} {s.AdvertisementInterval.TotalSeconds:0.###}s", "IntervalMismatch",
                "advertisement intervals differ (RFC 3768 §7.1 discards them in v2; v3 Backups follow the Master's interval, so failover times change)",
                vr, flags, findings, v => summary.IntervalMismatch = v);
            Mismatch(validSpeakers, s => s.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), s => $"{s.Source} v{s.Version}", "VersionMismatch",
                "VRRP versions differ (a router discards adverts of the other version)", vr, flags, findings, v => summary.VersionMismatch = v);
            var authKeys = valid.GroupBy(a => a.Source).ToDictionary(g => g.Key, g => (g.Last().AuthType, g.Last().PasswordKey));
            Mismatch(validSpeakers.Where(s => s.Version == 2).ToList(), s => $"{authKeys[s.Source].AuthType}/{authKeys[s.Source].PasswordKey}",
                s => $"{s.Source} {(s.HasPassword ? "PASS" : s.AuthType.ToString())}", "AuthMismatch",
                "authentication differs (auth type or password; RFC 3768 §7.1 discards such adverts)", vr, flags, findings, v => summary.AuthMismatch = v);
            Mismatch(validSpeakers, s => string.Join(",", s.Addresses), s => $"{s.Source} [{string.Join(", ", s.Addresses)}]", "AddressListMismatch",
                "virtual address lists differ", vr, flags, findings, v => summary.AddressListMismatch = v);
            var badTtl = adverts.Where(a => a.Ttl != VrrpConstants.RequiredTtl).Select(a => $"{a.Source} TTL {a.Ttl}").Distinct().ToList();
            if (badTtl.Count > 0)
            {
                summary.BadTtl = true;
                flags.Add("BadTtl");
                findings.Add($"{vr}: adverts with TTL/hop limit other than 255 (RFC 5798 §7.1 discards them; they crossed a router or a proxy): {string.Join(", ", badTtl)}.");
            }
            var invalid = adverts.Where(a => !a.Valid && a.Reason != nameof(PacketValidation.BadTtl)).Select(a => $"{a.Source} {a.Reason}").Distinct().ToList();
            if (invalid.Count > 0)
            {
                summary.InvalidAdverts = true;
                flags.Add("InvalidAdverts");
                findings.Add($"{vr}: invalid adverts: {string.Join(", ", invalid)}.");
            }
            CheckLocal(summary, validSpeakers, locals, vr, flags, findings);
            summary.Flags = flags.ToArray();
            summary.Findings = findings.ToArray();
            result.Add(summary);
        }
        return result;
    }

    private static VrrpSpeaker BuildSpeaker(IGrouping<string, VrrpAdvertisementRecord> g)
    {
        var list = g.ToList();
        var last = list.LastOrDefault(a => a.Valid) ?? list[^1];
        return new VrrpSpeaker
        {
            Source = g.Key,
            Priority = last.Priority,
            PrioritiesSeen = list.Select(a => a.Priority).Distinct().ToArray(),
            AdvertisementInterval = last.AdvertisementInterval,
            Version = last.Version,
            AuthType = last.AuthType,
            HasPassword = last.HasPassword,
            Addresses = last.Addresses.OrderBy(a => a, StringComparer.Ordinal).ToArray(),
            Advertisements = list.Count,
            Invalid = list.Count(a => !a.Valid),
            TtlsSeen = list.Select(a => a.Ttl).Distinct().ToArray(),
            FirstSeen = list[0].Time,
            LastSeen = list[^1].Time,
        };
    }

    /// <summary>
    /// Split brain: source B advertises (priority > 0) at least twice while source A is still
    /// advertising — A has adverts before and after B's within A's Master_Down_Interval
    /// (3 × interval, RFC 5798 §6.1). A normal hand-over (preemption, release, crash) never
    /// does this: the old Master stops once it hears the new one or is gone.
    /// </summary>
    internal static (string A, string B)? FindConcurrentMasters(IReadOnlyList<VrrpAdvertisementRecord> adverts)
    {
        var masters = adverts.Where(a => a.Priority > 0).OrderBy(a => a.Time).ToList();
        var bySource = masters.GroupBy(a => a.Source).ToDictionary(g => g.Key, g => g.Select(a => a.Time).ToList());
        if (bySource.Count < 2)
        {
            return null;
        }
        foreach (var (a, timesA) in bySource)
        {
            TimeSpan window = 3 * masters.Where(m => m.Source == a).Max(m => m.AdvertisementInterval);
            foreach (var (b, timesB) in bySource)
            {
                if (a == b)
                {
                    continue;
                }
                int inside = 0;
                foreach (var t in timesB)
                {
                    int idx = timesA.BinarySearch(t);
                    if (idx >= 0)
                    {
                        inside++;
                        continue;
                    }
                    idx = ~idx;
                    if (idx > 0 && idx < timesA.Count && timesA[idx] - timesA[idx - 1] <= window)
                    {
                        inside++;
                    }
                }
                if (inside >= 2)
                {
                    return string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);
                }
            }
        }
        return null;
    }

    private static void Mismatch(IReadOnlyList<VrrpSpeaker> speakers, Func<VrrpSpeaker, string> key, Func<VrrpSpeaker, string> describe,
        string flag, string what, string vr, List<string> flags, List<string> findings, Action<bool> set)
    {
        if (speakers.Select(key).Distinct().Count() > 1)
        {
            set(true);
            flags.Add(flag);
            findings.Add($"{vr}: {what}: {string.Join("; ", speakers.Select(describe))}.");
        }
    }

    private static void CheckLocal(VrrpAdvertisementSummary summary, IReadOnlyList<VrrpSpeaker> speakers, IReadOnlyList<LocalInstanceInfo> locals,
        string vr, List<string> flags, List<string> findings)
    {
        var local = locals.FirstOrDefault(l => l.VirtualRouterId == summary.VirtualRouterId && l.Family == summary.Family
            && string.Equals(l.Interface, summary.Interface, StringComparison.Ordinal));
        if (local is null)
        {
            return;
        }
        summary.LocalInstance = local.Name;
        var mine = local.Addresses.Select(a => a.Split('/')[0]).OrderBy(a => a, StringComparer.Ordinal).ToArray();
        var foreign = speakers.Where(s => !s.Addresses.SequenceEqual(mine)).ToList();
        if (foreign.Count > 0)
        {
            summary.LocalClash = true;
            flags.Add("LocalClash");
            findings.Add($"{vr}: the local instance {local.Name} uses this VRID for [{string.Join(", ", mine)}] but {string.Join("; ", foreign.Select(s => $"{s.Source} advertises [{string.Join(", ", s.Addresses)}]"))}: another virtual router uses the same VRID on this LAN (RFC 5798 §5.2.3: a VRID must be unique per LAN).");
        }
    }
}

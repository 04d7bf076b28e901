using System.Diagnostics;
using System.Net.Sockets;
using VrrpPS.Engine;
using VrrpPS.Hosting;
using VrrpPS.Lab;

namespace VrrpPS.Diagnostics;

/// <summary>
/// Live failover test on the node where an instance is Master: hand over (priority-0 release,
/// demotion, or link down), watch the wire until a peer advertises as Master, check the VIPs left,
/// restore and measure the way back. Everything runs on the caller's thread.
/// </summary>
public sealed class LiveFailoverRunner
{
    private static readonly TimeSpan s_slice = TimeSpan.FromMilliseconds(20);
    private readonly EngineClient _client;
    private readonly INetworkPlatform _platform;
    private readonly IFailoverObserver _observer;

    public LiveFailoverRunner(EngineClient client, INetworkPlatform platform, IFailoverObserver observer)
    {
        _client = client;
        _platform = platform;
        _observer = observer;
    }

    public IEnumerable<object> Run(string name, FailoverMethod method, TimeSpan? timeout, bool noRestore, CancellationToken cancel)
    {
        var state = Find(name);
        var family = state.VirtualIPAddress.Length > 0 && state.VirtualIPAddress[0].Contains(':') ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        TimeSpan wait = timeout ?? Max(TimeSpan.FromSeconds(3), 4 * FailoverBounds.Loss(state.Version, 1, state.AdvertisementInterval));
        using var capture = new AdvertisementCapture(_platform, state.Interface, false, family);
        if (state.State != VrrpPS.StateMachine.VrrpState.Master)
        {
            return [Predict(state, capture, wait, cancel)];
        }
        if (method == FailoverMethod.Demote && state.Priority == 255)
        {
            throw new VrrpEngineException("VrrpFailoverDemoteOwner", $"({name}) is the address owner (priority 255) and cannot be demoted; use -Method Release.", name);
        }
        if (!_observer.ShouldProcess($"{name} (VRID {state.VirtualRouterId} on {state.Interface}, Master)", $"Hand the Master role to a peer ({method}) and measure it"))
        {
            return [];
        }
        var results = new List<object>();
        var handover = HandOver(state, method, capture, wait, cancel);
        results.Add(handover);
        if (!noRestore || handover.To is null)
        {
            results.Add(Restore(state, method, handover, wait, cancel));
        }
        else
        {
            _observer.Verbose(method == FailoverMethod.Release
                ? $"-NoRestore: {name} stays released; restart it (Stop-VrrpInstance then Start-VrrpInstance) to bring it back."
                : $"-NoRestore: {name} keeps priority 1; restore it with Set-VrrpInstance {name} -Priority {state.Priority}.");
        }
        return results;
    }

    private VrrpInstanceState Find(string name) =>
        _client.GetStates().FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal))
        ?? throw new VrrpEngineException(EngineErrorIds.InstanceNotFound, $"No VRRP instance named '{name}' runs in {_client.Where}.", name);

    private VrrpFailoverResult HandOver(VrrpInstanceState state, FailoverMethod method, AdvertisementCapture capture, TimeSpan wait, CancellationToken cancel)
    {
        var result = new VrrpFailoverResult { Scenario = method.ToString(), Instance = state.Name, From = state.SourceAddress };
        var batch = new List<VrrpAdvertisementRecord>();
        capture.Read(TimeSpan.Zero, batch); // drop what queued before the hand-over
        var sw = Stopwatch.StartNew();
        switch (method)
        {
            case FailoverMethod.Release: _client.Release(state.Name); break;
            case FailoverMethod.Demote: _client.SetPriority(state.Name, 1); break;
            case FailoverMethod.LinkDown: SetLink(state.Interface, false); break;
        }
        VrrpAdvertisementRecord? peer = null;
        var others = new List<VrrpAdvertisementRecord>(); // adverts of other speakers that are not our peer: say why not
        while (peer is null && sw.Elapsed < wait && !cancel.IsCancellationRequested)
        {
            _observer.Progress($"{method}: waiting for a peer to advertise as Master ({sw.Elapsed.TotalMilliseconds:0} ms)", Percent(sw.Elapsed, wait));
            batch.Clear();
            capture.Read(s_slice, batch);
            peer = batch.FirstOrDefault(a => a.Valid && a.VirtualRouterId == state.VirtualRouterId && a.Version == state.Version && a.Priority > 0 && a.Source != state.SourceAddress);
            others.AddRange(batch.Where(a => a.Source != state.SourceAddress && a.Priority > 0 && others.Count < 64));
        }
        var elapsed = sw.Elapsed;
        string raceNote = "";
        if (peer is not null)
        {
            (peer, elapsed, raceNote) = SettleOnWinner(state, peer, elapsed, capture, sw, cancel);
        }
        if (peer is null)
        {
            result.Details = method == FailoverMethod.LinkDown
                ? $"The interface is down, so the wire cannot be watched from here; no peer was seen within {wait.TotalSeconds:0.##} s."
                : $"No peer advertised as Master within {wait.TotalSeconds:0.##} s: no Backup runs VRID {state.VirtualRouterId} with matching version/authentication, or it cannot hear this node (Backups are silent, so their presence is only proven by a hand-over)."
                  + OtherSpeakers(state, others);
            result.Bound = FailoverBounds.Loss(state.Version, 1, state.AdvertisementInterval);
            return result;
        }
        result.To = peer.Source;
        result.ToPriority = peer.Priority;
        result.Elapsed = elapsed;
        result.Bound = method == FailoverMethod.Release
            ? FailoverBounds.Release(state.Version, peer.Priority, state.AdvertisementInterval)
            : FailoverBounds.Loss(state.Version, peer.Priority, state.AdvertisementInterval);
        result.Tolerance = FailoverBounds.Tolerance(state.AdvertisementInterval);
        string vipNote = CheckVipsGone(state);
        bool inBound = elapsed <= result.Bound + result.Tolerance;
        // RFC 3768 §7.1 discards a v2 advert whose interval differs (the nodes never hear each other: split
        // brain); RFC 5798 §6.4.2 lets a v3 Backup adopt the Master's interval, so the hand-over works
        // but the peer, once Master, advertises at its own rate and this node's timers no longer match it.
        string mismatch = SameInterval(peer.AdvertisementInterval, state.AdvertisementInterval) ? ""
            : $" Advertisement interval mismatch: {peer.Source} advertises VRID {peer.VirtualRouterId} every {Seconds(peer.AdvertisementInterval)}, this node every {Seconds(state.AdvertisementInterval)}"
              + (state.Version == 2 ? " (RFC 3768 §7.1: each node discards the other's adverts, so both end up Master)" : " (RFC 5798 §6.4.2: a Backup follows the Master's interval, so failover times change with whoever is Master)")
              + "; set the same advert_int on every node.";
        result.Passed = inBound && vipNote.Length == 0 && mismatch.Length == 0;
        string formula = method == FailoverMethod.Release ? "Skew_Time after a priority-0 advert (RFC 5798 §6.4.2)" : "Master_Down_Interval (RFC 5798 §6.1)";
        result.Details = $"{peer.Source} (priority {peer.Priority}) advertised as Master after {elapsed.TotalMilliseconds:0} ms; bound {result.Bound.TotalMilliseconds:0} ms = {formula} + tolerance {result.Tolerance.TotalMilliseconds:0} ms."
            + (inBound ? "" : " Slower than the bound.") + vipNote + mismatch + raceNote;
        return result;
    }

    /// <summary>
    /// Two Backups whose timers expire within a few ms may both advertise as Master before the lower
    /// one hears the higher and yields (RFC 5798 §6.4.3). Listen one more interval (+250 ms): the peer
    /// still advertising at the end is the one that took over; its first advert gives the elapsed time.
    /// </summary>
    private static (VrrpAdvertisementRecord Peer, TimeSpan Elapsed, string Note) SettleOnWinner(
        VrrpInstanceState state, VrrpAdvertisementRecord first, TimeSpan firstElapsed, AdvertisementCapture capture, Stopwatch sw, CancellationToken cancel)
    {
        var firstSeen = new Dictionary<string, (TimeSpan At, int Priority)>(StringComparer.Ordinal) { [first.Source] = (firstElapsed, first.Priority) };
        var last = first;
        var batch = new List<VrrpAdvertisementRecord>();
        var settle = Stopwatch.StartNew();
        while (settle.Elapsed < state.AdvertisementInterval + TimeSpan.FromMilliseconds(250) && !cancel.IsCancellationRequested)
        {
            batch.Clear();
            capture.Read(s_slice, batch);
            foreach (var a in batch.Where(a => a.Valid && a.VirtualRouterId == state.VirtualRouterId && a.Version == state.Version && a.Priority > 0 && a.Source != state.SourceAddress))
            {
                firstSeen.TryAdd(a.Source, (sw.Elapsed, a.Priority));
                last = a;
            }
        }
        var transient = firstSeen.Where(kv => kv.Key != last.Source).ToList();
        string note = transient.Count == 0 ? ""
            : $" {string.Join(", ", transient.Select(kv => $"{kv.Key} (priority {kv.Value.Priority})"))} also advertised as Master for a moment and yielded to {last.Source} (RFC 5798 §6.4.3): Backups whose priorities are close race when their timers expire almost together.";
        return (last, firstSeen[last.Source].At, note);
    }

    // Intervals travel in centiseconds (RFC 5798 §5.2.7); compare at that resolution.
    private static bool SameInterval(TimeSpan a, TimeSpan b) => Math.Round(a.TotalMilliseconds / 10) == Math.Round(b.TotalMilliseconds / 10);

    private static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0.###} s";

    /// <summary>Adverts heard from other speakers that could not be the peer: name what differs (VRID, version, checks).</summary>
    private static string OtherSpeakers(VrrpInstanceState state, List<VrrpAdvertisementRecord> seen)
    {
        var notes = seen.GroupBy(a => (a.Source, a.VirtualRouterId, a.Version)).Select(g => g.Last()).Take(4).Select(a =>
        {
            var diffs = new List<string>();
            if (a.VirtualRouterId != state.VirtualRouterId) diffs.Add($"VRID {a.VirtualRouterId} instead of {state.VirtualRouterId}");
            if (a.Version != state.Version) diffs.Add($"VRRPv{a.Version} instead of v{state.Version}");
            if (!SameInterval(a.AdvertisementInterval, state.AdvertisementInterval)) diffs.Add($"interval {Seconds(a.AdvertisementInterval)} instead of {Seconds(state.AdvertisementInterval)}");
            if (!a.Valid) diffs.Add($"invalid ({a.Reason})");
            return $"{a.Source} advertises {string.Join(", ", diffs.DefaultIfEmpty("the same VRID"))}";
        }).ToList();
        return notes.Count == 0 ? "" : " Heard instead: " + string.Join("; ", notes) + ".";
    }

    private string CheckVipsGone(VrrpInstanceState state)
    {
        var vips = state.VirtualIPAddress.Select(v => v.Split('/')[0]).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var sw = Stopwatch.StartNew();
        string[] left = [];
        while (sw.Elapsed < TimeSpan.FromSeconds(1))
        {
            var link = _platform.FindInterface(state.Interface);
            left = link?.Addresses.Select(a => a.Address.ToString()).Where(vips.Contains).ToArray() ?? [];
            if (left.Length == 0)
            {
                return string.Empty;
            }
            Thread.Sleep(20);
        }
        return $" The VIP(s) {string.Join(", ", left)} are still on {state.Interface} (two nodes answer for them).";
    }

    private VrrpFailoverResult Restore(VrrpInstanceState before, FailoverMethod method, VrrpFailoverResult handover, TimeSpan wait, CancellationToken cancel)
    {
        var result = new VrrpFailoverResult { Scenario = "Restore", Instance = before.Name, From = handover.To, ExpectedTo = before.SourceAddress };
        DateTime t0 = DateTime.UtcNow;
        switch (method)
        {
            case FailoverMethod.Release: _client.Resume(before.Name); break;
            case FailoverMethod.Demote: _client.SetPriority(before.Name, before.Priority); break;
            case FailoverMethod.LinkDown: SetLink(before.Interface, true); break;
        }
        int peerPriority = handover.ToPriority;
        bool expectReturn = before.Priority == 255 || (before.Preempt && before.Priority > peerPriority);
        result.Bound = FailoverBounds.Loss(before.Version, before.Priority, before.AdvertisementInterval);
        result.Tolerance = FailoverBounds.Tolerance(before.AdvertisementInterval);
        var limit = expectReturn ? Max(wait, result.Bound + result.Tolerance) : result.Bound + result.Tolerance;
        var sw = Stopwatch.StartNew();
        VrrpInstanceState now = before;
        while (sw.Elapsed < limit && !cancel.IsCancellationRequested)
        {
            _observer.Progress($"Restore: waiting for {before.Name} to become Master again ({sw.Elapsed.TotalMilliseconds:0} ms)", Percent(sw.Elapsed, limit));
            now = Find(before.Name);
            if (now.State == VrrpPS.StateMachine.VrrpState.Master)
            {
                break;
            }
            Thread.Sleep(s_slice);
        }
        bool master = now.State == VrrpPS.StateMachine.VrrpState.Master;
        if (master)
        {
            result.To = before.SourceAddress;
            result.Elapsed = now.LastTransition > t0 ? now.LastTransition - t0 : sw.Elapsed;
        }
        else
        {
            result.To = handover.To;
        }
        if (expectReturn)
        {
            result.Passed = master && result.Elapsed <= result.Bound + result.Tolerance;
            result.Details = master
                ? $"Preempted back after {result.Elapsed!.Value.TotalMilliseconds:0} ms (priority {before.Priority} > {peerPriority}); bound Master_Down_Interval {result.Bound.TotalMilliseconds:0} ms + tolerance {result.Tolerance.TotalMilliseconds:0} ms."
                : $"{before.Name} did not become Master again within {limit.TotalSeconds:0.##} s although it has priority {before.Priority} > {peerPriority} and preempt on; it is {now.State}.";
        }
        else
        {
            result.ExpectedTo = handover.To;
            result.Passed = !master;
            result.Details = master
                ? $"{before.Name} took the Master role back although it should not (nopreempt, or priority {before.Priority} <= {peerPriority})."
                : $"{before.Name} stays {now.State}: {(before.Preempt ? $"its priority {before.Priority} is not above the new Master's {peerPriority}" : "nopreempt")} (RFC 5798 §6.4.2), so {handover.To} keeps the Master role.";
        }
        return result;
    }

    private VrrpFailoverPrediction Predict(VrrpInstanceState state, AdvertisementCapture capture, TimeSpan wait, CancellationToken cancel)
    {
        var batch = new List<VrrpAdvertisementRecord>();
        var sw = Stopwatch.StartNew();
        var listen = Min(wait, 3 * state.AdvertisementInterval + TimeSpan.FromMilliseconds(500));
        VrrpAdvertisementRecord? master = null;
        while (master is null && sw.Elapsed < listen && !cancel.IsCancellationRequested)
        {
            _observer.Progress("Listening for the Master's adverts", Percent(sw.Elapsed, listen));
            batch.Clear();
            capture.Read(s_slice, batch);
            master = batch.LastOrDefault(a => a.Valid && a.VirtualRouterId == state.VirtualRouterId && a.Priority > 0);
        }
        var p = new VrrpFailoverPrediction
        {
            Instance = state.Name,
            LocalAddress = state.SourceAddress,
            LocalPriority = state.EffectivePriority,
            Master = master?.Source,
            MasterPriority = master?.Priority ?? 0,
        };
        var interval = master?.AdvertisementInterval ?? state.AdvertisementInterval;
        p.ReleaseBound = FailoverBounds.Release(state.Version, state.EffectivePriority, interval);
        p.CrashBound = FailoverBounds.Loss(state.Version, state.EffectivePriority, interval);
        p.LocalWouldWin = master is not null;
        p.Details = master is null
            ? $"This node is {state.State} and heard no Master for VRID {state.VirtualRouterId} within {listen.TotalSeconds:0.##} s: nothing to fail over from."
            : $"This node is {state.State}; the Master is {master.Source} (priority {master.Priority}, interval {master.AdvertisementInterval.TotalSeconds:0.###} s). "
              + $"If it fails, the Backup with the highest priority wins — this node (priority {state.EffectivePriority}) unless a silent Backup has a higher one: "
              + $"within {p.ReleaseBound.TotalMilliseconds:0} ms after a graceful release (Skew_Time), {p.CrashBound.TotalMilliseconds:0} ms after a crash (Master_Down_Interval). Nothing was changed; run Test-VrrpFailover on the Master to measure.";
        return p;
    }

    private static void SetLink(string ifname, bool up) =>
        LabCommand.RunChecked("ip", ["link", "set", "dev", ifname, up ? "up" : "down"], TimeSpan.FromSeconds(10));

    private static int Percent(TimeSpan elapsed, TimeSpan total) =>
        total <= TimeSpan.Zero ? 100 : (int)Math.Clamp(elapsed.TotalMilliseconds * 100 / total.TotalMilliseconds, 0, 100);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}

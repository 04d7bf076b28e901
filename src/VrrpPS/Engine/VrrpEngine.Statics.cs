namespace VrrpPS.Engine;

// keepalived static_ipaddress / static_routes / static_rules, as keepalived 2.2.7 handles them (checked in a
// namespace): installed when the VRRP process starts whatever the instances' states, reconciled on reload (a
// dropped line is removed, a new one added, an unchanged one left alone), removed when the process stops. An
// address that was already there is left as it is at start and removed at stop like the others; an interface
// that does not exist stops keepalived from starting at all. Here the engine is that process: the entries live
// as long as it runs (Start-VrrpInstance -Wait: the daemon; without -Wait: until the module is removed or pwsh
// exits), not as long as an instance. All of it runs on the engine thread.
public sealed partial class VrrpEngine
{
    private readonly List<(StaticNetworkEntry Entry, int Index)> _statics = [];

    /// <summary>The static entries the engine holds now.</summary>
    public IReadOnlyList<StaticNetworkEntry> StaticEntries => Invoke(_ => (IReadOnlyList<StaticNetworkEntry>)_statics.Select(s => s.Entry).ToList());

    /// <summary>
    /// Makes the installed static entries exactly <paramref name="desired"/>. Every interface is resolved
    /// first (an unknown one throws VrrpStaticInterfaceNotFound naming file:line and nothing changes); if the
    /// kernel refuses an entry, what this call changed is undone and VrrpStaticEntryFailed is thrown.
    /// </summary>
    public void SetStaticEntries(IReadOnlyList<StaticNetworkEntry> desired) =>
        Invoke(_ =>
        {
            var resolved = desired.DistinctBy(e => e.Key).Select(e => (Entry: e, Index: ResolveStatic(e))).ToList();
            var keep = resolved.Select(r => r.Entry.Key).ToHashSet();
            var current = _statics.Select(s => s.Entry.Key).ToHashSet();
            var removed = _statics.Where(s => !keep.Contains(s.Entry.Key)).ToList();
            var added = resolved.Where(r => !current.Contains(r.Entry.Key)).ToList();
            // Rules and routes before the addresses they may use on the way out; addresses first on the way in.
            foreach (var s in removed.OrderBy(StaticOrder).Reverse())
            {
                RemoveStatic(s);
            }
            var done = new List<(StaticNetworkEntry Entry, int Index)>();
            try
            {
                foreach (var s in added.OrderBy(StaticOrder))
                {
                    AddStatic(s);
                    done.Add(s);
                }
            }
            catch (Exception ex) when (ex is not VrrpEngineException)
            {
                done.Reverse();
                done.ForEach(RemoveStatic);
                removed.OrderBy(StaticOrder).ToList().ForEach(s => TryStatic(() => AddStatic(s)));
                throw new VrrpEngineException("VrrpStaticEntryFailed", $"{ex.Message}; the static entries were left as they were.", null, ex);
            }
            _statics.Clear();
            _statics.AddRange(resolved);
            return 0;
        });

    private static int StaticOrder((StaticNetworkEntry Entry, int Index) s) => s.Entry.Address is not null ? 0 : s.Entry.Route!.IsRule ? 2 : 1;

    private int ResolveStatic(StaticNetworkEntry e)
    {
        string? device = e.Address?.Device ?? e.Route!.Device;
        if (device is null)
        {
            return 0;
        }
        return _platform.FindInterface(device)?.Index ?? throw new VrrpEngineException("VrrpStaticInterfaceNotFound",
            $"{e.Source}: interface '{device}' of the {e} does not exist; nothing was started or installed.", device);
    }

    private void AddStatic((StaticNetworkEntry Entry, int Index) s)
    {
        try
        {
            if (s.Entry.Address is { } a)
            {
                _platform.Addresses.Add(s.Index, a);
            }
            else
            {
                (_platform.Routes ?? throw new PlatformNotSupportedException("routes are not supported here")).Add(s.Entry.Route!, s.Index);
            }
            Log.Info(null, $"Installed the {s.Entry} ({s.Entry.Source})");
        }
        catch (Exception ex) when (ex is not VrrpEngineException)
        {
            throw new InvalidOperationException($"{s.Entry.Source}: could not install the {s.Entry}: {ex.Message}", ex);
        }
    }

    private void RemoveStatic((StaticNetworkEntry Entry, int Index) s) => TryStatic(() =>
    {
        if (s.Entry.Address is { } a)
        {
            _platform.Addresses.Remove(s.Index, a);
        }
        else
        {
            _platform.Routes?.Remove(s.Entry.Route!, s.Index);
        }
        Log.Info(null, $"Removed the {s.Entry}");
    });

    private void TryStatic(Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            Log.Error(null, ex.Message);
        }
    }

    /// <summary>At engine shutdown, after the instances released: every static entry goes.</summary>
    private void RemoveAllStatics()
    {
        foreach (var s in Enumerable.Reverse(_statics.OrderBy(StaticOrder).ToList()))
        {
            RemoveStatic(s);
        }
        _statics.Clear();
    }
}

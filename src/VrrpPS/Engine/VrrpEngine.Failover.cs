namespace VrrpPS.Engine;

// Hooks for Test-VrrpFailover: release an instance without removing it, and bring it back.
public sealed partial class VrrpEngine
{
    /// <summary>
    /// RFC 5798 §6.4.3 Shutdown without removing the instance: a Master sends a priority-0 advert
    /// and removes its VIPs; the instance stays registered in Initialize, out of the election whatever its
    /// trackers or link do, until <see cref="Resume"/>. Releasing a released instance changes nothing.
    /// </summary>
    public VrrpInstanceState Release(string name) =>
        Invoke(now =>
        {
            var inst = Find(name);
            if (inst.Release(now))
            {
                Log.Info(name, "Released for a failover test: out of the election until resumed");
            }
            return inst.Snapshot();
        });

    /// <summary>RFC 5798 §6.4.1 Startup of a released instance (owner → Master, others → Backup); an instance
    /// that is not released is left alone (its trackers and VIPs untouched).</summary>
    public VrrpInstanceState Resume(string name) =>
        Invoke(now =>
        {
            var inst = Find(name);
            if (inst.Resume(now))
            {
                Log.Info(name, "Resumed after a failover test");
            }
            return inst.Snapshot();
        });
}

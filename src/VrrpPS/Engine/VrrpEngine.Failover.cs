namespace VrrpPS.Engine;

// Hooks for Test-VrrpFailover: release an instance without removing it, and bring it back.
public sealed partial class VrrpEngine
{
    /// <summary>
    /// RFC 5798 §6.4.3 Shutdown without removing the instance: a Master sends a priority-0 advert
    /// and removes its VIPs; the instance stays registered in Initialize until <see cref="Resume"/>.
    /// </summary>
    public VrrpInstanceState Release(string name) =>
        Invoke(now =>
        {
            var inst = Find(name);
            Log.Info(name, "Released for a failover test");
            inst.Stop(now);
            return inst.Snapshot();
        });

    /// <summary>RFC 5798 §6.4.1 Startup of a released instance (owner → Master, others → Backup).</summary>
    public VrrpInstanceState Resume(string name) =>
        Invoke(now =>
        {
            var inst = Find(name);
            Log.Info(name, "Resumed after a failover test");
            inst.Start(now);
            return inst.Snapshot();
        });
}

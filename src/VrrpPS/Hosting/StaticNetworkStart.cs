using VrrpPS.Engine;

namespace VrrpPS.Hosting;

/// <summary>
/// Start-VrrpInstance with static_ipaddress / static_routes / static_rules: the entries join the engine's set
/// before the instances start (keepalived installs them at start, whatever the VRRP state), and go again when
/// the instances cannot start, so a failed start leaves nothing installed.
/// </summary>
internal static class StaticNetworkStart
{
    public static T Run<T>(VrrpEngine engine, IReadOnlyList<StaticNetworkEntry> entries, Func<T> start)
    {
        if (entries.Count == 0)
        {
            return start();
        }
        var before = engine.StaticEntries;
        engine.SetStaticEntries([.. before, .. entries]);
        try
        {
            return start();
        }
        catch
        {
            try
            {
                engine.SetStaticEntries(before);
            }
            catch (VrrpEngineException ex)
            {
                engine.Log.Error(null, $"Could not undo the static entries: {ex.Message}");
            }
            throw;
        }
    }
}

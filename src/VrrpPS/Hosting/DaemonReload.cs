using VrrpPS.Engine;

namespace VrrpPS.Hosting;

/// <summary>
/// The daemon's reload policy, as keepalived's: whatever goes wrong while reading, validating or
/// applying the new configuration, the daemon keeps running with what it runs now. Nothing thrown
/// by a reload may end the daemon (a reload that ended it would release every VIP).
/// </summary>
internal static class DaemonReload
{
    public const string FailedErrorId = "VrrpReloadFailed";

    /// <summary>Runs <paramref name="reload"/>; every exception becomes a failed outcome.</summary>
    public static ReloadOutcome Run(Func<ReloadResult>? reload, string? source)
    {
        if (reload is null)
        {
            return ReloadOutcome.Failed("VrrpReloadNothingToReload",
                "the instances were started from parameters, not from a configuration file, so there is nothing to re-read");
        }
        try
        {
            return ReloadOutcome.Done(reload());
        }
        catch (VrrpEngineException ex)
        {
            return ReloadOutcome.Failed(ex.ErrorId, ex.Message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // e.g. an include glob the reader could not compile, an I/O error, a bug: never fatal here.
            string where = string.IsNullOrEmpty(source) ? string.Empty : source + ": ";
            return ReloadOutcome.Failed(FailedErrorId, $"{where}{ex.GetType().Name}: {ex.Message}");
        }
    }
}

using System.Collections;
using VrrpPS.Config;
using VrrpPS.Engine;

namespace VrrpPS.Diagnostics;

/// <summary>
/// Test-VrrpFailover -Lab's inputs: the nodes' keepalived.conf files → a <see cref="SandboxPlan"/>, and
/// -TrackOverride → script name → pass/fail. Refusals are <see cref="VrrpEngineException"/>s with stable ErrorIds.
/// </summary>
internal static class SandboxInputs
{
    public const string ConfigInvalid = "VrrpSandboxConfigInvalid";
    public const string BadTrackOverride = "VrrpSandboxBadTrackOverride";

    /// <summary>
    /// Reads the files in order and plans the lab. Each error diagnostic of a file goes to
    /// <paramref name="reportError"/>; the first file with errors, or a cluster the lab cannot build, stops it.
    /// </summary>
    public static SandboxPlan Plan(IReadOnlyList<string> files, string? configId, Action<string, ConfigDiagnostic> reportError)
    {
        var configs = new List<KeepalivedParseResult>();
        foreach (var f in files)
        {
            var parsed = KeepalivedConfigReader.Read(f, new KeepalivedReadOptions { ConfigId = configId });
            foreach (var d in parsed.Diagnostics.Where(d => d.Severity == ConfigDiagnosticSeverity.Error))
            {
                reportError(f, d);
            }
            if (parsed.HasErrors)
            {
                throw new VrrpEngineException(ConfigInvalid, $"{f} has errors; fix them first (Test-VrrpConfig).", f);
            }
            configs.Add(parsed);
        }
        try
        {
            return SandboxPlan.Create(configs, files);
        }
        catch (ArgumentException ex)
        {
            throw new VrrpEngineException(ConfigInvalid, ex.Message, files, ex);
        }
    }

    /// <summary>-TrackOverride @{ chk_api = 'fail' }: each value must be 'pass' or 'fail' (any case).</summary>
    public static Dictionary<string, string> TrackOverrides(IDictionary? table)
    {
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in table ?? new Hashtable())
        {
            string v = e.Value?.ToString() ?? "";
            if (!v.Equals("pass", StringComparison.OrdinalIgnoreCase) && !v.Equals("fail", StringComparison.OrdinalIgnoreCase))
            {
                throw new VrrpEngineException(BadTrackOverride, $"-TrackOverride {e.Key} = '{v}': use 'pass' or 'fail'.", e.Key);
            }
            overrides[e.Key.ToString()!] = v;
        }
        return overrides;
    }
}

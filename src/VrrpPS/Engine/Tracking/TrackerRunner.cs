using System.Globalization;

namespace VrrpPS.Engine.Tracking;

/// <summary>track_file's read (the scheduling lives with the instance, on the engine clock).</summary>
internal static class TrackerRunner
{
    /// <summary>keepalived reads the leading integer; a missing or unreadable file counts as the initial value.</summary>
    internal static (long Value, string? Error) ReadValue(TrackFileDefinition def) => TrackFileReader.Read(def);

}

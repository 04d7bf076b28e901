using System.Globalization;

namespace VrrpPS.Engine.Tracking;

/// <summary>track_file's read (the scheduling lives with the instance, on the engine clock).</summary>
internal static class TrackerRunner
{
    /// <summary>keepalived reads the leading integer; a missing or unreadable file counts as the initial value.</summary>
    internal static (long Value, string? Error) ReadValue(TrackFileDefinition def)
    {
        try
        {
            string text = File.ReadAllText(def.Path).Trim();
            int end = 0;
            while (end < text.Length && (char.IsDigit(text[end]) || (end == 0 && text[end] is '-' or '+')))
            {
                end++;
            }
            return long.TryParse(text.AsSpan(0, end), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v)
                ? (v, null)
                : (def.InitialValue, $"'{def.Path}' does not start with an integer");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (def.InitialValue, ex.Message);
        }
    }

}

using System.Globalization;
using System.Text;
using VrrpPS.IO;

namespace VrrpPS.Engine.Tracking;

/// <summary>
/// Reads a track_file's value the way keepalived's format defines it: the integer at the start of
/// the file. keepalived 2.2.x opens the file O_RDONLY|O_NONBLOCK and reads one buffer of 127 bytes;
/// we read at most <see cref="MaxBytes"/> too, so a huge file costs one small read. Unlike keepalived
/// (which reads whatever the open gives it), anything but a regular file is refused
/// (<see cref="RegularFile"/>): a FIFO or a device given as a track_file is a configuration mistake,
/// reported as the tracker's error instead of a blocked or endless read.
/// </summary>
internal static class TrackFileReader
{
    /// <summary>At most this many bytes are read: keepalived's buffer (128 with its terminator).</summary>
    public const int MaxBytes = 128;

    /// <summary>The leading integer, or the initial value with the reason it could not be read.</summary>
    public static (long Value, string? Error) Read(TrackFileDefinition def)
    {
        var content = RegularFile.Read(def.Path, MaxBytes, truncate: true);
        if (!content.Ok)
        {
            string hint = content.Failure == RegularFileFailure.NotRegular ? ": track_file reads a file holding an integer" : "";
            return (def.InitialValue, content.Error + hint);
        }
        return TryParseLeadingInteger(content.Data.AsSpan(0, content.Length), out long value)
            ? (value, null)
            : (def.InitialValue, $"'{def.Path}' does not start with an integer");
    }

    /// <summary>Optional leading white space, an optional sign, then decimal digits.</summary>
    internal static bool TryParseLeadingInteger(ReadOnlySpan<byte> text, out long value)
    {
        int start = 0;
        while (start < text.Length && text[start] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\v' or (byte)'\f')
        {
            start++;
        }
        int end = start;
        if (end < text.Length && text[end] is (byte)'-' or (byte)'+')
        {
            end++;
        }
        while (end < text.Length && text[end] is >= (byte)'0' and <= (byte)'9')
        {
            end++;
        }
        Span<char> chars = stackalloc char[MaxBytes];
        int n = Encoding.ASCII.GetChars(text[start..end], chars);
        return long.TryParse(chars[..n], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }
}

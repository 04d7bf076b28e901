using System.Globalization;
using System.Text;
using Tmds.Linux;

namespace VrrpPS.Engine.Tracking;

/// <summary>
/// Reads a track_file's value the way keepalived's format defines it: the integer at the start of
/// the file. keepalived 2.2.x opens the file O_RDONLY|O_NONBLOCK and reads one buffer of 127 bytes;
/// we do the same and read at most <see cref="MaxBytes"/>, so a huge file costs one small read.
/// Unlike keepalived (which reads whatever the open gives it), anything but a regular file is
/// refused: a FIFO or a device given as a track_file is a configuration mistake, reported as the
/// tracker's error instead of a blocked or endless read. The open itself is non-blocking, so a
/// FIFO without writer cannot hold the caller before the check.
/// </summary>
internal static unsafe class TrackFileReader
{
    /// <summary>At most this many bytes are read: keepalived's buffer (128 with its terminator).</summary>
    public const int MaxBytes = 128;

    private const uint TypeMask = 0xF000; // S_IFMT
    private const uint RegularFile = 0x8000; // S_IFREG

    /// <summary>The leading integer, or the initial value with the reason it could not be read.</summary>
    public static (long Value, string? Error) Read(TrackFileDefinition def)
    {
        Span<byte> buffer = stackalloc byte[MaxBytes];
        string? error = ReadHead(def.Path, buffer, out int length);
        if (error is not null)
        {
            return (def.InitialValue, error);
        }
        return TryParseLeadingInteger(buffer[..length], out long value)
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

    private static string? ReadHead(string path, Span<byte> buffer, out int length)
    {
        length = 0;
        int fd;
        fixed (byte* p = Encoding.UTF8.GetBytes(path + "\0"))
        {
            fd = LibC.open(p, LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC | LibC.O_NOCTTY);
        }
        if (fd < 0)
        {
            return $"cannot open '{path}': {Errno()}";
        }
        try
        {
            stat st;
            if (LibC.fstat(fd, &st) != 0)
            {
                return $"cannot stat '{path}': {Errno()}";
            }
            uint type = (uint)st.st_mode & TypeMask;
            if (type != RegularFile)
            {
                return $"'{path}' is not a regular file ({TypeWords(type)}): track_file reads a file holding an integer";
            }
            ssize_t n;
            fixed (byte* b = buffer)
            {
                do
                {
                    n = LibC.read(fd, b, buffer.Length);
                }
                while (n < 0 && LibC.errno == LibC.EINTR);
            }
            if (n < 0)
            {
                return $"cannot read '{path}': {Errno()}";
            }
            length = (int)n;
            return null;
        }
        finally
        {
            LibC.close(fd);
        }
    }

    private static string TypeWords(uint type) => type switch
    {
        0x1000 => "a FIFO",
        0x2000 => "a character device",
        0x4000 => "a directory",
        0x6000 => "a block device",
        0xC000 => "a socket",
        _ => $"file type 0x{type:x}",
    };

    private static string Errno() => new System.ComponentModel.Win32Exception(LibC.errno).Message;
}

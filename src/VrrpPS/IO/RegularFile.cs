using System.Text;
using Tmds.Linux;

namespace VrrpPS.IO;

/// <summary>Why <see cref="RegularFile.Read"/> returned no content.</summary>
internal enum RegularFileFailure
{
    None,
    CannotOpen,
    NotRegular,
    TooLarge,
    CannotRead,
}

/// <summary>What <see cref="RegularFile.Read"/> found: the bytes read, or the failure in words.</summary>
internal readonly record struct RegularFileContent(
    RegularFileFailure Failure, string? Error, byte[] Data, int Length, long Device, long Inode)
{
    public bool Ok => Failure == RegularFileFailure.None;
}

/// <summary>
/// Reads a file that others may control (a configuration include, a track_file) without letting it
/// block or exhaust us: opened O_RDONLY|O_NONBLOCK|O_NOCTTY (a FIFO without writer cannot hold the
/// open), refused unless fstat says it is a regular file (FIFOs, devices, sockets, directories),
/// and never read past a cap: a size over the cap is refused before reading, and a file that
/// reports a small size but keeps giving data (procfs) stops at the cap.
/// </summary>
internal static unsafe class RegularFile
{
    private const uint TypeMask = 0xF000; // S_IFMT
    private const uint Regular = 0x8000;  // S_IFREG

    /// <param name="path">The file; symbolic links are followed.</param>
    /// <param name="maxBytes">With <paramref name="truncate"/>: read at most this many bytes; otherwise a
    /// longer file is <see cref="RegularFileFailure.TooLarge"/>.</param>
    /// <param name="truncate">Read the head only (true) or the whole file within the cap (false).</param>
    public static RegularFileContent Read(string path, int maxBytes, bool truncate)
    {
        int fd;
        fixed (byte* p = Encoding.UTF8.GetBytes(path + "\0"))
        {
            fd = LibC.open(p, LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC | LibC.O_NOCTTY);
        }
        if (fd < 0)
        {
            return Fail(RegularFileFailure.CannotOpen, $"cannot open '{path}': {ErrnoText()}");
        }
        try
        {
            stat st;
            if (LibC.fstat(fd, &st) != 0)
            {
                return Fail(RegularFileFailure.CannotOpen, $"cannot stat '{path}': {ErrnoText()}");
            }
            uint type = (uint)st.st_mode & TypeMask;
            if (type != Regular)
            {
                return Fail(RegularFileFailure.NotRegular, $"'{path}' is not a regular file ({TypeWords(type)})");
            }
            long size = st.st_size;
            if (!truncate && size > maxBytes)
            {
                return Fail(RegularFileFailure.TooLarge, $"'{path}' is {size} bytes, more than the {maxBytes} allowed");
            }
            // Room for one byte more than allowed tells a file that fits from one that grew or lied
            // about its size (procfs reports 0); the buffer grows from the reported size up to that.
            long limit = truncate ? maxBytes : maxBytes + 1L;
            var data = new byte[(int)Math.Min(limit, truncate ? maxBytes : Math.Max(size + 1, 4096))];
            int length = 0;
            while (true)
            {
                if (length == data.Length)
                {
                    if (data.Length >= limit)
                    {
                        break;
                    }
                    Array.Resize(ref data, (int)Math.Min(limit, data.Length * 2L));
                }
                ssize_t n;
                fixed (byte* b = data)
                {
                    n = LibC.read(fd, b + length, data.Length - length);
                }
                if (n < 0 && LibC.errno == LibC.EINTR)
                {
                    continue;
                }
                if (n < 0)
                {
                    return Fail(RegularFileFailure.CannotRead, $"cannot read '{path}': {ErrnoText()}");
                }
                if (n == 0)
                {
                    break;
                }
                length += (int)n;
            }
            if (!truncate && length > maxBytes)
            {
                return Fail(RegularFileFailure.TooLarge, $"'{path}' holds more than the {maxBytes} bytes allowed");
            }
            return new RegularFileContent(RegularFileFailure.None, null, data, length, (long)(ulong)st.st_dev, (long)(ulong)st.st_ino);
        }
        finally
        {
            LibC.close(fd);
        }
    }

    private static RegularFileContent Fail(RegularFileFailure failure, string error) => new(failure, error, [], 0, 0, 0);

    private static string TypeWords(uint type) => type switch
    {
        0x1000 => "a FIFO",
        0x2000 => "a character device",
        0x4000 => "a directory",
        0x6000 => "a block device",
        0xC000 => "a socket",
        _ => $"file type 0x{type:x}",
    };

    private static string ErrnoText() => new System.ComponentModel.Win32Exception(LibC.errno).Message;
}

using Tmds.Linux;

namespace VrrpPS.Hosting;

/// <summary>lstat/fstat results the daemon host needs (file type, owner, mode, device and inode).</summary>
internal readonly record struct UnixFileStatus(uint Mode, uint Uid, uint Gid, ulong Device, ulong Inode)
{
    private const uint TypeMask = 0xF000;   // S_IFMT
    private const uint SocketType = 0xC000; // S_IFSOCK
    private const uint DirectoryType = 0x4000;

    public bool IsSocket => (Mode & TypeMask) == SocketType;
    public bool IsDirectory => (Mode & TypeMask) == DirectoryType;
    public uint Permissions => Mode & 0xFFF;

    /// <summary>lstat(2): the link itself, never its target. Null when the path does not exist.</summary>
    public static unsafe UnixFileStatus? Lstat(string path)
    {
        stat st;
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            if (LibC.lstat(p, &st) != 0)
            {
                return null;
            }
        }
        return From(st);
    }

    public static unsafe UnixFileStatus? Fstat(int fd)
    {
        stat st;
        return LibC.fstat(fd, &st) == 0 ? From(st) : null;
    }

    public static uint EffectiveUid => (uint)LibC.geteuid();

    private static UnixFileStatus From(stat st) =>
        new((uint)st.st_mode, (uint)st.st_uid, (uint)st.st_gid, (ulong)st.st_dev, (ulong)st.st_ino);
}

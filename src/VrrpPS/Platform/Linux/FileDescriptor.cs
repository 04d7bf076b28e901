using System.Runtime.InteropServices;
using Tmds.Linux;

namespace VrrpPS.Platform.Linux;

/// <summary>Owns one Linux file descriptor and closes it exactly once.</summary>
internal sealed class FdHandle : SafeHandle
{
    public FdHandle(int fd)
        : base(new IntPtr(-1), ownsHandle: true)
    {
        SetHandle(new IntPtr(fd));
    }

    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>The raw descriptor (valid until Dispose).</summary>
    public int Fd => (int)handle.ToInt64();

    protected override bool ReleaseHandle() => LibC.close((int)handle.ToInt64()) == 0;
}

/// <summary>Small typed wrappers over setsockopt/socket so callers stay readable.</summary>
internal static unsafe class SocketCalls
{
    public static FdHandle Socket(int domain, int type, int protocol, string what)
    {
        int fd = LibC.socket(domain, type | LibC.SOCK_CLOEXEC, protocol);
        if (fd < 0)
        {
            throw Errno.Fail($"socket({what})");
        }
        return new FdHandle(fd);
    }

    public static void SetInt(FdHandle fd, int level, int option, int value, string name)
    {
        if (LibC.setsockopt(fd.Fd, level, option, &value, sizeof(int)) != 0)
        {
            throw Errno.Fail($"setsockopt({name})");
        }
    }

    public static void SetBytes(FdHandle fd, int level, int option, ReadOnlySpan<byte> value, string name)
    {
        fixed (byte* p = value)
        {
            if (LibC.setsockopt(fd.Fd, level, option, p, value.Length) != 0)
            {
                throw Errno.Fail($"setsockopt({name})");
            }
        }
    }

    /// <summary>Binds the socket to a device by name (SO_BINDTODEVICE): it then sends and receives only there.</summary>
    public static void BindToDevice(FdHandle fd, string interfaceName)
    {
        Span<byte> name = stackalloc byte[17];
        int n = System.Text.Encoding.ASCII.GetBytes(interfaceName, name);
        if (n > 15)
        {
            throw new ArgumentException($"Interface name '{interfaceName}' is longer than IFNAMSIZ-1 (15).", nameof(interfaceName));
        }
        name[n] = 0;
        SetBytes(fd, LibC.SOL_SOCKET, LibC.SO_BINDTODEVICE, name[..(n + 1)], "SO_BINDTODEVICE");
    }

    /// <summary>Writes a sockaddr_in (16 bytes) for IPv4 address bytes (network order).</summary>
    public static int WriteSockaddrIn(Span<byte> dest, ReadOnlySpan<byte> address)
    {
        dest[..16].Clear();
        MemoryMarshal.Write(dest, (ushort)LibC.AF_INET);
        address[..4].CopyTo(dest[4..]);
        return 16;
    }

    /// <summary>Writes a sockaddr_in6 (28 bytes) for IPv6 address bytes and a scope id.</summary>
    public static int WriteSockaddrIn6(Span<byte> dest, ReadOnlySpan<byte> address, uint scopeId)
    {
        dest[..28].Clear();
        MemoryMarshal.Write(dest, (ushort)LibC.AF_INET6);
        address[..16].CopyTo(dest[8..]);
        MemoryMarshal.Write(dest[24..], scopeId);
        return 28;
    }

    /// <summary>Link-local unicast (fe80::/10) and link-scope multicast (ff02::/16) need a scope id.</summary>
    public static bool NeedsScope(ReadOnlySpan<byte> v6) =>
        (v6[0] == 0xfe && (v6[1] & 0xc0) == 0x80) || (v6[0] == 0xff && (v6[1] & 0x0f) == 0x02);
}

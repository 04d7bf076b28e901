using System.Runtime.InteropServices;

namespace VrrpPS.Platform.Linux;

/// <summary>errno values used by the platform code (Linux generic numbers; same on x64 and arm64).</summary>
internal static class Errno
{
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int EEXIST = 17;
    public const int ENODEV = 19;
    public const int EINVAL = 22;
    public const int ENOPROTOOPT = 92;
    public const int EADDRNOTAVAIL = 99;
    public const int ENOBUFS = 105;

    public static int Last => Marshal.GetLastPInvokeError();

    public static LinuxSyscallException Fail(string operation) => new(operation, Last);
}

using System.Runtime.InteropServices;

namespace VrrpPS.Platform.Linux;

/// <summary>A Linux system call failed; <see cref="Errno"/> is the raw errno value.</summary>
public class LinuxSyscallException : IOException
{
    public LinuxSyscallException(string operation, int errno)
        : this(operation, errno, null)
    {
    }

    protected LinuxSyscallException(string operation, int errno, string? detail)
        : base(FormatMessage(operation, errno, detail))
    {
        Operation = operation;
        Errno = errno;
        HResult = errno;
    }

    /// <summary>The call that failed, e.g. "setsockopt(SO_BINDTODEVICE)".</summary>
    public string Operation { get; }

    public int Errno { get; }

    private static string FormatMessage(string operation, int errno, string? detail)
    {
        string text = $"{operation} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
        return detail is null ? text : $"{text}: {detail}";
    }
}

/// <summary>The kernel rejected an rtnetlink request (the errno of its NLMSG_ERROR acknowledgement).</summary>
public sealed class NetlinkException : LinuxSyscallException
{
    public NetlinkException(string operation, int errno, string? kernelMessage = null)
        : base(operation, errno, kernelMessage)
    {
        KernelMessage = kernelMessage;
    }

    /// <summary>Extended-ack text from the kernel (NLMSGERR_ATTR_MSG), when it sent one.</summary>
    public string? KernelMessage { get; }
}

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
    public const int EADDRNOTAVAIL = 99;
    public const int ENOBUFS = 105;

    public static int Last => Marshal.GetLastPInvokeError();

    public static LinuxSyscallException Fail(string operation) => new(operation, Last);
}

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

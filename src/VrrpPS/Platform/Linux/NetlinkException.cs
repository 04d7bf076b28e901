
namespace VrrpPS.Platform.Linux;

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

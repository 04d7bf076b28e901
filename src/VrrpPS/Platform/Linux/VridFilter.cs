using System.Runtime.InteropServices;

namespace VrrpPS.Platform.Linux;

/// <summary>
/// A classic BPF program for SO_ATTACH_FILTER that lets through only VRRP messages of one VRID, so the
/// kernel wakes an instance's socket only for its own virtual router: with N instances on a LAN, each
/// advert is read once, not N times (the receive path scales with the number of VRIDs). An IPv4 raw
/// socket's filter sees the IP header (VRID at IHL×4 + 1); an IPv6 one sees the VRRP message (VRID at 1).
/// </summary>
internal static unsafe class VridFilter
{
    private const ushort BPF_LD = 0x00, BPF_LDX = 0x01, BPF_JMP = 0x05, BPF_RET = 0x06;
    private const ushort BPF_B = 0x10, BPF_ABS = 0x20, BPF_IND = 0x40, BPF_MSH = 0xa0, BPF_JEQ = 0x10, BPF_K = 0x00;
    private const int SOL_SOCKET = 1, SO_ATTACH_FILTER = 26;

    [StructLayout(LayoutKind.Sequential)]
    private struct SockFilter
    {
        public ushort Code;
        public byte Jt;
        public byte Jf;
        public uint K;

        public SockFilter(ushort code, byte jt, byte jf, uint k) => (Code, Jt, Jf, K) = (code, jt, jf, k);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SockFprog
    {
        public ushort Length;
        public SockFilter* Filter;
    }

    /// <summary>The program, as the kernel will run it (exposed for the byte-level test).</summary>
    internal static (ushort Code, byte Jt, byte Jf, uint K)[] Program(bool ipv6, byte vrid)
    {
        var p = ipv6
            ? new[]
            {
                new SockFilter(BPF_LD | BPF_B | BPF_ABS, 0, 0, 1),        // A = message[1] (VRID)
                new SockFilter(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, vrid),    // A == vrid ? next : drop
                new SockFilter(BPF_RET | BPF_K, 0, 0, 0xFFFF),            // accept (up to 64 KiB)
                new SockFilter(BPF_RET | BPF_K, 0, 0, 0),                 // drop
            }
            : new[]
            {
                new SockFilter(BPF_LDX | BPF_B | BPF_MSH, 0, 0, 0),       // X = IHL × 4
                new SockFilter(BPF_LD | BPF_B | BPF_IND, 0, 0, 1),        // A = packet[X + 1] (VRID)
                new SockFilter(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, vrid),
                new SockFilter(BPF_RET | BPF_K, 0, 0, 0xFFFF),
                new SockFilter(BPF_RET | BPF_K, 0, 0, 0),
            };
        return p.Select(f => (f.Code, f.Jt, f.Jf, f.K)).ToArray();
    }

    public static void Attach(FdHandle fd, bool ipv6, byte vrid) => Attach(fd, Program(ipv6, vrid));

    /// <summary>A send-only socket: every message dropped before it is queued.</summary>
    public static void AttachDropAll(FdHandle fd) => Attach(fd, [(BPF_RET | BPF_K, 0, 0, 0)]);

    private static void Attach(FdHandle fd, (ushort Code, byte Jt, byte Jf, uint K)[] instructions)
    {
        var program = instructions.Select(f => new SockFilter(f.Code, f.Jt, f.Jf, f.K)).ToArray();
        fixed (SockFilter* filter = program)
        {
            var fprog = new SockFprog { Length = (ushort)program.Length, Filter = filter };
            if (Tmds.Linux.LibC.setsockopt(fd.Fd, SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof(SockFprog)) != 0)
            {
                throw Errno.Fail("setsockopt(SO_ATTACH_FILTER)");
            }
        }
    }
}

using System.Net.Sockets;

namespace VrrpPS.Hosting;

/// <summary>
/// Who is at the other end of a Unix socket (SO_PEERCRED: pid, uid, gid at connect time) and what
/// that caller may do: root (or the daemon's own user) everything, members of the configured
/// monitoring group (primary or supplementary, from /proc/PID/status) read-only requests.
/// </summary>
internal readonly record struct PeerCredentials(int ProcessId, uint UserId, uint GroupId)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    public static PeerCredentials? Of(Socket socket)
    {
        Span<byte> buf = stackalloc byte[12];
        try
        {
            if (socket.GetRawSocketOption(SolSocket, SoPeerCred, buf) != 12)
            {
                return null;
            }
        }
        catch (SocketException)
        {
            return null;
        }
        return new PeerCredentials(BitConverter.ToInt32(buf), BitConverter.ToUInt32(buf[4..]), BitConverter.ToUInt32(buf[8..]));
    }

    public ControlAccess Access(uint daemonUid, uint? readOnlyGroup)
    {
        if (UserId == 0 || UserId == daemonUid)
        {
            return ControlAccess.Control;
        }
        if (readOnlyGroup is uint g && (GroupId == g || SupplementaryGroups(ProcessId).Contains(g)))
        {
            return ControlAccess.ReadOnly;
        }
        return ControlAccess.None;
    }

    private static HashSet<uint> SupplementaryGroups(int pid)
    {
        var groups = new HashSet<uint>();
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("Groups:", StringComparison.Ordinal))
                {
                    foreach (string g in line[7..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (uint.TryParse(g, out uint id))
                        {
                            groups.Add(id);
                        }
                    }
                    break;
                }
            }
        }
        catch (IOException)
        {
            // the peer is gone: no supplementary groups
        }
        return groups;
    }
}

internal enum ControlAccess
{
    None,
    ReadOnly,
    Control,
}

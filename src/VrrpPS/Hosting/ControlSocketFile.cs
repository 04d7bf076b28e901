using System.Net.Sockets;
using Tmds.Linux;
using VrrpPS.Engine;

namespace VrrpPS.Hosting;

/// <summary>
/// Creates the control socket safely: the directory is created 0700 (0750 with a monitoring group,
/// group-owned by it); an existing path is removed only when it is a stale socket (S_ISSOCK, owned by
/// us, nobody answering) — never a regular file, a link or someone else's socket; the socket is
/// bound under a restrictive umask so it is never, even for an instant, connectable by others,
/// then given its final mode (0600, or 0660 with the group).
/// </summary>
internal static class ControlSocketFile
{
    /// <summary>Test hook: called right after bind(2), before the final chmod, with the socket path.</summary>
    internal static Action<string>? AfterBind;

    private static readonly object s_umaskGate = new();

    public static Socket Bind(string path, uint? group)
    {
        uint me = UnixFileStatus.EffectiveUid;
        string dir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";
        PrepareDirectory(dir, group, me);
        if (UnixFileStatus.Lstat(path) is { } existing)
        {
            if (!existing.IsSocket)
            {
                throw new VrrpEngineException(ControlErrorIds.PathInUse,
                    $"{path} exists and is not a socket; the control socket never replaces it. Choose another -ControlSocket.", path);
            }
            if (existing.Uid != me)
            {
                throw new VrrpEngineException(ControlErrorIds.PathInUse,
                    $"{path} is a socket owned by uid {existing.Uid}, not by this daemon; it is left alone. Choose another -ControlSocket.", path);
            }
            if (IsAlive(path))
            {
                throw new VrrpEngineException(EngineErrorIds.ControlSocketUnavailable,
                    $"Another VrrpPS engine already serves {path}. Set ${ControlProtocol.EnvironmentVariable} to use another path.", path);
            }
            File.Delete(path); // a stale socket of ours, from a process that died
        }
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            lock (s_umaskGate)
            {
                // 0177: the socket is created 0600; umask is per process, so it is restored at once.
                mode_t old = LibC.umask(0x7F);
                try
                {
                    listener.Bind(new UnixDomainSocketEndPoint(path));
                }
                finally
                {
                    LibC.umask(old);
                }
            }
            AfterBind?.Invoke(path);
            if (group is uint g && OperatingSystem.IsLinux())
            {
                Chown(path, g);
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
            }
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    private static void PrepareDirectory(string dir, uint? group, uint me)
    {
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        if (group is not null)
        {
            mode |= UnixFileMode.GroupRead | UnixFileMode.GroupExecute;
        }
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The VrrpPS daemon runs on Linux.");
        }
        if (UnixFileStatus.Lstat(dir) is null)
        {
            Directory.CreateDirectory(dir, mode);
            if (group is uint g)
            {
                Chown(dir, g);
            }
            return;
        }
        // Our own private directory (not /tmp-like): give the monitoring group its way in.
        if (group is uint grp && UnixFileStatus.Lstat(dir) is { IsDirectory: true } st && st.Uid == me && (st.Permissions & 0x202) == 0)
        {
            Chown(dir, grp);
            File.SetUnixFileMode(dir, (UnixFileMode)(st.Permissions & ~0x7u & ~0x20u) | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        }
    }

    private static unsafe void Chown(string path, uint group)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            if (LibC.chown(p, unchecked((uid_t)uint.MaxValue), (gid_t)group) != 0)
            {
                throw new VrrpEngineException(EngineErrorIds.ControlSocketUnavailable, $"Cannot give {path} to group {group} (chown failed).", path);
            }
        }
    }

    internal static bool IsAlive(string path)
    {
        try
        {
            using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            s.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Removes the socket at shutdown, only if it is still our socket.</summary>
    public static void Remove(string path)
    {
        if (UnixFileStatus.Lstat(path) is { IsSocket: true } st && st.Uid == UnixFileStatus.EffectiveUid)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
        }
    }
}

using System.Runtime.InteropServices;
using Tmds.Linux;

namespace VrrpPS.Engine.Tracking;

/// <summary>
/// keepalived's script security (2.2.7 lib/notify.c, checked in its source): what will execute is
/// resolved first — a bare name only in <see cref="SafePath"/>, symlinks followed — and a program that
/// runs as root (no user, a user or group with id 0, or a set-uid/gid-root file) must be root-owned
/// and not writable by a non-root group or others, and so must every directory above it (a sticky
/// directory such as /tmp excepted), along the path as written and along the resolved one. Otherwise a
/// non-root user could change what root runs. With enforcement (keepalived enable_script_security) such
/// a program refuses the start; without it keepalived logs the unsafe permissions and still runs it,
/// and so does VrrpPS (a warning in the log).
/// </summary>
internal static class ScriptSecurity
{
    public const string InsecureErrorId = EngineErrorIds.ScriptInsecure;
    public const string NotFoundErrorId = EngineErrorIds.ScriptNotFound;
    public const string UserNotFoundErrorId = EngineErrorIds.ScriptUserNotFound;

    /// <summary>
    /// Where a bare program name is searched, and the PATH a program is started with: systemd's default
    /// for services (what keepalived sees when started by its unit), plus /sbin and /bin. Never the
    /// current directory or pwsh's own directory.
    /// </summary>
    public const string SafePath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static bool RunningAsRoot => LibC.geteuid() == 0;

    /// <summary>
    /// The absolute path that will be executed: a name with a slash as written (relative to /, the
    /// directory programs start in), a bare name searched in <see cref="SafePath"/>; null when there is
    /// no such executable file.
    /// </summary>
    public static string? Resolve(string program)
    {
        if (program.Length == 0)
        {
            return null;
        }
        if (program.Contains('/'))
        {
            string full = Path.GetFullPath(program, "/");
            return IsExecutableFile(full) ? full : null;
        }
        foreach (var dir in SafePath.Split(':'))
        {
            string candidate = Path.Combine(dir, program);
            if (IsExecutableFile(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>
    /// Checks a program before the start: it must exist and its user must exist; when it would run as
    /// root, the program and the directories above it must be safe. Unsafe: throws when
    /// <paramref name="enforce"/>, otherwise reports through <paramref name="warn"/>. Returns the resolved path.
    /// </summary>
    public static string Check(string what, string program, ProgramUser? user = null, bool enforce = true, Action<string>? warn = null)
    {
        string path = Resolve(program) ?? throw new VrrpEngineException(NotFoundErrorId,
            $"{what}: '{program}' was not found or is not executable (give a full path; a bare name is searched in {SafePath} only).", program);
        if (!RunningAsRoot)
        {
            return path; // a non-root engine cannot raise anyone's privileges
        }
        (uint Uid, uint Gid) runAs = (0, 0);
        if (user is not null)
        {
            runAs = ScriptAccounts.Lookup(user.User, user.Group) ?? throw new VrrpEngineException(UserNotFoundErrorId,
                $"{what}: user '{user.User}'{(user.Group is null ? "" : $" or group '{user.Group}'")} does not exist in /etc/passwd or /etc/group.", user.User);
        }
        string? real = RealPath(path);
        if (runAs.Uid != 0 && runAs.Gid != 0 && !SetIdRoot(real ?? path))
        {
            return path; // keepalived checks only programs that run with root's uid or gid
        }
        string? problem = FirstUnsafe(path) ?? (real is null || real == path ? null : FirstUnsafe(real));
        if (problem is null)
        {
            return path;
        }
        string message = $"{what}: {problem}, so running '{path}' as root is unsafe (keepalived script security).";
        if (enforce)
        {
            throw new VrrpEngineException(InsecureErrorId, message + " It is refused because script security is enforced (enable_script_security).", path);
        }
        warn?.Invoke(message + " It runs anyway because global_defs has no enable_script_security, as keepalived does.");
        return path;
    }

    // Walks from / down to the file, not following symlinks (each link's own owner, each directory's mode).
    private static string? FirstUnsafe(string path)
    {
        string current = "/";
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int i = -1; i < parts.Length; i++)
        {
            if (i >= 0)
            {
                current = current == "/" ? "/" + parts[i] : current + "/" + parts[i];
            }
            if (!Lstat(current, out var st))
            {
                return $"'{current}' cannot be examined";
            }
            uint mode = (uint)st.st_mode;
            uint type = mode & 0xF000;
            bool dir = type == 0x4000, regular = type == 0x8000, link = type == 0xA000;
            string kind = dir ? "directory" : regular ? "file" : link ? "symlink" : "path component";
            if ((uint)st.st_uid != 0)
            {
                return $"{kind} '{current}' is owned by uid {(uint)st.st_uid}, not root (fix: chown root:root '{current}')";
            }
            bool sticky = (mode & 0x200) != 0;
            if ((dir && !sticky) || regular)
            {
                bool groupWritable = (uint)st.st_gid != 0 && (mode & 0x10) != 0;
                bool otherWritable = (mode & 0x2) != 0;
                if (groupWritable || otherWritable)
                {
                    return $"{kind} '{current}' is writable by {(otherWritable ? "others" : $"group gid {(uint)st.st_gid}")} (mode {Convert.ToString(mode & 0xFFF, 8)}; fix: chmod go-w '{current}')";
                }
            }
        }
        return null;
    }

    // A regular file (symlinks followed) with an execute bit.
    private static bool IsExecutableFile(string path) =>
        Stat(path, out var st) && ((uint)st.st_mode & 0xF000) == 0x8000 && ((uint)st.st_mode & 0x49) != 0;

    // A set-uid-root or set-gid-root executable runs with root's ids whoever starts it.
    private static bool SetIdRoot(string path)
    {
        if (!Stat(path, out var st))
        {
            return false;
        }
        uint mode = (uint)st.st_mode;
        return ((uint)st.st_uid == 0 && (mode & 0x800) != 0 && (mode & 0x40) != 0)
            || ((uint)st.st_gid == 0 && (mode & 0x400) != 0 && (mode & 0x8) != 0);
    }

    private static bool Lstat(string path, out stat st) => StatOf(path, follow: false, out st);

    private static bool Stat(string path, out stat st) => StatOf(path, follow: true, out st);

    private static unsafe bool StatOf(string path, bool follow, out stat st)
    {
        st = default;
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        fixed (stat* s = &st)
        {
            return (follow ? LibC.stat(p, s) : LibC.lstat(p, s)) == 0;
        }
    }

    /// <summary>The path with every symlink, /./ and /../ resolved (libc realpath); null when it cannot be resolved.</summary>
    public static string? RealPath(string path)
    {
        IntPtr p = realpath(path, IntPtr.Zero);
        if (p == IntPtr.Zero)
        {
            return null;
        }
        try
        {
            return Marshal.PtrToStringUTF8(p);
        }
        finally
        {
            free(p);
        }
    }

    [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
    private static extern IntPtr realpath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void free(IntPtr p);
}

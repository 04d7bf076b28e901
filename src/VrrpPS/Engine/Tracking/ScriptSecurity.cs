using Tmds.Linux;

namespace VrrpPS.Engine.Tracking;

/// <summary>
/// keepalived's enable_script_security, always on when the engine runs as root: a program that a
/// non-root user could modify (the file or any directory above it) would let that user run code
/// as root, so it is refused with an error that says how to fix it.
/// </summary>
internal static class ScriptSecurity
{
    public const string InsecureErrorId = "VrrpScriptInsecure";
    public const string NotFoundErrorId = "VrrpScriptNotFound";

    /// <summary>
    /// Where a bare program name is searched, and the PATH a program is started with: systemd's default
    /// for services (what keepalived sees when started by its unit), plus /sbin and /bin. Never the
    /// current directory or pwsh's own directory.
    /// </summary>
    public const string SafePath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static bool RunningAsRoot => LibC.geteuid() == 0;

    /// <summary>Resolves argv[0] through PATH like execvp; null when not found.</summary>
    public static string? Resolve(string program)
    {
        if (program.Contains('/'))
        {
            return File.Exists(program) ? Path.GetFullPath(program) : null;
        }
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':'))
        {
            if (dir.Length == 0)
            {
                continue;
            }
            string candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>Throws <see cref="VrrpEngineException"/> when the program is missing or unsafe to run as root.</summary>
    public static void Check(string what, string program, bool asRoot)
    {
        string? path = Resolve(program);
        if (path is null)
        {
            throw new VrrpEngineException(NotFoundErrorId,
                $"{what}: '{program}' was not found (give a full path or put it on PATH).", program);
        }
        if (!asRoot)
        {
            return;
        }
        string? current = path;
        while (!string.IsNullOrEmpty(current))
        {
            if (Writable(current, out uint uid, out uint mode))
            {
                string kind = current == path ? "file" : "directory";
                throw new VrrpEngineException(InsecureErrorId,
                    $"{what}: {kind} '{current}' is writable by a non-root user (owner uid {uid}, mode {Convert.ToString(mode & 0xFFF, 8)}), " +
                    $"so running '{path}' as root is refused (keepalived enable_script_security). " +
                    $"Fix: chown root:root '{current}' && chmod go-w '{current}'.", path);
            }
            string? parent = Path.GetDirectoryName(current);
            current = parent == current ? null : parent;
        }
    }

    // Symlinks are followed (stat), as the kernel will when executing the program.
    private static unsafe bool Writable(string path, out uint uid, out uint mode)
    {
        stat st;
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        int rc;
        fixed (byte* p = bytes)
        {
            rc = LibC.stat(p, &st);
        }
        if (rc != 0)
        {
            uid = 0;
            mode = 0;
            return false;
        }
        uid = (uint)st.st_uid;
        mode = (uint)st.st_mode;
        bool sticky = (mode & 0x200) != 0; // /tmp-style directories: others cannot replace a root-owned file
        bool ownerWritable = uid != 0 && (mode & 0x80) != 0;
        bool groupWritable = (uint)st.st_gid != 0 && (mode & 0x10) != 0 && !(sticky && (mode & 0x4000) != 0);
        bool otherWritable = (mode & 0x2) != 0 && !(sticky && (mode & 0x4000) != 0);
        return ownerWritable || groupWritable || otherWritable;
    }
}

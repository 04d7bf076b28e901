using System.Text;
using Tmds.Linux;

namespace VrrpPS.Config;

/// <summary>What <see cref="AtomicConfigFile.Write"/> did.</summary>
internal enum AtomicWriteOutcome { Unchanged, Written }

/// <summary>Replaces a configuration file the way automation needs it: a reader (keepalived on reload, Ansible's diff) sees the
/// old file or the new one, never half of one — the text goes to a temporary file in the same directory, is flushed to disk,
/// gets the replaced file's permissions and owner, and is renamed over it (rename(2) is atomic within a file system). A file
/// whose content would not change is not touched at all (its mtime stays, so Ansible/DSC see "no change").</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // VrrpPS is Linux-only (module manifest, raw sockets)
internal static class AtomicConfigFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(false);

    /// <summary>Throws IOException / UnauthorizedAccessException for what the caller reports as a write error.</summary>
    internal static AtomicWriteOutcome Write(string target, string text)
    {
        byte[] bytes = Utf8NoBom.GetBytes(text);
        bool exists = File.Exists(target);
        if (exists && SameContent(target, bytes)) return AtomicWriteOutcome.Unchanged;
        string dir = Path.GetDirectoryName(Path.GetFullPath(target))!;
        string tmp = Path.Combine(dir, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }
            if (exists)
            {
                File.SetUnixFileMode(tmp, File.GetUnixFileMode(target));
                CopyOwner(target, tmp);
            }
            File.Move(tmp, target, overwrite: true);
            return AtomicWriteOutcome.Written;
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>True when writing <paramref name="text"/> would change <paramref name="target"/> (or create it).</summary>
    internal static bool Differs(string target, string text) => !File.Exists(target) || !SameContent(target, Utf8NoBom.GetBytes(text));

    /// <summary>True when the owner may not write the file (Linux's read-only: no owner write bit), which -Force overrides.</summary>
    internal static bool IsReadOnly(string target) =>
        File.Exists(target) && (File.GetUnixFileMode(target) & UnixFileMode.UserWrite) == 0;

    private static bool SameContent(string target, byte[] bytes)
    {
        var info = new FileInfo(target);
        return info.Length == bytes.Length && File.ReadAllBytes(target).AsSpan().SequenceEqual(bytes);
    }

    private static unsafe void CopyOwner(string from, string to)
    {
        stat st;
        byte[] f = Encoding.UTF8.GetBytes(from + "\0"), t = Encoding.UTF8.GetBytes(to + "\0");
        fixed (byte* pf = f)
        fixed (byte* pt = t)
        {
            if (LibC.stat(pf, &st) != 0) throw new IOException($"Cannot read the owner of '{from}'.");
            // as root this keeps root:keepalived-style ownership; as the file's own user it is a no-op that succeeds
            if (LibC.chown(pt, st.st_uid, st.st_gid) != 0)
                throw new UnauthorizedAccessException($"Cannot give '{to}' the owner {(uint)st.st_uid}:{(uint)st.st_gid} of '{from}'.");
        }
    }
}

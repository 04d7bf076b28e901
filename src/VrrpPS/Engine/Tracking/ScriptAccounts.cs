namespace VrrpPS.Engine.Tracking;

/// <summary>
/// User and group names of script_user / `user` / the words after a notify program, resolved the way
/// keepalived's getpwnam/getgrnam do for local accounts: /etc/passwd and /etc/group (a name given only
/// by NSS, e.g. LDAP, is not found: give a local account).
/// </summary>
internal static class ScriptAccounts
{
    /// <summary>keepalived's default script user when script_user is not set and the account exists.</summary>
    public const string DefaultUser = "keepalived_script";

    /// <summary>The uid and gid a program runs with: the user's, or the named group's gid; null when a name is unknown.</summary>
    public static (uint Uid, uint Gid)? Lookup(string user, string? group, string passwd = "/etc/passwd", string groups = "/etc/group")
    {
        if (Find(passwd, user) is not { } pw || !uint.TryParse(pw[2], out uint uid) || !uint.TryParse(pw[3], out uint gid))
        {
            return null;
        }
        if (group is not null)
        {
            if (Find(groups, group) is not { } gr || !uint.TryParse(gr[2], out gid))
            {
                return null;
            }
        }
        return (uid, gid);
    }

    public static bool Exists(string user, string passwd = "/etc/passwd") => Find(passwd, user) is not null;

    private static string[]? Find(string file, string name)
    {
        if (!File.Exists(file))
        {
            return null;
        }
        foreach (var line in File.ReadLines(file))
        {
            var f = line.Split(':');
            if (f.Length >= 4 && f[0] == name)
            {
                return f;
            }
        }
        return null;
    }
}

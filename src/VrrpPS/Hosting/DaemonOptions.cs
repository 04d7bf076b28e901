namespace VrrpPS.Hosting;

/// <summary>How Start-VrrpInstance -Wait runs the daemon (bound from its parameters).</summary>
internal sealed class DaemonOptions
{
    /// <summary>-ControlSocket, else $VRRPPS_CONTROL_SOCKET, else /run/vrrpps/engine.sock.</summary>
    public string? ControlSocket { get; init; }
    /// <summary>-ControlSocketGroup: name or gid allowed read-only requests.</summary>
    public string? ControlSocketGroup { get; init; }
    /// <summary>-MetricsAddress: "host:port" of the opt-in HTTP metrics listener (null: off).</summary>
    public string? MetricsAddress { get; init; }

    /// <summary>The gid of a group name or number from /etc/group; throws when unknown.</summary>
    public static uint ResolveGroup(string group)
    {
        if (uint.TryParse(group, out uint gid))
        {
            return gid;
        }
        foreach (string line in File.ReadLines("/etc/group"))
        {
            string[] f = line.Split(':');
            if (f.Length >= 3 && f[0] == group && uint.TryParse(f[2], out gid))
            {
                return gid;
            }
        }
        throw new VrrpPS.Engine.VrrpEngineException("VrrpControlSocketGroupNotFound", $"No group named '{group}' in /etc/group.", group);
    }
}

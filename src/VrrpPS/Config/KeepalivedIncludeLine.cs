namespace VrrpPS.Config;

/// <summary>An `include` line of a keepalived.conf tree as Import read it (on <see cref="KeepalivedGlobalConfig.Includes"/>), so
/// Export-KeepalivedConfig -PreserveIncludes can write the tree back as a tree.</summary>
public sealed class KeepalivedIncludeLine
{
    /// <summary>The file the line is in.</summary>
    public string File { get; set; } = "";
    public int Line { get; set; }
    /// <summary>The line as written, e.g. `include conf.d/*.conf`.</summary>
    public string Text { get; set; } = "";
    /// <summary>The files it included, in keepalived's order (glob order).</summary>
    public string[] Files { get; set; } = [];
}

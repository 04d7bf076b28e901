namespace VrrpPS.Config;

/// <summary>Options of <see cref="KeepalivedConfigWriter.Write(IEnumerable{object}, KeepalivedWriteOptions)"/>.</summary>
public sealed class KeepalivedWriteOptions
{
    /// <summary>Write every effective value (Export-KeepalivedConfig -Explicit) instead of only what keepalived would not infer.</summary>
    public bool Explicit { get; set; }
}

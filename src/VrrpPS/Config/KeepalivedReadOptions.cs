namespace VrrpPS.Config;

/// <summary>Options of <see cref="KeepalivedConfigReader.Read"/>.</summary>
public sealed class KeepalivedReadOptions
{
    /// <summary>Config id for `@ID` lines; null = short host name (keepalived's default).</summary>
    public string? ConfigId { get; set; }
    /// <summary>Unknown keywords become errors.</summary>
    public bool Strict { get; set; }
    /// <summary>Upper bound on generated lines (protects against ~SEQ / recursive definition blow-up).</summary>
    public int MaxLines { get; set; } = 200_000;
}

namespace VrrpPS.Config;

/// <summary>Export-KeepalivedConfig -PassThru: the file written (or left alone) and whether its content changed.</summary>
public sealed class KeepalivedExportResult
{
    /// <summary>Full path of the file.</summary>
    public string Path { get; set; } = "";
    /// <summary>False when the file already held exactly this text (it was not rewritten) or -WhatIf skipped the write.</summary>
    public bool Changed { get; set; }
    /// <summary>The file as it is now (null after -WhatIf on a file that does not exist).</summary>
    public FileInfo? File { get; set; }
}

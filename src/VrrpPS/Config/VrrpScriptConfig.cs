namespace VrrpPS.Config;

/// <summary>A `vrrp_script` block.</summary>
public sealed class VrrpScriptConfig
{
    public string Name { get; set; } = "";
    public string Script { get; set; } = "";
    public string[] ScriptArguments { get; set; } = [];
    public double Interval { get; set; } = 1;
    public double Timeout { get; set; }
    public int Weight { get; set; }
    public int Rise { get; set; } = 1;
    public int Fall { get; set; } = 1;
    public string? User { get; set; }
    public string? Group { get; set; }
    public bool InitFail { get; set; }
    public bool Reverse { get; set; }
    public string? SourceFile { get; set; }
    public int SourceLine { get; set; }
}

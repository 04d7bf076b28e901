namespace VrrpPS.Config;

/// <summary>One parser diagnostic, located at file:line:column with the offending token.</summary>
public sealed class ConfigDiagnostic
{
    public ConfigDiagnosticSeverity Severity { get; set; }
    public string ErrorId { get; set; } = "";
    public string? File { get; set; }
    public int Line { get; set; }
    public int Column { get; set; }
    public string? Token { get; set; }
    public string Message { get; set; } = "";
    public override string ToString() => $"{File}:{Line}:{Column}: {Severity.ToString().ToLowerInvariant()} {ErrorId}: {Message}";
}

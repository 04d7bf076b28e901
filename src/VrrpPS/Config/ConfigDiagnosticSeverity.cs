namespace VrrpPS.Config;

/// <summary>Severity of a parser diagnostic.</summary>
public enum ConfigDiagnosticSeverity { Info, Warning, Error }


namespace VrrpPS.Config;

/// <summary>Severity of a cross-node finding.</summary>
public enum VrrpFindingSeverity { Information, Warning, Error }

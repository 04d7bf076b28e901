
namespace VrrpPS.Config;

/// <summary>Initial state requested by `state` (keepalived: MASTER / BACKUP).</summary>
public enum VrrpInitialState { Backup, Master }

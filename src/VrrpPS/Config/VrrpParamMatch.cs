namespace VrrpPS.Config;

/// <summary>keepalived `param_match`: how a vrrp_track_process's parameters are compared with a process's arguments.</summary>
public enum VrrpParamMatch { Exact, Partial, Initial }

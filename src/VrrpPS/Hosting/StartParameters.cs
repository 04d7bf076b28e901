using System.Management.Automation;
using VrrpPS.Config;
using VrrpPS.Protocol;

namespace VrrpPS.Hosting;

/// <summary>
/// What Start-VrrpInstance was given, as plain values: the cmdlet binds into this object and Hosting
/// turns it into engine definitions (<see cref="ParameterDefinitionBuilder"/>, <see cref="TrackingParameterBuilder"/>)
/// and runs the start (<see cref="InstanceStarter"/>). The only PowerShell types are the -On* script blocks,
/// whose text the engine re-creates in its own runspace.
/// </summary>
internal sealed class StartParameters
{
    /// <summary>-NotifyTimeout when it is not given.</summary>
    public const double DefaultNotifyTimeoutSeconds = 30;

    // The "Parameters" set: one instance.
    public string Name { get; set; } = string.Empty;
    public string Interface { get; set; } = string.Empty;
    public int VirtualRouterId { get; set; }
    public int Priority { get; set; } = VrrpConstants.DefaultPriority;
    public string[] VirtualIPAddress { get; set; } = [];
    public string[]? ExcludedIPAddress { get; set; }
    /// <summary>Seconds, like keepalived's advert_int.</summary>
    public double AdvertisementInterval { get; set; } = 1;
    public int Version { get; set; } = 3;
    public string[]? UnicastPeer { get; set; }
    public string? UnicastSourceAddress { get; set; }
    public string? AuthenticationPassword { get; set; }
    public bool NoPreempt { get; set; }
    public double PreemptDelay { get; set; }
    public string InitialState { get; set; } = "Backup";
    public bool V3ChecksumAsV2 { get; set; }
    public VrrpTrackScript[]? TrackScript { get; set; }
    public VrrpTrackInterface[]? TrackInterface { get; set; }
    public VrrpTrackFile[]? TrackFile { get; set; }
    public VrrpTrackProcess[]? TrackProcess { get; set; }
    public bool DontTrackPrimary { get; set; }
    public bool AcceptMode { get; set; } = true;
    public bool UseVirtualMac { get; set; }
    public string? VirtualMacName { get; set; }
    public bool VirtualMacTransmitBase { get; set; }
    public string? SyncGroup { get; set; }
    public string[]? NotifyMaster { get; set; }
    public string[]? NotifyBackup { get; set; }
    public string[]? NotifyFault { get; set; }
    public string[]? NotifyStop { get; set; }
    public string[]? Notify { get; set; }
    public string? NotifyFifo { get; set; }

    // Both sets: every instance of the call.
    public ScriptBlock? OnMaster { get; set; }
    public ScriptBlock? OnBackup { get; set; }
    public ScriptBlock? OnFault { get; set; }
    public ScriptBlock? OnStop { get; set; }
    /// <summary>-NotifyTimeout in seconds; null when not given.</summary>
    public double? NotifyTimeout { get; set; }
    public int RealtimePriority { get; set; }
    public bool NoSwap { get; set; }
    public bool Wait { get; set; }
    public string? ControlSocket { get; set; }
    public string? ControlSocketGroup { get; set; }
    public string? MetricsAddress { get; set; }
}

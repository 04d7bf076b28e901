using System.Management.Automation;
using System.Management.Automation.Runspaces;
using VrrpPS.Engine.Notify;
using VrrpPS.Engine;
using VrrpPS.Hosting;
using VrrpPS.Cmdlets.Completion;

namespace VrrpPS.Cmdlets;

/// <summary>
/// Starts VRRP instances in this process's engine, from parameters or from config objects
/// (Import-KeepalivedConfig). All instances of one call start together or not at all.
/// Binds into <see cref="StartParameters"/>; the start itself is <see cref="InstanceStarter"/>'s.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "VrrpInstance", SupportsShouldProcess = true, DefaultParameterSetName = ParametersSet)]
[OutputType(typeof(VrrpInstanceState))]
public sealed class StartVrrpInstanceCommand : PSCmdlet
{
    private const string ParametersSet = "Parameters";
    private const string ConfigSet = "Config";

    private readonly StartParameters _p = new();
    private readonly InstanceStarter _starter;
    private readonly CancellationTokenSource _cancel = new();

    public StartVrrpInstanceCommand() => _starter = new InstanceStarter(_p);

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ParametersSet)]
    [ValidateNotNullOrEmpty]
    public string Name { get => _p.Name; set => _p.Name = value; }

    [Parameter(Mandatory = true, ParameterSetName = ParametersSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(InterfaceNameCompleter))]
    public string Interface { get => _p.Interface; set => _p.Interface = value; }

    [Parameter(Mandatory = true, ParameterSetName = ParametersSet)]
    [Alias("Vrid")]
    public int VirtualRouterId { get => _p.VirtualRouterId; set => _p.VirtualRouterId = value; }

    [Parameter(ParameterSetName = ParametersSet)]
    public int Priority { get => _p.Priority; set => _p.Priority = value; }

    [Parameter(Mandatory = true, ParameterSetName = ParametersSet)]
    [Alias("Vip")]
    [ValidateNotNullOrEmpty]
    public string[] VirtualIPAddress { get => _p.VirtualIPAddress; set => _p.VirtualIPAddress = value; }

    /// <summary>keepalived virtual_ipaddress_excluded: held with the VIPs but not advertised (any family).</summary>
    [Parameter(ParameterSetName = ParametersSet)]
    public string[]? ExcludedIPAddress { get => _p.ExcludedIPAddress; set => _p.ExcludedIPAddress = value; }

    /// <summary>Seconds, like keepalived's advert_int (0.01 steps for v3).</summary>
    [Parameter(ParameterSetName = ParametersSet)]
    public double AdvertisementInterval { get => _p.AdvertisementInterval; set => _p.AdvertisementInterval = value; }

    [Parameter(ParameterSetName = ParametersSet)]
    [ValidateSet("2", "3")]
    public int Version { get => _p.Version; set => _p.Version = value; }

    [Parameter(ParameterSetName = ParametersSet)]
    public string[]? UnicastPeer { get => _p.UnicastPeer; set => _p.UnicastPeer = value; }

    [Parameter(ParameterSetName = ParametersSet)]
    public string? UnicastSourceAddress { get => _p.UnicastSourceAddress; set => _p.UnicastSourceAddress = value; }

    [Parameter(ParameterSetName = ParametersSet)]
    public string? AuthenticationPassword { get => _p.AuthenticationPassword; set => _p.AuthenticationPassword = value; }

    [Parameter(ParameterSetName = ParametersSet)]
    public SwitchParameter NoPreempt { get => _p.NoPreempt; set => _p.NoPreempt = value; }

    [Parameter(ParameterSetName = ParametersSet)]
    [ValidateRange(0, 1000)]
    public double PreemptDelay { get => _p.PreemptDelay; set => _p.PreemptDelay = value; }

    [Parameter(ParameterSetName = ParametersSet)]
    [ValidateSet("Backup", "Master")]
    public string InitialState { get => _p.InitialState; set => _p.InitialState = value; }

    /// <summary>VRRPv3 IPv4 checksum without pseudo-header (keepalived v3_checksum_as_v2).</summary>
    [Parameter(ParameterSetName = ParametersSet)]
    public SwitchParameter V3ChecksumAsV2 { get => _p.V3ChecksumAsV2; set => _p.V3ChecksumAsV2 = value; }

    /// <summary>Health checks: hashtables (see <see cref="VrrpTrackScript"/>).</summary>
    [Parameter(ParameterSetName = ParametersSet)]
    public VrrpTrackScript[]? TrackScript { get => _p.TrackScript; set => _p.TrackScript = value; }

    /// <summary>keepalived track_interface: @{ Name='eth1'; Weight=-20; Reverse=$false }.</summary>
    [Parameter(ParameterSetName = ParametersSet)]
    public VrrpPS.Config.VrrpTrackInterface[]? TrackInterface { get => _p.TrackInterface; set => _p.TrackInterface = value; }

    [Parameter(ParameterSetName = ParametersSet)]
    public VrrpTrackFile[]? TrackFile { get => _p.TrackFile; set => _p.TrackFile = value; }

    /// <summary>keepalived vrrp_track_process: @{ Name='haproxy'; Process='haproxy'; Weight=-60 }.</summary>
    [Parameter(ParameterSetName = ParametersSet)]
    public VrrpTrackProcess[]? TrackProcess { get => _p.TrackProcess; set => _p.TrackProcess = value; }

    [Parameter(ParameterSetName = ParametersSet)]
    public SwitchParameter DontTrackPrimary { get => _p.DontTrackPrimary; set => _p.DontTrackPrimary = value; }

    /// <summary>RFC 5798 Accept_Mode; on unless given as -AcceptMode:$false (keepalived no_accept).</summary>
    [Parameter(ParameterSetName = ParametersSet)]
    public SwitchParameter AcceptMode { get => _p.AcceptMode; set => _p.AcceptMode = value; }

    /// <summary>keepalived use_vmac: the VIPs on a macvlan with the virtual MAC 00:00:5e:00:01:VRID.</summary>
    [Parameter(ParameterSetName = ParametersSet)]
    public SwitchParameter UseVirtualMac { get => _p.UseVirtualMac; set => _p.UseVirtualMac = value; }

    [Parameter(ParameterSetName = ParametersSet)]
    [ValidatePattern("^[A-Za-z0-9_.-]{1,15}$")]
    public string? VirtualMacName { get => _p.VirtualMacName; set => _p.VirtualMacName = value; }

    /// <summary>keepalived vmac_xmit_base: adverts from the base interface.</summary>
    [Parameter(ParameterSetName = ParametersSet)]
    public SwitchParameter VirtualMacTransmitBase { get => _p.VirtualMacTransmitBase; set => _p.VirtualMacTransmitBase = value; }

    /// <summary>Instances started with the same sync group change state together (FAULT, Master, Backup).</summary>
    [Parameter(ParameterSetName = ParametersSet)]
    public string? SyncGroup { get => _p.SyncGroup; set => _p.SyncGroup = value; }

    [Parameter(ParameterSetName = ParametersSet)]
    public string[]? NotifyMaster { get => _p.NotifyMaster; set => _p.NotifyMaster = value; }

    [Parameter(ParameterSetName = ParametersSet)]
    public string[]? NotifyBackup { get => _p.NotifyBackup; set => _p.NotifyBackup = value; }

    [Parameter(ParameterSetName = ParametersSet)]
    public string[]? NotifyFault { get => _p.NotifyFault; set => _p.NotifyFault = value; }

    [Parameter(ParameterSetName = ParametersSet)]
    public string[]? NotifyStop { get => _p.NotifyStop; set => _p.NotifyStop = value; }

    /// <summary>keepalived `notify`: run for every transition with INSTANCE name STATE priority appended.</summary>
    [Parameter(ParameterSetName = ParametersSet)]
    public string[]? Notify { get => _p.Notify; set => _p.Notify = value; }

    [Parameter(ParameterSetName = ParametersSet)]
    public string? NotifyFifo { get => _p.NotifyFifo; set => _p.NotifyFifo = value; }

    [Parameter]
    public ScriptBlock? OnMaster { get => _p.OnMaster; set => _p.OnMaster = value; }

    [Parameter]
    public ScriptBlock? OnBackup { get => _p.OnBackup; set => _p.OnBackup = value; }

    [Parameter]
    public ScriptBlock? OnFault { get => _p.OnFault; set => _p.OnFault = value; }

    [Parameter]
    public ScriptBlock? OnStop { get => _p.OnStop; set => _p.OnStop = value; }

    [Parameter]
    [ValidateRange(0.1, 3600)]
    public double NotifyTimeout { get => _p.NotifyTimeout ?? StartParameters.DefaultNotifyTimeoutSeconds; set => _p.NotifyTimeout = value; }

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ConfigSet)]
    public object[] InputObject { get; set; } = [];

    /// <summary>SCHED_RR priority (1-99) of the engine thread, like keepalived's vrrp_rt_priority; default: normal scheduling.</summary>
    [Parameter]
    [ValidateRange(1, 99)]
    public int RealtimePriority { get => _p.RealtimePriority; set => _p.RealtimePriority = value; }

    /// <summary>Lock the process's memory (mlockall), like keepalived's vrrp_no_swap.</summary>
    [Parameter]
    public SwitchParameter NoSwap { get => _p.NoSwap; set => _p.NoSwap = value; }

    /// <summary>Runs until stopped (Ctrl+C, SIGTERM, or a shutdown over the control socket).</summary>
    [Parameter]
    public SwitchParameter Wait { get => _p.Wait; set => _p.Wait = value; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ControlSocket { get => _p.ControlSocket; set => _p.ControlSocket = value; }

    /// <summary>With -Wait: a group (name or gid) whose members may read state, stats and metrics through the control socket.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ControlSocketGroup { get => _p.ControlSocketGroup; set => _p.ControlSocketGroup = value; }

    /// <summary>With -Wait: address:port of the opt-in OpenMetrics HTTP listener (off by default).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MetricsAddress { get => _p.MetricsAddress; set => _p.MetricsAddress = value; }

    protected override void ProcessRecord()
    {
        try
        {
            if (ParameterSetName == ParametersSet)
            {
                _starter.AddParameters();
            }
            else
            {
                foreach (var o in InputObject)
                {
                    _starter.AddConfig(o is PSObject p ? p.BaseObject : o);
                }
            }
        }
        catch (VrrpEngineException ex)
        {
            ThrowTerminatingError(CmdletSupport.ToErrorRecord(ex));
        }
    }

    protected override void EndProcessing()
    {
        try
        {
            foreach (var w in _starter.SessionWarnings())
            {
                WriteWarning(w);
            }
            var plan = _starter.Plan();
            if (plan.Definitions.Count == 0 || !ShouldProcess(plan.Description, "Start VRRP instance"))
            {
                return;
            }
            StopEngineWhenPwshExits();
            using var run = _starter.Start(plan, engine => SubscribeEvents(engine, plan.Names));
            if (!Wait)
            {
                CmdletSupport.Drain(this, run.Log); // with -Wait the log goes to stderr, start-up lines included
            }
            if (PassThru)
            {
                WriteObject(run.Started, enumerateCollection: true);
            }
            if (Wait)
            {
                _starter.RunDaemon(run, _cancel.Token);
            }
        }
        catch (VrrpEngineException ex)
        {
            ThrowTerminatingError(CmdletSupport.ToErrorRecord(ex));
        }
    }

    protected override void StopProcessing() => _cancel.Cancel();

    private static int s_exitHooked;

    /// <summary>
    /// When pwsh exits (the `exit` keyword, the end of -Command or -File, closing the window), it raises
    /// PowerShell.Exiting in its primary runspace and then stops every other runspace of the process,
    /// the engine's own included, before .NET's ProcessExit. Stopping the engine on Exiting releases
    /// the instances while -OnMaster/-OnStop actions can still run, so OnStop is not lost at exit.
    /// Only the primary runspace (Id 1) counts: a ThreadJob or a runspace of the user's closing must
    /// not stop the process-wide engine.
    /// </summary>
    private void StopEngineWhenPwshExits()
    {
        if (Runspace.DefaultRunspace?.Id != 1 || Interlocked.Exchange(ref s_exitHooked, 1) != 0)
        {
            return;
        }
        Events.SubscribeEvent(null, null, PSEngineEvent.Exiting, null,
            (_, _) => EngineHost.Current?.Dispose(), supportEvent: true, forwardEvent: false);
    }

    /// <summary>
    /// Every transition of the instances started here raises the VrrpPS.StateChanged engine event in
    /// this session ($Event.SourceEventArgs / $Event.MessageData: Name, OldState, NewState, Priority,
    /// Reason, Time). The sink stays until the session's event manager refuses it (session closed).
    /// </summary>
    private Action SubscribeEvents(VrrpEngine engine, IEnumerable<string> started)
    {
        var events = Events;
        var names = new HashSet<string>(started, StringComparer.Ordinal);
        Action remove = () => { };
        remove = engine.AddStateChangedSink(e =>
        {
            if (!names.Contains(e.Name))
            {
                return;
            }
            try
            {
                events.GenerateEvent(NotifyDispatcher.SourceIdentifier, engine, [engine, e], new PSObject(e));
            }
            catch (Exception)
            {
                remove(); // the session is gone
            }
        });
        return remove;
    }
}

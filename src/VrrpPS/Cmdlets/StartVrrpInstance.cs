using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.InteropServices;
using VrrpPS.Engine;
using VrrpPS.Hosting;
using VrrpPS.Protocol;
using VrrpPS.Cmdlets.Completion;

namespace VrrpPS.Cmdlets;

/// <summary>
/// Starts VRRP instances in this process's engine, from parameters or from config objects
/// (Import-KeepalivedConfig). All instances of one call start together or not at all.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "VrrpInstance", SupportsShouldProcess = true, DefaultParameterSetName = ParametersSet)]
[OutputType(typeof(VrrpInstanceState))]
public sealed class StartVrrpInstanceCommand : PSCmdlet
{
    private const string ParametersSet = "Parameters";
    private const string ConfigSet = "Config";

    private readonly List<InstanceDefinition> _definitions = [];
    private readonly ConfigBatch _config = new();
    private readonly CancellationTokenSource _cancel = new();

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ParametersSet)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ParameterSetName = ParametersSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(InterfaceNameCompleter))]
    public string Interface { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ParameterSetName = ParametersSet)]
    [Alias("Vrid")]
    public int VirtualRouterId { get; set; }

    [Parameter(ParameterSetName = ParametersSet)]
    public int Priority { get; set; } = VrrpConstants.DefaultPriority;

    [Parameter(Mandatory = true, ParameterSetName = ParametersSet)]
    [Alias("Vip")]
    [ValidateNotNullOrEmpty]
    public string[] VirtualIPAddress { get; set; } = [];

    /// <summary>keepalived virtual_ipaddress_excluded: held with the VIPs but not advertised (any family).</summary>
    [Parameter(ParameterSetName = ParametersSet)]
    public string[]? ExcludedIPAddress { get; set; }

    /// <summary>Seconds, like keepalived's advert_int (0.01 steps for v3).</summary>
    [Parameter(ParameterSetName = ParametersSet)]
    public double AdvertisementInterval { get; set; } = 1;

    [Parameter(ParameterSetName = ParametersSet)]
    [ValidateSet("2", "3")]
    public int Version { get; set; } = 3;

    [Parameter(ParameterSetName = ParametersSet)]
    public string[]? UnicastPeer { get; set; }

    [Parameter(ParameterSetName = ParametersSet)]
    public string? UnicastSourceAddress { get; set; }

    [Parameter(ParameterSetName = ParametersSet)]
    public string? AuthenticationPassword { get; set; }

    [Parameter(ParameterSetName = ParametersSet)]
    public SwitchParameter NoPreempt { get; set; }

    [Parameter(ParameterSetName = ParametersSet)]
    [ValidateRange(0, 1000)]
    public double PreemptDelay { get; set; }

    [Parameter(ParameterSetName = ParametersSet)]
    [ValidateSet("Backup", "Master")]
    public string InitialState { get; set; } = "Backup";

    /// <summary>VRRPv3 IPv4 checksum without pseudo-header (keepalived v3_checksum_as_v2).</summary>
    [Parameter(ParameterSetName = ParametersSet)]
    public SwitchParameter V3ChecksumAsV2 { get; set; }

    /// <summary>Health checks: hashtables (see <see cref="VrrpTrackScript"/>).</summary>
    [Parameter(ParameterSetName = ParametersSet)]
    public VrrpTrackScript[]? TrackScript { get; set; }

    /// <summary>keepalived track_interface: @{ Name='eth1'; Weight=-20; Reverse=$false }.</summary>
    [Parameter(ParameterSetName = ParametersSet)]
    public VrrpPS.Config.VrrpTrackInterface[]? TrackInterface { get; set; }

    [Parameter(ParameterSetName = ParametersSet)]
    public VrrpTrackFile[]? TrackFile { get; set; }

    /// <summary>keepalived vrrp_track_process: @{ Name='haproxy'; Process='haproxy'; Weight=-60 }.</summary>
    [Parameter(ParameterSetName = ParametersSet)]
    public VrrpTrackProcess[]? TrackProcess { get; set; }

    [Parameter(ParameterSetName = ParametersSet)]
    public SwitchParameter DontTrackPrimary { get; set; }

    /// <summary>RFC 5798 Accept_Mode; on unless given as -AcceptMode:$false (keepalived no_accept).</summary>
    [Parameter(ParameterSetName = ParametersSet)]
    public SwitchParameter AcceptMode { get; set; } = true;

    /// <summary>keepalived use_vmac: the VIPs on a macvlan with the virtual MAC 00:00:5e:00:01:VRID.</summary>
    [Parameter(ParameterSetName = ParametersSet)]
    public SwitchParameter UseVirtualMac { get; set; }

    [Parameter(ParameterSetName = ParametersSet)]
    [ValidatePattern("^[A-Za-z0-9_.-]{1,15}$")]
    public string? VirtualMacName { get; set; }

    /// <summary>keepalived vmac_xmit_base: adverts from the base interface.</summary>
    [Parameter(ParameterSetName = ParametersSet)]
    public SwitchParameter VirtualMacTransmitBase { get; set; }

    /// <summary>Instances started with the same sync group change state together (FAULT, Master, Backup).</summary>
    [Parameter(ParameterSetName = ParametersSet)]
    public string? SyncGroup { get; set; }

    [Parameter(ParameterSetName = ParametersSet)]
    public string[]? NotifyMaster { get; set; }

    [Parameter(ParameterSetName = ParametersSet)]
    public string[]? NotifyBackup { get; set; }

    [Parameter(ParameterSetName = ParametersSet)]
    public string[]? NotifyFault { get; set; }

    [Parameter(ParameterSetName = ParametersSet)]
    public string[]? NotifyStop { get; set; }

    /// <summary>keepalived `notify`: run for every transition with INSTANCE name STATE priority appended.</summary>
    [Parameter(ParameterSetName = ParametersSet)]
    public string[]? Notify { get; set; }

    [Parameter(ParameterSetName = ParametersSet)]
    public string? NotifyFifo { get; set; }

    [Parameter]
    public ScriptBlock? OnMaster { get; set; }

    [Parameter]
    public ScriptBlock? OnBackup { get; set; }

    [Parameter]
    public ScriptBlock? OnFault { get; set; }

    [Parameter]
    public ScriptBlock? OnStop { get; set; }

    [Parameter]
    [ValidateRange(0.1, 3600)]
    public double NotifyTimeout { get; set; } = 30;

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ConfigSet)]
    public object[] InputObject { get; set; } = [];

    /// <summary>Runs until stopped (Ctrl+C, SIGTERM, or a shutdown over the control socket).</summary>
    /// <summary>SCHED_RR priority (1-99) of the engine thread, like keepalived's vrrp_rt_priority; default: normal scheduling.</summary>
    [Parameter]
    [ValidateRange(1, 99)]
    public int RealtimePriority { get; set; }

    /// <summary>Lock the process's memory (mlockall), like keepalived's vrrp_no_swap.</summary>
    [Parameter]
    public SwitchParameter NoSwap { get; set; }

    [Parameter]
    public SwitchParameter Wait { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ControlSocket { get; set; }

    /// <summary>With -Wait: a group (name or gid) whose members may read state, stats and metrics through the control socket.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ControlSocketGroup { get; set; }

    /// <summary>With -Wait: address:port of the opt-in OpenMetrics HTTP listener (off by default).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MetricsAddress { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            if (ParameterSetName == ParametersSet)
            {
                _definitions.Add(TrackingParameterBuilder.Apply(this, ParameterDefinitionBuilder.Build(this)));
            }
            else
            {
                foreach (var o in InputObject)
                {
                    _config.Add(o is PSObject p ? p.BaseObject : o);
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
            foreach (var w in _config.Warnings)
            {
                if (!(Wait && DaemonLog.TryWriteWarning(w)))
                {
                    WriteWarning(w);
                }
            }
            _definitions.AddRange(_config.ToDefinitions());
            var statics = _config.StaticEntries();
            for (int i = 0; i < _definitions.Count; i++)
            {
                _definitions[i] = TrackingParameterBuilder.ApplyActions(this, _definitions[i]);
            }
            if (_definitions.Count == 0)
            {
                return;
            }
            var names = string.Join(", ", _definitions.Select(d => $"{d.Name} (VRID {d.VirtualRouterId} on {d.InterfaceName})"));
            if (!ShouldProcess(names, "Start VRRP instance"))
            {
                return;
            }
            var engine = EngineHost.GetOrCreate();
            StopEngineWhenPwshExits();
            var log = engine.Log.Subscribe();
            var removeSink = SubscribeEvents(engine);
            try
            {
                IReadOnlyList<VrrpInstanceState> started;
                try
                {
                    started = StaticNetworkStart.Run(engine, statics, () => engine.Start(_definitions));
                    if (_config.Scheduling(RealtimePriority, NoSwap) is { } scheduling)
                    {
                        engine.ApplyScheduling(scheduling); // after the start-up work; what is not allowed is a warning, never a failure
                    }
                }
                catch
                {
                    removeSink();
                    throw;
                }
                if (!Wait)
                {
                    CmdletSupport.Drain(this, log); // with -Wait the log goes to stderr, start-up lines included
                }
                if (PassThru)
                {
                    WriteObject(started, enumerateCollection: true);
                }
                if (Wait)
                {
                    var options = new DaemonOptions { ControlSocket = ControlSocket, ControlSocketGroup = ControlSocketGroup, MetricsAddress = MetricsAddress };
                    var reloader = new ConfigReloader(engine, _config.Sources, d => TrackingParameterBuilder.ApplyActions(this, d), b => b.Scheduling(RealtimePriority, NoSwap));
                    DaemonHost.Run(engine, log, _definitions.Select(d => d.Name).ToList(), options, reloader, _cancel.Token);
                }
            }
            finally
            {
                engine.Log.Unsubscribe(log);
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
    private Action SubscribeEvents(VrrpEngine engine)
    {
        var events = Events;
        var names = new HashSet<string>(_definitions.Select(d => d.Name), StringComparer.Ordinal);
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

using System.Collections;
using System.Management.Automation;
using VrrpPS.Diagnostics;
using VrrpPS.Engine;
using VrrpPS.Hosting;
using VrrpPS.Cmdlets.Completion;

namespace VrrpPS.Cmdlets;

/// <summary>
/// Measured failover: live on the Master of a running instance, or -Lab in a namespace sandbox
/// built from the cluster's keepalived.conf files. Thin: the work is in VrrpPS.Diagnostics.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "VrrpFailover", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = LiveSet)]
[OutputType(typeof(VrrpFailoverResult), typeof(VrrpFailoverPrediction))]
public sealed class TestVrrpFailoverCommand : PSCmdlet, IFailoverObserver
{
    private const string LiveSet = "Live";
    private const string LabSet = "Lab";
    private readonly CancellationTokenSource _cancel = new();

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = LiveSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(InstanceNameCompleter))]
    public string Name { get; set; } = string.Empty;

    [Parameter(ParameterSetName = LiveSet)]
    public FailoverMethod Method { get; set; } = FailoverMethod.Release;

    /// <summary>Seconds to wait for a peer (default: 4 × Master_Down_Interval, at least 3 s).</summary>
    [Parameter(ParameterSetName = LiveSet)]
    [ValidateRange(0.1, 600)]
    public double Timeout { get; set; }

    [Parameter(ParameterSetName = LiveSet)]
    public SwitchParameter NoRestore { get; set; }

    [Parameter(ParameterSetName = LiveSet)]
    public SwitchParameter Force { get; set; }

    [Parameter(ParameterSetName = LiveSet)]
    [ValidateNotNullOrEmpty]
    public string? ControlSocket { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = LabSet)]
    public SwitchParameter Lab { get; set; }

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = LabSet)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    [Parameter(ParameterSetName = LabSet)]
    public FailoverScenario[] Scenario { get; set; } = Enum.GetValues<FailoverScenario>();

    /// <summary>vrrp_script name → 'pass' or 'fail': pins the script in the lab to /bin/true or /bin/false.</summary>
    [Parameter(ParameterSetName = LabSet)]
    public Hashtable? TrackOverride { get; set; }

    [Parameter(ParameterSetName = LabSet)]
    [ValidateNotNullOrEmpty]
    public string? ConfigId { get; set; }

    protected override void EndProcessing()
    {
        try
        {
            if (ParameterSetName == LabSet)
            {
                RunLab();
            }
            else
            {
                RunLive();
            }
        }
        catch (VrrpEngineException ex)
        {
            ThrowTerminatingError(CmdletSupport.ToErrorRecord(ex));
        }
        finally
        {
            WriteProgress(new ProgressRecord(1, "Test-VrrpFailover", "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    private void RunLive()
    {
        if (Method == FailoverMethod.LinkDown && !Force)
        {
            ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(
                "-Method LinkDown sets the interface down on this host, which also cuts any remote session over it. Add -Force if you are on the console."),
                "VrrpFailoverLinkDownNeedsForce", ErrorCategory.InvalidOperation, Name));
        }
        var runner = new LiveFailoverRunner(EngineClient.Connect(ControlSocket), EngineHost.CreatePlatform(), this);
        WriteObject(runner.Run(Name, Method, Timeout > 0 ? TimeSpan.FromSeconds(Timeout) : null, NoRestore, _cancel.Token), enumerateCollection: true);
    }

    private void RunLab()
    {
        if (!EngineHost.CreatePlatform().HasNetworkAdminRights)
        {
            ThrowTerminatingError(CmdletSupport.ToErrorRecord(new VrrpEngineException(EngineErrorIds.NotPrivileged,
                "Test-VrrpFailover -Lab creates network namespaces: run it as root.", Path)));
        }
        var files = Path.Select(p => GetUnresolvedProviderPathFromPSPath(p)).ToList();
        var plan = SandboxInputs.Plan(files, ConfigId,
            (f, d) => WriteError(new ErrorRecord(new FormatException(d.ToString()), d.ErrorId, ErrorCategory.ParserError, f)));
        foreach (var w in plan.Warnings)
        {
            WriteWarning(w);
        }
        if (MyInvocation.BoundParameters.ContainsKey("WhatIf") && !ShouldProcess($"{files.Count} nodes", "Build a namespace lab and run failover scenarios"))
        {
            return;
        }
        var overrides = SandboxInputs.TrackOverrides(TrackOverride);
        string pwsh = System.IO.Path.Combine((string)SessionState.PSVariable.GetValue("PSHOME"), "pwsh");
        string module = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(typeof(TestVrrpFailoverCommand).Assembly.Location)!, "VrrpPS.psd1");
        using var runner = new SandboxRunner(plan, this, pwsh, module, overrides);
        WriteObject(runner.Run(Scenario.Distinct().ToList(), _cancel.Token), enumerateCollection: true);
    }

    void IFailoverObserver.Progress(string status, int percent) =>
        WriteProgress(new ProgressRecord(1, "Test-VrrpFailover", status) { PercentComplete = percent });

    void IFailoverObserver.Verbose(string message) => WriteVerbose(message);

    bool IFailoverObserver.ShouldProcess(string target, string action) => ShouldProcess(target, action);

    protected override void StopProcessing() => _cancel.Cancel();
}

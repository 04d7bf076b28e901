using System.Management.Automation;
using VrrpPS.Diagnostics;
using VrrpPS.Engine;
using VrrpPS.Hosting;
using VrrpPS.Cmdlets.Completion;

namespace VrrpPS.Cmdlets;

/// <summary>
/// Passive VRRP capture: one object per advert seen on the interface, or with -Summary one
/// object per virtual router with split-brain and mismatch flags. Joins the VRRP groups but
/// never sends, so it takes no part in any election.
/// </summary>
[Cmdlet(VerbsCommon.Watch, "VrrpAdvertisement")]
[OutputType(typeof(VrrpAdvertisementRecord), typeof(VrrpAdvertisementSummary))]
public sealed class WatchVrrpAdvertisementCommand : PSCmdlet
{
    private volatile bool _stopping;
    private AdvertisementCapture? _capture;

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(InterfaceNameCompleter))]
    public string Interface { get; set; } = string.Empty;

    [Parameter]
    public TimeSpan? Duration { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Count { get; set; }

    [Parameter]
    [Alias("Vrid")]
    [ValidateRange(1, 255)]
    public int[]? VirtualRouterId { get; set; }

    [Parameter]
    public SwitchParameter Summary { get; set; }

    [Parameter]
    public SwitchParameter ShowSecret { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ControlSocket { get; set; }

    protected override void EndProcessing()
    {
        var platform = EngineHost.CreatePlatform();
        if (!platform.HasNetworkAdminRights)
        {
            ThrowTerminatingError(CmdletSupport.ToErrorRecord(new VrrpEngineException(EngineErrorIds.NotPrivileged,
                "Watch-VrrpAdvertisement opens raw sockets: run it as root (or with CAP_NET_RAW and CAP_NET_ADMIN).", Interface)));
        }
        if (Summary && Duration is null && Count == 0)
        {
            Duration = AdvertisementWatch.DefaultSummaryDuration;
            WriteVerbose("-Summary without -Duration or -Count: capturing for 10 seconds.");
        }
        try
        {
            _capture = new AdvertisementCapture(platform, Interface, ShowSecret);
        }
        catch (VrrpEngineException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ex.ErrorId, ex.ErrorId == EngineErrorIds.InterfaceNotFound
                ? ErrorCategory.ObjectNotFound : ErrorCategory.OpenError, Interface));
            return;
        }
        using (_capture)
        {
            foreach (var w in _capture.Warnings)
            {
                WriteWarning($"Not capturing {w}");
            }
            var records = AdvertisementWatch.Records(_capture, Duration, Count, VirtualRouterId, () => _stopping);
            if (!Summary)
            {
                foreach (var r in records)
                {
                    WriteObject(r);
                }
            }
            else
            {
                var collected = records.ToList();
                var locals = LocalInstances.TryGetStates(ControlSocket, out string? why);
                if (why is not null)
                {
                    WriteVerbose($"No local instances to compare with: {why}");
                }
                WriteObject(AdvertisementSummaryAnalyzer.Analyze(collected, LocalInstances.ToInfo(locals)), enumerateCollection: true);
            }
        }
    }

    protected override void StopProcessing()
    {
        _stopping = true;
        _capture?.Wake();
    }
}

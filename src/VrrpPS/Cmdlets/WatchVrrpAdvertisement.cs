using System.Diagnostics;
using System.Management.Automation;
using VrrpPS.Diagnostics;
using VrrpPS.Engine;
using VrrpPS.Platform.Linux;
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
    private static readonly TimeSpan s_pollSlice = TimeSpan.FromMilliseconds(250);
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
        var platform = new LinuxNetworkPlatform();
        if (!platform.HasNetworkAdminRights)
        {
            ThrowTerminatingError(CmdletSupport.ToErrorRecord(new VrrpEngineException(EngineErrorIds.NotPrivileged,
                "Watch-VrrpAdvertisement opens raw sockets: run it as root (or with CAP_NET_RAW and CAP_NET_ADMIN).", Interface)));
        }
        if (Summary && Duration is null && Count == 0)
        {
            // Ctrl+C stops the pipeline, so a summary needs an end of its own.
            Duration = TimeSpan.FromSeconds(10);
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
            var collected = Capture();
            if (Summary)
            {
                var locals = LocalInstances.TryGetStates(ControlSocket, out string? why);
                if (why is not null)
                {
                    WriteVerbose($"No local instances to compare with: {why}");
                }
                WriteObject(AdvertisementSummaryAnalyzer.Analyze(collected, LocalInstances.ToInfo(locals)), enumerateCollection: true);
            }
        }
    }

    private List<VrrpAdvertisementRecord> Capture()
    {
        var all = new List<VrrpAdvertisementRecord>();
        var batch = new List<VrrpAdvertisementRecord>();
        var clock = Stopwatch.StartNew();
        int emitted = 0;
        while (!_stopping)
        {
            TimeSpan slice = s_pollSlice;
            if (Duration is { } d)
            {
                TimeSpan left = d - clock.Elapsed;
                if (left <= TimeSpan.Zero)
                {
                    break;
                }
                slice = left < slice ? left : slice;
            }
            batch.Clear();
            _capture!.Read(slice, batch);
            foreach (var r in batch)
            {
                if (VirtualRouterId is { Length: > 0 } ids && !ids.Contains(r.VirtualRouterId))
                {
                    continue;
                }
                emitted++;
                if (Summary)
                {
                    all.Add(r);
                }
                else
                {
                    WriteObject(r);
                }
                if (Count > 0 && emitted >= Count)
                {
                    return all;
                }
            }
        }
        return all;
    }

    protected override void StopProcessing()
    {
        _stopping = true;
        _capture?.Wake();
    }
}

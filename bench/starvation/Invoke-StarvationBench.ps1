#requires -Version 7.4
<#
.SYNOPSIS
    Starvation soak: spurious takeovers on the backups while stress-ng saturates every core, VrrpPS next to keepalived.
.DESCRIPTION
    Per mode (normal scheduling; real-time: keepalived's vrrp_rt_priority / Start-VrrpInstance -RealtimePriority),
    one 3-node lab per implementation (VRRPv3, priorities 150/100/50, VIP 198.51.100.100/24, 10 ms adverts), all
    running at the same time so that both implementations face the same load. Once node 1 alone holds the VIP in
    every lab, `ip -ts monitor address` starts in the namespaces of both backups (nodes 2 and 3), stress-ng runs
    `--cpu <cores>` for -Seconds, and every RTM_NEWADDR / RTM_DELADDR of the VIP on a backup is counted (exact: every
    netlink event, not a sample) up to 2 s after the stress. VrrpPS also reports its engine's longest loop iteration
    during the window (SIGUSR2 stats dump, engine.longestIterationMicroseconds). Writes <OutDir>/starvation.csv and
    starvation.md, with the load average before and at the end of each window. Root. Quick run:
    ./bench/starvation/Invoke-StarvationBench.ps1 -ModulePath out/VrrpPS/VrrpPS.psd1 -Seconds 10 -Modes normal
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $ModulePath,
    [ValidateRange(1, 3600)][int] $Seconds = 60,
    [double] $Interval = 0.01,
    [ValidateSet('normal', 'realtime')][string[]] $Modes = @('normal', 'realtime'),
    [ValidateRange(1, 99)][int] $RealtimePriority = 50,
    [ValidateSet('keepalived', 'VrrpPS')][string[]] $Implementations = @('keepalived', 'VrrpPS'),
    [string] $OutDir = (Join-Path $PSScriptRoot '../results')
)
. (Join-Path $PSScriptRoot '../BenchStart.ps1')

$Vip = '198.51.100.100'
$cores = [Environment]::ProcessorCount
$clock = [Diagnostics.Stopwatch]::StartNew()

function Get-VipEventCount([string] $Path) {
    # RTM_NEWADDR ("… inet 198.51.100.100/24 …") and RTM_DELADDR ("Deleted … inet 198.51.100.100/24 …") lines
    @(Get-FileLine $Path | Where-Object { $_ -match " inet $([regex]::Escape($Vip))/" }).Count
}

$rows = [Collections.Generic.List[object]]::new()
foreach ($mode in $Modes) {
    $rt = if ($mode -eq 'realtime') { $RealtimePriority } else { 0 }
    $labs = @{}
    try {
        foreach ($impl in $Implementations) {
            $labs[$impl] = New-VrrpLab -Nodes 3 -ModulePath $ModulePath
            Start-BenchCluster $labs[$impl] $impl $Interval -Vip $Vip -RealtimePriority $rt
        }
        foreach ($impl in $Implementations) {
            $h = $labs[$impl]
            if (-not (Wait-Until { ((Get-VrrpLabMasterNode $h $Vip) -join ',') -eq '1' } -TimeoutSeconds 60 -PollMs 100)) {
                throw "$impl ($mode): node 1 never became the only master`n$(Get-VrrpLabLog $h)"
            }
        }
        Start-Sleep -Seconds 3 # start-up work over (pwsh JIT, keepalived's gratuitous ARPs)
        foreach ($impl in $Implementations) {
            $h = $labs[$impl]
            foreach ($n in 2, 3) { $null = $h.Lab.StartLoggedProcess($h.Lab.NodeNamespace($n), (Join-Path $h.Dir "monitor-n$n.log"), 'ip', '-ts', 'monitor', 'address') }
            if ($impl -eq 'VrrpPS') { foreach ($n in 1, 2) { $null = Get-VrrpPSLongestIteration $h $n } } # a new window starts now
        }
        Start-Sleep -Milliseconds 500 # the monitors are listening
        $loadBefore = Get-LoadAverage
        Write-Host ("Starvation ({0}): stress-ng --cpu {1} for {2} s, {3} ms adverts, {4}; load before {5}" -f $mode, $cores, $Seconds, (1000 * $Interval), ($Implementations -join ' and '), $loadBefore)
        $stress = Start-CpuStress -Seconds $Seconds -Workers $cores
        try { $null = $stress.WaitForExit(1000 * ($Seconds + 30)) } finally { Stop-CpuStress $stress }
        $loadEnd = Get-LoadAverage
        Start-Sleep -Seconds 2 # a takeover that began under stress ends here
        foreach ($impl in $Implementations) {
            $h = $labs[$impl]
            $e2 = Get-VipEventCount (Join-Path $h.Dir 'monitor-n2.log'); $e3 = Get-VipEventCount (Join-Path $h.Dir 'monitor-n3.log')
            $longest = if ($impl -eq 'VrrpPS') { @((Get-VrrpPSLongestIteration $h 1), (Get-VrrpPSLongestIteration $h 2)) } else { @([double]::NaN, [double]::NaN) }
            $row = [pscustomobject]@{
                Mode = $mode; RealtimePriority = $rt; Implementation = $impl; Seconds = $Seconds; IntervalMs = 1000 * $Interval; StressWorkers = $cores
                BackupVipEvents = $e2 + $e3; Node2VipEvents = $e2; Node3VipEvents = $e3
                MasterHoldsVip = ((Get-VrrpLabMasterNode $h $Vip) -join ',') -eq '1'
                LongestIterationMsMaster = [math]::Round($longest[0], 3); LongestIterationMsBackup = [math]::Round($longest[1], 3)
                LoadBefore = $loadBefore; LoadEnd = $loadEnd
                # the RLIMIT_RTTIME guard fired (the engine thread was put back to normal scheduling): worth knowing beside a count
                RealtimeDemoted = @(Get-ChildItem $h.Dir -Filter 'n*.log' | Select-String -Pattern 'ran past its real-time limit' -SimpleMatch).Count -gt 0
            }
            $rows.Add($row)
            Write-Host ("  {0,-10} VIP events on the backups: {1} (node 2: {2}, node 3: {3}){4}; load at the end {5}" -f $impl, $row.BackupVipEvents, $e2, $e3,
                $(if ($impl -eq 'VrrpPS') { "; longest loop iteration master {0:0.###} ms, backup {1:0.###} ms" -f $longest[0], $longest[1] } else { '' }), $loadEnd)
        }
    }
    finally {
        foreach ($h in $labs.Values) { Remove-VrrpLab $h }
    }
}

$rows | Export-Csv (Join-Path $OutDir 'starvation.csv') -NoTypeInformation
$md = @('# Starvation soak: VIP events on the backups under stress-ng, VrrpPS next to keepalived', '',
    "Run $(Get-Date -Format 'yyyy-MM-dd HH:mm') UTC on $cores cores: 3 nodes (150/100/50), VRRPv3, $(1000 * $Interval) ms adverts, ``stress-ng --cpu $cores`` for $Seconds s;",
    'both implementations in separate labs at the same time (same load). VIP events = RTM_NEWADDR + RTM_DELADDR of the VIP in the',
    'backups'' namespaces (`ip -ts monitor address`, every event), up to 2 s after the stress: 0 means no spurious takeover.',
    'Longest loop iteration: VrrpPS engine, wall time between two waits, over the window (USR2 stats dump). Load: /proc/loadavg 1/5/15 min.', '',
    "Command: ``./bench/starvation/Invoke-StarvationBench.ps1 -ModulePath out/VrrpPS/VrrpPS.psd1 -Seconds $Seconds``", '',
    '| scheduling | implementation | VIP events on backups (node 2 / node 3) | node 1 still Master | longest loop iteration master / backup | RTTIME guard fired | load before | load at end |',
    '|---|---|---|---|---|---|---|---|')
foreach ($r in $rows) {
    $sched = if ($r.RealtimePriority) { "SCHED_RR $($r.RealtimePriority)" } else { 'normal' }
    $iter = if ([double]::IsNaN($r.LongestIterationMsMaster)) { '-' } else { '{0:0.###} / {1:0.###} ms' -f $r.LongestIterationMsMaster, $r.LongestIterationMsBackup }
    $md += "| $sched | $($r.Implementation) | $($r.BackupVipEvents) ($($r.Node2VipEvents) / $($r.Node3VipEvents)) | $($r.MasterHoldsVip) | $iter | $($r.RealtimeDemoted) | $($r.LoadBefore) | $($r.LoadEnd) |"
}
Set-Content (Join-Path $OutDir 'starvation.md') ($md -join "`n")
Write-Host ("Starvation bench done in {0:0} s: {1}" -f $clock.Elapsed.TotalSeconds, (Join-Path $OutDir 'starvation.md')) -ForegroundColor Cyan

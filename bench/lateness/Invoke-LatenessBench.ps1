#requires -Version 7.4
<#
.SYNOPSIS
    Timer lateness of the takeover, phase-free, from a capture on the bridge: VrrpPS next to keepalived.
.DESCRIPTION
    lateness = (first advert of the new Master) - (last advert of the old Master) - Master_Down_Interval of the new
    Master (priority 100: 3 x interval + (256 - 100) x interval / 256, RFC 5798 §6.1). Both adverts are frames of the
    same tcpdump on the lab bridge (one clock), so the phase of the cut does not matter: the Backup's Master_Down timer
    starts at the last advert it received. A cut takes node 1's cable out (its bridge-side veth down, as the failover
    bench does); after it the cable comes back and node 1 preempts. Per advert interval (-Intervals), load (idle,
    stress-ng --cpu <cores>, or stress-rt: the same stress with every node at vrrp_rt_priority / -RealtimePriority
    -RealtimePriority; not in the defaults) and implementation, a 3-node lab (150/100/50, VRRPv3) and -Cuts cuts. Writes
    <OutDir>/lateness.csv (one row per cut) and lateness.md (p50/p90/p99 per case, load averages). Root. Quick run:
    ./bench/lateness/Invoke-LatenessBench.ps1 -ModulePath out/VrrpPS/VrrpPS.psd1 -Cuts 3 -Intervals 0.1 -Loads idle
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $ModulePath,
    [ValidateRange(1, 1000)][int] $Cuts = 20,
    [double[]] $Intervals = @(0.01, 0.1),
    [ValidateSet('idle', 'stress', 'stress-rt')][string[]] $Loads = @('idle', 'stress'),
    [ValidateRange(1, 99)][int] $RealtimePriority = 50,
    [ValidateSet('keepalived', 'VrrpPS')][string[]] $Implementations = @('keepalived', 'VrrpPS'),
    [string] $OutDir = (Join-Path $PSScriptRoot '../results')
)
. (Join-Path $PSScriptRoot '../BenchStart.ps1')

$Vip = '198.51.100.100'
$Old = '198.51.100.11'; $New = '198.51.100.12'   # node 1 and node 2 (NamespaceLab: 198.51.100.(10 + node))
$cores = [Environment]::ProcessorCount
$clock = [Diagnostics.Stopwatch]::StartNew()

function Measure-Lateness([object[]] $Packets, [datetime[]] $CutTimes, [double] $MasterDownMs) {
    # Per cut: the first advert from node 2 (priority > 0) after the cut, and node 1's last advert before it.
    $adverts = @($Packets | Where-Object { $_.Priority -gt 0 } | Sort-Object Time)
    for ($i = 0; $i -lt $CutTimes.Count; $i++) {
        $cut = $CutTimes[$i]
        $next = if ($i + 1 -lt $CutTimes.Count) { $CutTimes[$i + 1] } else { [datetime]::MaxValue }
        $first = $adverts | Where-Object { $_.Source -eq $New -and $_.Time -gt $cut -and $_.Time -lt $next } | Select-Object -First 1
        if (-not $first) { [pscustomobject]@{ Cut = $i + 1; LatenessMs = [double]::NaN; GapMs = [double]::NaN }; continue }
        $last = $adverts | Where-Object { $_.Source -eq $Old -and $_.Time -lt $first.Time } | Select-Object -Last 1
        $gap = ($first.Time - $last.Time).TotalMilliseconds
        [pscustomobject]@{ Cut = $i + 1; LatenessMs = $gap - $MasterDownMs; GapMs = $gap }
    }
}

function Invoke-LatenessCase([string] $Implementation, [double] $Interval, [string] $Load) {
    $md = (Get-VrrpMasterDownInterval -AdvertisementInterval $Interval -Priority 100 -Version 3).TotalMilliseconds
    $h = New-VrrpLab -Nodes 3 -ModulePath $ModulePath
    $stress = $null; $cutTimes = [Collections.Generic.List[datetime]]::new(); $notes = [Collections.Generic.List[string]]::new()
    try {
        Start-BenchCluster $h $Implementation $Interval -Vip $Vip -RealtimePriority $(if ($Load -eq 'stress-rt') { $RealtimePriority } else { 0 })
        if (-not (Wait-Until { ((Get-VrrpLabMasterNode $h $Vip) -join ',') -eq '1' } -TimeoutSeconds 60 -PollMs 50)) { throw "$Implementation at $Interval s: node 1 never became the only master" }
        Start-Sleep -Seconds 2
        $cap = Start-VrrpLabCapture $h -Name 'bridge'
        $loadBefore = Get-LoadAverage
        if ($Load -like 'stress*') { $stress = Start-CpuStress -Seconds ([int](30 + $Cuts * (20 * $Interval + 4))) -Workers $cores }
        for ($c = 1; $c -le $Cuts; $c++) {
            Start-Sleep -Milliseconds ([int](1000 * $Interval * (3 + 2 * (Get-Random -Maximum 1.0)) + 200)) # node 2 is a settled Backup; random phase
            $cutTimes.Add([datetime]::UtcNow)
            $h.Lab.SetLinkUp(1, $false)
            if (-not (Wait-Until { Get-VrrpLabVip $h 2 $Vip } -TimeoutSeconds (10 * $md / 1000 + 5) -PollMs 10)) { $notes.Add("cut ${c}: node 2 did not take the VIP") }
            Start-Sleep -Milliseconds ([int](5 * $Interval * 1000)) # a few adverts of the new Master in the capture
            $h.Lab.SetLinkUp(1, $true)
            if (-not (Wait-Until { ((Get-VrrpLabMasterNode $h $Vip) -join ',') -eq '1' } -TimeoutSeconds (10 * $md / 1000 + 10) -PollMs 20)) { throw "$Implementation, cut ${c}: node 1 did not take the VIP back" }
            Write-Host -NoNewline '.'
        }
        $loadEnd = Get-LoadAverage
        Stop-CpuStress $stress
        Stop-VrrpLabCapture $cap
        $rows = @(Measure-Lateness @(Read-VrrpLabCapture $cap.Path) $cutTimes.ToArray() $md)
    }
    finally {
        Stop-CpuStress $stress
        Remove-VrrpLab $h
    }
    $values = [double[]]@($rows | Where-Object { -not [double]::IsNaN($_.LatenessMs) } | ForEach-Object LatenessMs)
    $p = if ($values.Count) { @((Get-Percentile $values 50), (Get-Percentile $values 90), (Get-Percentile $values 99)) } else { @([double]::NaN) * 3 }
    Write-Host (" lateness p50 {0:0.000} ms, p90 {1:0.000} ms, p99 {2:0.000} ms ({3}/{4} cuts; load {5})" -f $p[0], $p[1], $p[2], $values.Count, $Cuts, $loadEnd)
    foreach ($n in $notes) { Write-Host "   note: $n" -ForegroundColor Yellow }
    foreach ($r in $rows) {
        [pscustomobject]@{ Implementation = $Implementation; IntervalMs = 1000 * $Interval; Load = $Load; Cut = $r.Cut
            GapMs = [math]::Round($r.GapMs, 3); MasterDownMs = [math]::Round($md, 3); LatenessMs = [math]::Round($r.LatenessMs, 3)
            LoadBefore = $loadBefore; LoadEnd = $loadEnd }
    }
}

$all = foreach ($interval in $Intervals) { foreach ($load in $Loads) { foreach ($impl in $Implementations) {
            Write-Host -NoNewline ("{0,-10} {1,4} ms {2,-6} " -f $impl, (1000 * $interval), $load)
            Invoke-LatenessCase $impl $interval $load } } }
$all | Export-Csv (Join-Path $OutDir 'lateness.csv') -NoTypeInformation
$md = @('# Takeover lateness from a bridge capture: VrrpPS next to keepalived', '',
    "Run $(Get-Date -Format 'yyyy-MM-dd HH:mm') UTC on $cores cores: 3 nodes (150/100/50), VRRPv3, $Cuts cable cuts per case;",
    'lateness = first advert of the new Master - last advert of the old Master - Master_Down_Interval (priority 100), both adverts from one',
    "tcpdump on the lab bridge. stress: ``stress-ng --cpu $cores`` during the cuts. Load: /proc/loadavg 1/5/15 min before / at the end of the case.", '',
    "Command: ``./bench/lateness/Invoke-LatenessBench.ps1 -ModulePath out/VrrpPS/VrrpPS.psd1 -Cuts $Cuts``", '',
    '| interval | load | implementation | p50 ms | p90 ms | p99 ms | cuts measured | load before | load at end |', '|---|---|---|---|---|---|---|---|---|')
foreach ($g in $all | Group-Object IntervalMs, Load, Implementation) {
    $v = [double[]]@($g.Group | Where-Object { -not [double]::IsNaN($_.LatenessMs) } | ForEach-Object LatenessMs)
    $f = $g.Group[0]
    $q = if ($v.Count) { '{0:0.000} | {1:0.000} | {2:0.000}' -f (Get-Percentile $v 50), (Get-Percentile $v 90), (Get-Percentile $v 99) } else { 'n/a | n/a | n/a' }
    $md += "| $($f.IntervalMs) ms | $($f.Load) | $($f.Implementation) | $q | $($v.Count)/$($g.Count) | $($f.LoadBefore) | $($f.LoadEnd) |"
}
Set-Content (Join-Path $OutDir 'lateness.md') ($md -join "`n")
Write-Host ("Lateness bench done in {0:0} s: {1}" -f $clock.Elapsed.TotalSeconds, (Join-Path $OutDir 'lateness.md')) -ForegroundColor Cyan

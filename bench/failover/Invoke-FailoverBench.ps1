#requires -Version 7.4
<#
.SYNOPSIS
    Failover timing and footprint of VrrpPS and keepalived in one run, same lab, same machine.
.DESCRIPTION
    For each advertisement interval (1 s, 100 ms, 10 ms; VRRPv3) and each implementation, a 3-node
    lab (priorities 150/100/50, VIP 198.51.100.100/24) is built in network namespaces; the master's
    cable is cut $Trials times. A trial's failover time runs from the link-down event of the cut
    (ip -ts monitor link, bridge namespace) to the VIP's appearance on node 2 (ip -ts monitor
    address, node 2's namespace). Between trials the cable comes back and the bench waits until
    node 1 holds the VIP again (preemption). At 10 ms adverts the CPU and RSS of the master's and a
    backup's process are sampled over -FootprintSeconds. The allocation benchmark (bench/alloc)
    runs first, then the track_process scan cost (bench/procscan). Writes <OutDir>/failover.md, failover.png,
    failover-trials.csv, failover-summary.csv and procscan.txt.
    Run through build.ps1: `dotnet pwsh ./build.ps1 Bench [-Trials N]` (root).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $ModulePath,
    [ValidateRange(1, 1000)][int] $Trials = 20,
    [double[]] $Intervals = @(1, 0.1, 0.01),
    [ValidateSet('keepalived', 'VrrpPS')][string[]] $Implementations = @('keepalived', 'VrrpPS'),
    [double] $FootprintSeconds = 10,
    [string] $OutDir = (Join-Path $PSScriptRoot '../results')
)
. (Join-Path $PSScriptRoot '../BenchStart.ps1')
. (Join-Path $PSScriptRoot 'BenchReport.ps1')

$Vip = '198.51.100.100'
$Priorities = 150, 100, 50
$started = Get-Date
$clock = [Diagnostics.Stopwatch]::StartNew()

function Wait-OriginalMaster($Harness, [double] $TimeoutSeconds) {
    # Node 1 alone holds the VIP (preemption done, node 2 released it).
    Wait-Until { ((Get-VrrpLabMasterNode $Harness $Vip) -join ',') -eq '1' } -TimeoutSeconds $TimeoutSeconds -PollMs 50
}

function Invoke-FailoverCase([string] $Implementation, [double] $Interval) {
    $boundMs = Get-RfcBoundMs $Interval
    $h = New-VrrpLab -Nodes 3 -ModulePath $ModulePath
    $samples = [Collections.Generic.List[double]]::new()
    $notes = [Collections.Generic.List[string]]::new()
    $footprint = @()
    try {
        $monAddr = Join-Path $h.Dir 'monitor-n2-address.log'
        $monLink = Join-Path $h.Dir 'monitor-bridge-link.log'
        $null = $h.Lab.StartLoggedProcess($h.Lab.NodeNamespace(2), $monAddr, 'ip', '-ts', 'monitor', 'address')
        $null = $h.Lab.StartLoggedProcess($h.Lab.BridgeNamespace, $monLink, 'ip', '-ts', 'monitor', 'link')
        Start-BenchCluster $h $Implementation $Interval -Vip $Vip -Priorities $Priorities
        if (-not (Wait-OriginalMaster $h 30)) { throw "$Implementation at $Interval s: node 1 never became the only master" }
        Start-Sleep -Milliseconds (500 + 3000 * $Interval)   # backups settle on node 1's adverts
        if ($Interval -le 0.01) {
            Start-Sleep -Seconds 3   # pwsh start-up work (JIT, module load) is over: measure steady state
            $footprint = Measure-ProcessFootprint -Seconds $FootprintSeconds -Processes @{
                master = Get-BenchNodeProcessId $h $Implementation 1; backup = Get-BenchNodeProcessId $h $Implementation 2 }
        }
        for ($trial = 1; $trial -le $Trials; $trial++) {
            # A random pause puts the cut at a random phase of the advert cycle.
            Start-Sleep -Milliseconds ([int](1000 * $Interval * (1 + (Get-Random -Maximum 1.0)) + 100))
            $skipLink = @(Get-FileLine $monLink).Count
            $skipAddr = @(Get-FileLine $monAddr).Count
            $scriptCut = [datetime]::Now
            $h.Lab.SetLinkUp(1, $false)
            $vipEvent = Wait-Until { Find-MonitorEvent $monAddr $skipAddr " inet $([regex]::Escape($Vip))/" } -TimeoutSeconds (3 * $boundMs / 1000 + 3)
            $cutEvent = Wait-Until { Find-MonitorEvent $monLink $skipLink 'v-n1@\S+: .*state DOWN' -Exclude '' } -TimeoutSeconds 2
            if (-not $vipEvent) {
                $notes.Add("trial ${trial}: node 2 did not get the VIP within $([math]::Round(3 * $boundMs / 1000 + 3, 1)) s (masters: $((Get-VrrpLabMasterNode $h $Vip) -join ','))")
            }
            else {
                $cutTime = if ($cutEvent) { $cutEvent.Time } else { $notes.Add("trial ${trial}: no link event, script clock used for the cut"); $scriptCut }
                $samples.Add(($vipEvent.Time - $cutTime).TotalMilliseconds)
            }
            Write-Host -NoNewline '.'
            $h.Lab.SetLinkUp(1, $true)
            if (-not (Wait-OriginalMaster $h (10 * $boundMs / 1000 + 10))) { throw "$Implementation at $Interval s, trial ${trial}: node 1 did not take the VIP back" }
        }
    }
    finally {
        Remove-VrrpLab $h
    }
    $values = [double[]]$samples.ToArray()
    $stats = if ($values.Count) {
        @{ Median = Get-Median $values; P95 = Get-Percentile $values 95; Max = ($values | Measure-Object -Maximum).Maximum }
    }
    else { @{ Median = [double]::NaN; P95 = [double]::NaN; Max = [double]::NaN } }
    Write-Host (" {0,-10} {1,6} ms adverts: median {2} ms, p95 {3} ms, max {4} ms (bound {5} ms, {6}/{7} trials)" -f `
            $Implementation, (1000 * $Interval), (Format-Ms $stats.Median), (Format-Ms $stats.P95), (Format-Ms $stats.Max), (Format-Ms $boundMs), $values.Count, $Trials)
    foreach ($n in $notes) { Write-Host "   note: $n" -ForegroundColor Yellow }
    [pscustomobject]@{
        Implementation = $Implementation; IntervalMs = 1000 * $Interval; Trials = $Trials; Samples = $values
        MedianMs = $stats.Median; P95Ms = $stats.P95; MaxMs = $stats.Max; BoundMs = $boundMs
        Notes = $notes.ToArray(); Footprint = $footprint
    }
}

Write-Host "Bench: $Trials cable cuts per case, intervals $(($Intervals | ForEach-Object { "$(1000 * $_) ms" }) -join ', '), $($Implementations -join ' vs ')" -ForegroundColor Cyan

function Invoke-BenchConsole([string] $Name, [string] $Project, [string] $Argument, [string] $MachinePrefix) {
    # Builds and runs one bench console (bench/<Name>): prints its human lines, returns them all.
    & dotnet build (Join-Path $Root "bench/$Name/$Project.csproj") -c Release --nologo -v quiet -o (Join-Path $Root "out/bench/$Name") | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "bench/$Name did not build" }
    $output = & dotnet (Join-Path $Root "out/bench/$Name/$Project.dll") $Argument
    if ($LASTEXITCODE -ne 0) { throw "bench/$Name failed: $output" }
    $output | Where-Object { $_ -notmatch "^$MachinePrefix" } | ForEach-Object { Write-Host "  $_" }
    $output
}

Write-Host 'Allocation benchmark (bench/alloc): 10 000 advert send+receive cycles on raw sockets in a 2-namespace lab' -ForegroundColor Cyan
$allocOutput = Invoke-BenchConsole alloc Alloc 10000 'ALLOC_'
$allocBytes = [double](($allocOutput | Where-Object { $_ -match '^ALLOC_BYTES_PER_CYCLE=' }) -replace '^ALLOC_BYTES_PER_CYCLE=', '')

Write-Host 'track_process cost (bench/procscan): 500 scans of this host''s /proc' -ForegroundColor Cyan
$scanOutput = Invoke-BenchConsole procscan ProcScan 500 'PROCSCAN_'
$scanOutput | Where-Object { $_ -notmatch '^PROCSCAN_' } | Set-Content (Join-Path $OutDir 'procscan.txt')

$results = foreach ($interval in $Intervals) {
    foreach ($impl in $Implementations) {
        Write-Host -NoNewline ("{0,-10} {1,5} ms " -f $impl, (1000 * $interval))
        Invoke-FailoverCase $impl $interval
    }
}

$report = Write-BenchReport -Results $results -OutDir $OutDir -Trials $Trials -Started $started -AllocBytesPerCycle $allocBytes `
    -AllocDetail ($allocOutput | Where-Object { $_ -notmatch '^ALLOC_' }) -Root $Root -FootprintSeconds $FootprintSeconds
Write-Host ''
Write-Host $report.Table
Write-Host ("Bench done in {0:0} s: {1}, {2}" -f $clock.Elapsed.TotalSeconds, $report.Markdown, $report.Chart) -ForegroundColor Cyan

#requires -Version 7.4
<#
.SYNOPSIS
    VRID scale: CPU and RSS of a Master and a Backup running N VRIDs, VrrpPS next to keepalived, one run.
.DESCRIPTION
    For each advert interval and N (VRIDs 1..N, v3, one interface, VIPs 198.18.0.1..198.18.0.N), a
    2-node lab is built in network namespaces; node 1 (priority 150) and node 2 (priority 100) load
    the same keepalived.conf (with their own priority). Once node 1 holds all N VIPs, both processes
    are sampled for -Seconds: CPU % of one core (utime+stime) and RSS. Writes <OutDir>/scale.csv and
    scale.md. Run through build.ps1 Bench, or alone (root):
    ./bench/scale/Invoke-ScaleBench.ps1 -ModulePath out/VrrpPS/VrrpPS.psd1 -Counts 1,10 -Intervals 0.1
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $ModulePath,
    [int[]] $Counts = @(1, 10, 100, 255),
    [double[]] $Intervals = @(0.1, 0.01),
    [ValidateSet('keepalived', 'VrrpPS')][string[]] $Implementations = @('keepalived', 'VrrpPS'),
    [double] $Seconds = 10,
    [string] $OutDir = (Join-Path $PSScriptRoot '../results')
)
. (Join-Path $PSScriptRoot '../BenchStart.ps1')

function New-ScaleConfig([int] $Count, [double] $Interval, [int] $Priority) {
    $lines = @('global_defs {', '    vrrp_version 3', '    vrrp_garp_master_delay 0', '}')
    foreach ($v in 1..$Count) {
        $lines += "vrrp_instance VI_$v {", '    state BACKUP', '    interface eth0', "    virtual_router_id $v", "    priority $Priority",
            "    advert_int $Interval", '    virtual_ipaddress {', "        198.18.0.$v/32", '    }', '}'
    }
    ($lines -join "`n") + "`n"
}

function Get-VipCount($Harness, [int] $Node) {
    $text = & ip netns exec $Harness.Lab.NodeNamespace($Node) ip -4 -o addr show dev eth0
    @($text | Where-Object { $_ -match ' 198\.18\.0\.\d+/32' }).Count
}

function Get-NodePid($Harness, [string] $Implementation, [int] $Node) {
    if ($Implementation -eq 'keepalived') { [int](Get-Content (Join-Path $Harness.Dir "n$Node-kv.pid") -Raw).Trim() }
    else { $Harness.Processes["n$Node"].Id }
}

$rows = [Collections.Generic.List[object]]::new()
foreach ($interval in $Intervals) {
    foreach ($count in $Counts) {
        foreach ($impl in $Implementations) {
            $h = New-VrrpLab -Nodes 2 -ModulePath $ModulePath
            try {
                foreach ($n in 1, 2) {
                    $text = New-ScaleConfig $count $interval (@(150, 100)[$n - 1])
                    if ($impl -eq 'keepalived') { $null = Start-KeepalivedLabNode $h $n $text }
                    else {
                        $conf = Join-Path $h.Dir "n$n-scale.conf"
                        Set-Content -Path $conf -Value $text -NoNewline
                        $null = Start-VrrpLabNode $h $n @{} -ConfigPath $conf -TimeoutSeconds 120
                    }
                }
                $settled = Wait-Until { (Get-VipCount $h 1) -eq $count -and (Get-VipCount $h 2) -eq 0 } -TimeoutSeconds 60 -PollMs 200
                Start-Sleep -Seconds 5 # past start-up JIT tiering and the first GCs: steady state only
                $fp = Measure-ProcessFootprint -Processes @{ master = (Get-NodePid $h $impl 1); backup = (Get-NodePid $h $impl 2) } -Seconds $Seconds
                $m = $fp | Where-Object Role -eq master; $b = $fp | Where-Object Role -eq backup
                $row = [pscustomobject]@{
                    Implementation = $impl; IntervalMs = $interval * 1000; Vrids = $count; Settled = [bool]$settled
                    MasterCpuPct = [math]::Round($m.CpuPct, 2); BackupCpuPct = [math]::Round($b.CpuPct, 2)
                    MasterRssMiB = [math]::Round($m.RssMiB, 1); BackupRssMiB = [math]::Round($b.RssMiB, 1)
                    LoadAvg = Get-LoadAverage
                }
                $rows.Add($row)
                Write-Host ("Scale: {0,-10} {1,4} ms {2,3} VRIDs  master {3,6:0.00} %  backup {4,6:0.00} %  RSS {5,6:0.0}/{6,6:0.0} MiB  load {8}{7}" -f $impl,
                    $row.IntervalMs, $count, $row.MasterCpuPct, $row.BackupCpuPct, $row.MasterRssMiB, $row.BackupRssMiB, $(if ($settled) { '' } else { '  (did not settle)' }), $row.LoadAvg)
            }
            finally { Remove-VrrpLab $h }
        }
    }
}
$rows | Export-Csv (Join-Path $OutDir 'scale.csv') -NoTypeInformation
$md = @('# VRID scale: VrrpPS next to keepalived', '', "Run $(Get-Date -Format 'yyyy-MM-dd HH:mm') UTC on $(& nproc) cores; $Seconds s per sample; v3, one interface, 2 nodes.", '',
    'Load average (1/5/15 min, /proc/loadavg) at the end of each sample, keepalived / VrrpPS: a loaded machine inflates every figure.', '',
    '| interval | VRIDs | keepalived master / backup CPU % | VrrpPS master / backup CPU % | keepalived RSS MiB | VrrpPS RSS MiB | load |', '|---|---|---|---|---|---|---|')
foreach ($g in $rows | Group-Object IntervalMs, Vrids) {
    $k = $g.Group | Where-Object Implementation -eq keepalived | Select-Object -First 1
    $v = $g.Group | Where-Object Implementation -eq VrrpPS | Select-Object -First 1
    $fmt = { param($r) if ($r) { '{0:0.00} / {1:0.00}' -f $r.MasterCpuPct, $r.BackupCpuPct } else { '-' } }
    $rss = { param($r) if ($r) { '{0:0.0} / {1:0.0}' -f $r.MasterRssMiB, $r.BackupRssMiB } else { '-' } }
    $first = $g.Group[0]
    $load = (@($k, $v) | Where-Object { $_ } | ForEach-Object LoadAvg) -join ' / '
    $md += "| $($first.IntervalMs) ms | $($first.Vrids) | $(& $fmt $k) | $(& $fmt $v) | $(& $rss $k) | $(& $rss $v) | $load |"
}
# the chart of CPU against N (bench/chart, ScottPlot): results/scale.png
$chartOut = Join-Path $Root 'out/bench/chart'
$null = & dotnet build (Join-Path $Root 'bench/chart/Chart.csproj') -c Release --nologo -v quiet -o $chartOut 2>&1
if ($LASTEXITCODE -eq 0) { $null = & dotnet (Join-Path $chartOut 'Chart.dll') scale (Join-Path $OutDir 'scale.csv') (Join-Path $OutDir 'scale.png') 2>&1 }
if ($LASTEXITCODE -eq 0) { $md += '', '![CPU against VRIDs](scale.png)' } else { Write-Warning 'bench/chart could not draw scale.png' }
Set-Content (Join-Path $OutDir 'scale.md') ($md -join "`n")

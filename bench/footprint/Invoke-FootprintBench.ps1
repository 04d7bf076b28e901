#requires -Version 7.4
<#
.SYNOPSIS
    What the RSS of a VrrpPS daemon is made of, what runtime settings change, and the marginal RSS and CPU per instance.
.DESCRIPTION
    1. Variants: one daemon node (Start-VrrpInstance -Wait, one instance, 10 ms adverts, Master) per runtime setting
       (environment variables given to the daemon, e.g. the vrrpps.service Environment= lines), -Repeats times each:
       RSS, PSS, private and shared-clean memory from /proc/<pid>/smaps_rollup, the RSS by kind of mapping
       (Get-MemoryMap.ps1) and the runtime's own view from the USR2 stats dump (GC heap, JIT-compiled methods).
    2. Marginal cost per instance: one node Master for N instances (1, then -Instances; v3, 100 ms adverts), RSS and
       CPU % of one core over -Seconds; the marginal figures are the differences divided by the extra instances.
    Writes <OutDir>/footprint.md and footprint.csv with the load average beside every figure. Root. Quick run:
    ./bench/footprint/Invoke-FootprintBench.ps1 -ModulePath out/VrrpPS/VrrpPS.psd1 -Repeats 1 -Instances 20 -Seconds 3
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $ModulePath,
    [ValidateRange(1, 20)][int] $Repeats = 3,
    [System.Collections.IDictionary] $Variants = [ordered]@{
        'default'                         = ''
        'W^X off, TieredPGO off'          = 'DOTNET_EnableWriteXorExecute=0;DOTNET_TieredPGO=0'
        'invariant globalization'         = 'DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1'
        'GC conserve memory 5'            = 'DOTNET_GCConserveMemory=5'
    },
    [ValidateRange(2, 255)][int] $Instances = 100,
    [double] $Seconds = 10,
    [string] $OutDir = (Join-Path $PSScriptRoot '../results')
)
. (Join-Path $PSScriptRoot '../BenchStart.ps1')

function Get-Rollup([int] $ProcessId) {
    $r = @{}
    foreach ($l in Get-Content "/proc/$ProcessId/smaps_rollup") { if ($l -match '^(\w+):\s+(\d+) kB') { $r[$Matches[1]] = [double]$Matches[2] / 1024 } }
    $r
}

function Start-FootprintNode($Harness, [string] $Environment, [int] $Count, [double] $Interval) {
    # The daemon inherits this process's environment (ip netns exec): set the variant's variables around the start only.
    $saved = @{}
    foreach ($kv in ($Environment -split ';' | Where-Object { $_ })) {
        $k, $v = $kv -split '=', 2; $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $v)
    }
    try {
        $lines = @('global_defs {', '    vrrp_version 3', '}')
        foreach ($v in 1..$Count) { $lines += "vrrp_instance VI_$v {", '    interface eth0', "    virtual_router_id $v", '    priority 150', "    advert_int $Interval", '    virtual_ipaddress {', "        198.18.0.$v/32", '    }', '}' }
        $conf = Join-Path $Harness.Dir 'footprint.conf'
        Set-Content -Path $conf -Value (($lines -join "`n") + "`n") -NoNewline
        $null = Start-VrrpLabNode $Harness 1 @{} -ConfigPath $conf -TimeoutSeconds 120
    }
    finally { foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) } }
    $ns = $Harness.Lab.NodeNamespace(1)
    $all = Wait-Until { @(& ip -n $ns -4 -o addr show dev eth0 | Where-Object { $_ -match ' 198\.18\.0\.\d+/32' }).Count -eq $Count } -TimeoutSeconds 60 -PollMs 200
    if (-not $all) { throw "the node did not become Master of its $Count instances`n$(Get-VrrpLabLog $Harness)" }
    Start-Sleep -Seconds 5 # start-up work over
    $Harness.Processes['n1'].Id
}

$rows = [Collections.Generic.List[object]]::new()
foreach ($name in $Variants.Keys) {
    for ($r = 1; $r -le $Repeats; $r++) {
        $h = New-VrrpLab -Nodes 1 -ModulePath $ModulePath
        try {
            $procId = Start-FootprintNode $h $Variants[$name] 1 0.01
            $roll = Get-Rollup $procId
            $map = @(& (Join-Path $PSScriptRoot 'Get-MemoryMap.ps1') -ProcessId $procId)
            $null = & kill -USR2 $procId
            $file = Join-Path $h.Dir 'vrrpps.stats.json'
            $dump = Wait-Until { if (Test-Path $file) { Get-Content $file -Raw | ConvertFrom-Json } } -TimeoutSeconds 5 -PollMs 50
            $kind = { param($k) $sum = 0.0; foreach ($m in $map) { if ($m.Kind -like $k) { $sum += $m.RssMiB } }; $sum }
            $row = [pscustomobject]@{
                Part = 'variant'; Variant = $name; Environment = $Variants[$name]; Repeat = $r; Instances = 1
                RssMiB = [math]::Round($roll.Rss, 1); PssMiB = [math]::Round($roll.Pss, 1); PrivateMiB = [math]::Round($roll.Private_Dirty + $roll.Private_Clean, 1)
                SharedCleanMiB = [math]::Round($roll.Shared_Clean, 1)
                AssembliesMiB = & $kind 'managed*'; NativeLibrariesMiB = (& $kind 'native*') + (& $kind 'ICU*'); JitAndStubsMiB = (& $kind '*JIT*')
                AnonymousMiB = & $kind 'anonymous (GC*'; GcHeapMiB = if ($dump) { [math]::Round($dump.runtime.gcHeapSizeBytes / 1MB, 1) } else { $null }
                JitMethods = if ($dump) { $dump.runtime.jitCompiledMethods } else { $null }; CpuPct = $null; LoadAvg = Get-LoadAverage
            }
            $rows.Add($row)
            Write-Host ("Footprint {0,-28} #{1}: RSS {2,6:0.0} MiB, PSS {3,6:0.0}, private {4,6:0.0}, shared clean {5,6:0.0}; GC heap {6} MiB, {7} JIT-compiled methods; load {8}" -f `
                    $name, $r, $row.RssMiB, $row.PssMiB, $row.PrivateMiB, $row.SharedCleanMiB, $row.GcHeapMiB, $row.JitMethods, $row.LoadAvg)
        }
        finally { Remove-VrrpLab $h }
    }
}
foreach ($count in 1, $Instances) {
    $h = New-VrrpLab -Nodes 1 -ModulePath $ModulePath
    try {
        $procId = Start-FootprintNode $h '' $count 0.1
        $fp = Measure-ProcessFootprint -Processes @{ node = $procId } -Seconds $Seconds
        $roll = Get-Rollup $procId
        $rows.Add([pscustomobject]@{ Part = 'instances'; Variant = 'default'; Environment = ''; Repeat = 1; Instances = $count
                RssMiB = [math]::Round($roll.Rss, 1); PssMiB = [math]::Round($roll.Pss, 1); PrivateMiB = [math]::Round($roll.Private_Dirty + $roll.Private_Clean, 1)
                SharedCleanMiB = [math]::Round($roll.Shared_Clean, 1); AssembliesMiB = $null; NativeLibrariesMiB = $null; JitAndStubsMiB = $null; AnonymousMiB = $null
                GcHeapMiB = $null; JitMethods = $null; CpuPct = [math]::Round($fp.CpuPct, 2); LoadAvg = Get-LoadAverage })
        Write-Host ("Footprint {0,3} instances (Master, 100 ms adverts): RSS {1,6:0.0} MiB, private {2,6:0.0} MiB, CPU {3:0.00} % of a core; load {4}" -f $count, $roll.Rss, ($roll.Private_Dirty + $roll.Private_Clean), $fp.CpuPct, (Get-LoadAverage))
    }
    finally { Remove-VrrpLab $h }
}

$rows | Export-Csv (Join-Path $OutDir 'footprint.csv') -NoTypeInformation
$one = $rows | Where-Object { $_.Part -eq 'instances' -and $_.Instances -eq 1 }; $many = $rows | Where-Object { $_.Part -eq 'instances' -and $_.Instances -eq $Instances }
$extra = $Instances - 1
$md = @('# Footprint of a VrrpPS daemon (a whole pwsh)', '',
    "Run $(Get-Date -Format 'yyyy-MM-dd HH:mm') UTC on $([Environment]::ProcessorCount) cores. RSS/PSS/private/shared clean from /proc/<pid>/smaps_rollup; by kind from /proc/<pid>/smaps",
    '(bench/footprint/Get-MemoryMap.ps1); GC heap and JIT-compiled methods from the USR2 stats dump. Load: /proc/loadavg 1/5/15 min.', '',
    "Command: ``./bench/footprint/Invoke-FootprintBench.ps1 -ModulePath out/VrrpPS/VrrpPS.psd1 -Repeats $Repeats -Instances $Instances``", '',
    '| variant (daemon environment) | run | RSS | PSS | private | shared clean | assemblies | .so | JIT code, stubs | other anonymous | GC heap | JIT methods | load |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|')
foreach ($r in $rows | Where-Object Part -EQ 'variant') {
    $md += "| $($r.Variant) ``$($r.Environment)`` | $($r.Repeat) | $($r.RssMiB) | $($r.PssMiB) | $($r.PrivateMiB) | $($r.SharedCleanMiB) | $($r.AssembliesMiB) | $($r.NativeLibrariesMiB) | $($r.JitAndStubsMiB) | $($r.AnonymousMiB) | $($r.GcHeapMiB) | $($r.JitMethods) | $($r.LoadAvg) |"
}
$md += '', '(MiB.)', '', "Marginal cost per instance (one node Master for 1 and for $Instances instances, v3, 100 ms adverts, CPU over $Seconds s):", '',
    '| instances | RSS MiB | private MiB | CPU % of a core | load |', '|---|---|---|---|---|'
foreach ($r in $one, $many) { $md += "| $($r.Instances) | $($r.RssMiB) | $($r.PrivateMiB) | $($r.CpuPct) | $($r.LoadAvg) |" }
$md += '', ("Per extra instance: RSS {0:0.000} MiB, private {1:0.000} MiB, CPU {2:0.0000} % of a core." -f (($many.RssMiB - $one.RssMiB) / $extra), (($many.PrivateMiB - $one.PrivateMiB) / $extra), (($many.CpuPct - $one.CpuPct) / $extra))
Set-Content (Join-Path $OutDir 'footprint.md') ($md -join "`n")
Write-Host "Footprint bench: $(Join-Path $OutDir 'footprint.md')" -ForegroundColor Cyan

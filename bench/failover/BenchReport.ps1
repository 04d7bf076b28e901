# Report of Invoke-FailoverBench.ps1: CSV files, the chart (bench/chart, ScottPlot) and failover.md.

function ConvertTo-InvariantText([double] $Value) {
    if ([double]::IsNaN($Value)) { 'NaN' } else { $Value.ToString('0.###', [cultureinfo]::InvariantCulture) }
}

function Get-MedianRatio($Results, [double] $IntervalMs) {
    # VrrpPS median / keepalived median at one interval ('' when either is missing).
    $k = $Results | Where-Object { $_.Implementation -eq 'keepalived' -and $_.IntervalMs -eq $IntervalMs }
    $v = $Results | Where-Object { $_.Implementation -eq 'VrrpPS' -and $_.IntervalMs -eq $IntervalMs }
    if ($k -and $v -and $k.MedianMs -gt 0 -and -not [double]::IsNaN($v.MedianMs)) { '{0:0.00}' -f ($v.MedianMs / $k.MedianMs) } else { '' }
}

function Format-IntervalText([double] $IntervalMs) {
    if ($IntervalMs -ge 1000) { '{0:0.##} s' -f ($IntervalMs / 1000) } else { '{0:0.##} ms' -f $IntervalMs }
}

function Write-SvgChart($Results, [string] $Path) {
    # Fallback when ScottPlot cannot render: the same bars (median % of bound, p95 whisker) as plain SVG.
    $intervals = @($Results.IntervalMs | Sort-Object -Unique -Descending)
    $impls = @($Results.Implementation | Select-Object -Unique)
    $colors = '#4682b4', '#ff8c00', '#2e8b57'
    $w = 900; $hgt = 520; $top = 60; $bottom = 460; $scale = ($bottom - $top) / 130
    $sb = [Text.StringBuilder]::new()
    $null = $sb.AppendLine("<svg xmlns='http://www.w3.org/2000/svg' width='$w' height='$hgt' font-family='sans-serif' font-size='12'>")
    $null = $sb.AppendLine("<rect width='100%' height='100%' fill='white'/><text x='450' y='30' text-anchor='middle' font-size='16'>Cable cut on the master: time until the VIP is on the new master (% of RFC bound)</text>")
    $y100 = $bottom - 100 * $scale
    $null = $sb.AppendLine("<line x1='60' x2='880' y1='$y100' y2='$y100' stroke='red' stroke-dasharray='6,4'/><text x='875' y='$($y100 - 4)' text-anchor='end' fill='red'>RFC bound</text>")
    for ($g = 0; $g -lt $intervals.Count; $g++) {
        $x0 = 100 + $g * 260
        $null = $sb.AppendLine("<text x='$($x0 + 60)' y='$($bottom + 20)' text-anchor='middle'>$(Format-IntervalText $intervals[$g]) adverts</text>")
        for ($i = 0; $i -lt $impls.Count; $i++) {
            $r = $Results | Where-Object { $_.Implementation -eq $impls[$i] -and $_.IntervalMs -eq $intervals[$g] }
            if (-not $r -or [double]::IsNaN($r.MedianMs)) { continue }
            $x = $x0 + $i * 70; $m = 100 * $r.MedianMs / $r.BoundMs; $p = 100 * $r.P95Ms / $r.BoundMs
            $null = $sb.AppendLine(("<rect x='{0}' y='{1:0}' width='60' height='{2:0}' fill='{3}'/>" -f $x, ($bottom - $m * $scale), ($m * $scale), $colors[$i % 3]))
            $null = $sb.AppendLine(("<line x1='{0}' x2='{0}' y1='{1:0}' y2='{2:0}' stroke='black' stroke-width='2'/>" -f ($x + 30), ($bottom - $m * $scale), ($bottom - $p * $scale)))
            $null = $sb.AppendLine(("<text x='{0}' y='{1:0}' text-anchor='middle'>{2} ms</text>" -f ($x + 30), ($bottom - $p * $scale - 5), (Format-Ms $r.MedianMs)))
        }
    }
    for ($i = 0; $i -lt $impls.Count; $i++) {
        $null = $sb.AppendLine("<rect x='$(70 + $i * 130)' y='45' width='12' height='12' fill='$($colors[$i % 3])'/><text x='$(88 + $i * 130)' y='56'>$($impls[$i])</text>")
    }
    $null = $sb.AppendLine('</svg>')
    Set-Content -Path $Path -Value $sb.ToString()
}

function Write-BenchReport {
    param($Results, [string] $OutDir, [int] $Trials, [datetime] $Started, [double] $AllocBytesPerCycle,
          [string[]] $AllocDetail, [string] $Root, [double] $FootprintSeconds)
    $inv = [cultureinfo]::InvariantCulture
    $trialsCsv = Join-Path $OutDir 'failover-trials.csv'
    $summaryCsv = Join-Path $OutDir 'failover-summary.csv'
    $lines = @('implementation,interval_ms,trial,failover_ms')
    foreach ($r in $Results) { for ($i = 0; $i -lt $r.Samples.Count; $i++) { $lines += '{0},{1},{2},{3}' -f $r.Implementation, (ConvertTo-InvariantText $r.IntervalMs), ($i + 1), (ConvertTo-InvariantText $r.Samples[$i]) } }
    Set-Content -Path $trialsCsv -Value $lines
    $lines = @('implementation,interval_ms,trials,median_ms,p95_ms,max_ms,bound_ms')
    foreach ($r in $Results) {
        $lines += ($r.Implementation, (ConvertTo-InvariantText $r.IntervalMs), $r.Samples.Count, (ConvertTo-InvariantText $r.MedianMs),
            (ConvertTo-InvariantText $r.P95Ms), (ConvertTo-InvariantText $r.MaxMs), (ConvertTo-InvariantText $r.BoundMs)) -join ','
    }
    Set-Content -Path $summaryCsv -Value $lines

    # Chart: ScottPlot (bench/chart); an SVG written here if it cannot build or render.
    $png = Join-Path $OutDir 'failover.png'
    $chartOut = Join-Path $Root 'out/bench/chart'
    $chartLog = & dotnet build (Join-Path $Root 'bench/chart/Chart.csproj') -c Release --nologo -v quiet -o $chartOut 2>&1
    if ($LASTEXITCODE -eq 0) { $chartLog = & dotnet (Join-Path $chartOut 'Chart.dll') $summaryCsv $png 2>&1 }
    if ($LASTEXITCODE -eq 0 -and (Test-Path $png)) { $chartFile = 'failover.png' }
    else {
        Write-Warning "ScottPlot chart failed, writing an SVG instead: $($chartLog | Select-Object -Last 3)"
        Write-SvgChart $Results (Join-Path $OutDir 'failover.svg')
        $chartFile = 'failover.svg'
    }

    $table = @('| Implementation | Advert interval | Trials | Median (ms) | p95 (ms) | Max (ms) | VrrpPS / keepalived (median) | RFC bound (ms) |',
               '|---|---:|---:|---:|---:|---:|---:|---:|')
    foreach ($r in $Results) {
        $ratio = if ($r.Implementation -eq 'VrrpPS') { Get-MedianRatio $Results $r.IntervalMs } else { '' }
        $table += '| {0} | {1} | {2} | {3} | {4} | {5} | {6} | {7} |' -f $r.Implementation, (Format-IntervalText $r.IntervalMs),
            "$($r.Samples.Count)/$($r.Trials)", (Format-Ms $r.MedianMs), (Format-Ms $r.P95Ms), (Format-Ms $r.MaxMs), $ratio, (Format-Ms $r.BoundMs)
    }
    $foot = @('| Implementation | Role | Process measured | PID | CPU (% of one core) | RSS (MiB) |', '|---|---|---|---:|---:|---:|')
    foreach ($r in $Results | Where-Object { $_.Footprint }) {
        foreach ($f in $r.Footprint | Sort-Object Role -Descending) {
            $what = if ($r.Implementation -eq 'keepalived') { "keepalived VRRP child ($($f.Command))" } else { "pwsh running Start-VrrpInstance -Wait ($($f.Command))" }
            $foot += '| {0} | {1} | {2} | {3} | {4:0.00} | {5:0.0} |' -f $r.Implementation, $f.Role, $what, $f.Pid, $f.CpuPct, $f.RssMiB
        }
    }
    $notes = foreach ($r in $Results) { foreach ($n in $r.Notes) { "- $($r.Implementation), $(Format-IntervalText $r.IntervalMs): $n" } }
    $kernel = (& uname -r).Trim(); $cpus = (& nproc).Trim()
    $cpuModel = ((Get-Content /proc/cpuinfo | Where-Object { $_ -match '^model name' } | Select-Object -First 1) -replace '^model name\s*:\s*', '')
    $keepalivedVersion = ((& keepalived --version 2>&1 | Select-Object -First 1) -replace '\s*\(.*$', '').ToString().Trim()
    $module = Import-PowerShellDataFile (Join-Path $Root 'out/VrrpPS/VrrpPS.psd1')
    $md = @(
        '# Failover benchmark: VrrpPS vs keepalived'
        ''
        "Command: ``dotnet pwsh ./build.ps1 Bench -Trials $Trials``  "
        "Date: $($Started.ToUniversalTime().ToString('yyyy-MM-dd HH:mm', $inv)) UTC  "
        "Machine: nproc $cpus ($cpuModel), kernel $kernel; $keepalivedVersion; VrrpPS $($module.ModuleVersion) on PowerShell $($PSVersionTable.PSVersion)"
        ''
        'Lab: 3 nodes in network namespaces on one bridge, priorities 150/100/50, VRRPv3, VIP 198.51.100.100/24,'
        'both implementations built and run in the same bench run. A trial cuts the master''s cable (its'
        'bridge-side veth goes down) and measures from that link-down event (`ip -ts monitor link` in the'
        'bridge namespace) to the VIP''s RTM_NEWADDR on node 2 (`ip -ts monitor address` inside node 2''s'
        'namespace): both stamps come from `ip -ts` on the same host clock (gettimeofday, microseconds).'
        'Between trials the cable is restored and the bench waits until node 1 holds the VIP again'
        '(preemption); a random pause of 1-2 intervals puts each cut at a random phase of the advert cycle.'
        'RFC bound = Master_Down_Interval of the priority-100 backup (3 x interval + (256-100)/256 x interval,'
        'RFC 5798 §6.1) + one interval of phase.'
        ''
        $table
        ''
        "Footprint at 10 ms adverts, one $FootprintSeconds s window before the first cut (CPU from /proc/<pid>/stat utime+stime, RSS = VmRSS from /proc/<pid>/status):"
        ''
        $foot
        ''
        ("Steady-state allocation of the advert path (bench/alloc: VrrpCodec.WriteAdvertisement + raw-socket send in one namespace, " +
         "poll + receive + VrrpCodec.TryParse + VirtualRouter.OnAdvertisement in another, 10 000 cycles after a warm-up, " +
         "GC.GetAllocatedBytesForCurrentThread): **$(ConvertTo-InvariantText $AllocBytesPerCycle) bytes per cycle**.")
        ''
        ($AllocDetail | ForEach-Object { "    $_" })
        ''
        "![failover chart]($chartFile)"
        ''
        'Raw data: failover-trials.csv (every trial), failover-summary.csv (the table). The machine is shared'
        'with other workloads (2 cores), so the tails include scheduling noise for both implementations.'
    )
    if ($notes) { $md += '', 'Notes from the run:', '', $notes }
    $mdPath = Join-Path $OutDir 'failover.md'
    Set-Content -Path $mdPath -Value $md
    [pscustomobject]@{ Markdown = $mdPath; Chart = (Join-Path $OutDir $chartFile); Table = (($table + '' + $foot) -join "`n") }
}

# Helpers of the benches (failover, scale, starvation, lateness): netlink event timestamps, statistics, /proc sampling.
#
# Time base. Both ends of a measurement come from `ip -ts monitor` processes on the same host:
#   cut  = the RTM_NEWLINK event "v-n1 ... state DOWN" seen in the bridge namespace
#          (`ip -ts monitor link`),
#   VIP  = the RTM_NEWADDR event "inet 198.51.100.100/…" seen in the new master's namespace
#          (`ip -ts monitor address`).
# `ip -ts` prints "[YYYY-MM-DDTHH:MM:SS.ffffff]": gettimeofday() (CLOCK_REALTIME, local time,
# microseconds) taken when the monitor reads the netlink message. Both stamps share that clock and
# that tool, so their difference does not depend on the time zone, and both carry the same kind of
# read delay (a monitor process has to be scheduled) instead of one side being a script timestamp.

$script:IpTsPattern = '^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6})\] (.*)$'

function ConvertFrom-IpTimestamp([string] $Text) {
    [datetime]::ParseExact($Text, 'yyyy-MM-ddTHH:mm:ss.ffffff', [cultureinfo]::InvariantCulture)
}

function Get-FileLine([string] $Path) {
    # The monitor logs are open for writing; Get-Content shares read/write access.
    if (Test-Path $Path) { @(Get-Content -Path $Path -ErrorAction Ignore) } else { @() }
}

function Find-MonitorEvent {
    # First "[ts] …" line after line number $Skip whose text matches $Pattern (and not $Exclude).
    param([string] $Path, [int] $Skip, [string] $Pattern, [string] $Exclude = '^Deleted ')
    $lines = @(Get-FileLine $Path)
    for ($i = $Skip; $i -lt $lines.Count; $i++) {
        if ($lines[$i] -match $script:IpTsPattern) {
            $stamp, $text = $Matches[1], $Matches[2]
            if ($text -match $Pattern -and -not ($Exclude -and $text -match $Exclude)) {
                return [pscustomobject]@{ Time = ConvertFrom-IpTimestamp $stamp; Line = $i; Text = $text }
            }
        }
    }
    $null
}

function Wait-Until {
    # Polls $Condition every $PollMs until it returns a truthy value or $TimeoutSeconds pass; returns that value or $null.
    param([scriptblock] $Condition, [double] $TimeoutSeconds, [int] $PollMs = 20)
    $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
    do {
        $v = & $Condition
        if ($v) { return $v }
        Start-Sleep -Milliseconds $PollMs
    } while ([datetime]::UtcNow -lt $deadline)
    $null
}

function Get-Percentile([double[]] $Values, [double] $P) {
    # Nearest-rank percentile (P in 0..100) of a non-empty sample.
    $sorted = [double[]]($Values | Sort-Object)
    $rank = [math]::Ceiling($P / 100 * $sorted.Count)
    $sorted[[math]::Max(0, [int]$rank - 1)]
}

function Get-Median([double[]] $Values) {
    $sorted = [double[]]($Values | Sort-Object)
    $n = $sorted.Count
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

function Get-ProcSample([int] $ProcessId) {
    # utime+stime in clock ticks (/proc/<pid>/stat fields 14 and 15, counted after the "(comm)")
    # and VmRSS in kB (/proc/<pid>/status).
    $stat = Get-Content "/proc/$ProcessId/stat" -Raw
    $fields = $stat.Substring($stat.LastIndexOf(')') + 2).Split(' ')
    # fields[0] is field 3 (state): utime = field 14 -> index 11, stime = field 15 -> index 12.
    $ticks = [long]$fields[11] + [long]$fields[12]
    $rss = (Select-String -Path "/proc/$ProcessId/status" -Pattern '^VmRSS:\s+(\d+)').Matches[0].Groups[1].Value
    [pscustomobject]@{ Ticks = $ticks; RssKiB = [long]$rss; At = [Diagnostics.Stopwatch]::GetTimestamp() }
}

function Measure-ProcessFootprint {
    # CPU% (of one core) and RSS of each process over one window of $Seconds.
    param([hashtable] $Processes, [double] $Seconds = 10)
    $hz = [double](& getconf CLK_TCK)
    $first = @{}; foreach ($k in $Processes.Keys) { $first[$k] = Get-ProcSample $Processes[$k] }
    Start-Sleep -Seconds $Seconds
    foreach ($k in $Processes.Keys) {
        $last = Get-ProcSample $Processes[$k]
        $wall = ($last.At - $first[$k].At) / [Diagnostics.Stopwatch]::Frequency
        [pscustomobject]@{
            Role    = $k
            Pid     = $Processes[$k]
            Command = (Get-Content "/proc/$($Processes[$k])/comm" -Raw).Trim()
            CpuPct  = 100 * (($last.Ticks - $first[$k].Ticks) / $hz) / $wall
            RssMiB  = $last.RssKiB / 1024
        }
    }
}

function Get-RfcBoundMs([double] $IntervalSeconds) {
    # Master_Down_Interval of the priority-100 backup (RFC 5798 §6.1) plus one interval of phase:
    # the cut falls anywhere between two adverts.
    (Get-VrrpMasterDownInterval -AdvertisementInterval $IntervalSeconds -Priority 100 -Version 3).TotalMilliseconds + 1000 * $IntervalSeconds
}

function Format-Ms([double] $Ms) {
    if ([double]::IsNaN($Ms)) { 'n/a' } elseif ($Ms -ge 100) { '{0:0}' -f $Ms } else { '{0:0.0}' -f $Ms }
}

# --- shared by the failover, starvation and lateness benches -----------------------------------

function Get-LoadAverage {
    # The 1/5/15-minute load averages of /proc/loadavg: written next to every figure, so that a run on a
    # busy machine shows as such.
    (Get-Content /proc/loadavg -Raw).Split(' ')[0..2] -join ' '
}

function Start-BenchCluster {
    # A 3-node VRRPv3 cluster (priorities 150/100/50, one VIP) of one implementation in $Harness's lab.
    # -RealtimePriority: keepalived's global vrrp_rt_priority / Start-VrrpInstance -RealtimePriority (0 = off).
    param($Harness, [string] $Implementation, [double] $Interval, [string] $Vip = '198.51.100.100',
          [int[]] $Priorities = @(150, 100, 50), [int] $RealtimePriority = 0)
    if ($Implementation -eq 'keepalived') {
        foreach ($n in 1..$Priorities.Count) {
            $conf = New-KeepalivedLabConfig -Priority $Priorities[$n - 1] -AdvertisementInterval $Interval -Version 3 -VirtualIPAddress "$Vip/24"
            if ($RealtimePriority -gt 0) { $conf = $conf.Replace("global_defs {`n", "global_defs {`n    vrrp_rt_priority $RealtimePriority`n") }
            $null = Start-KeepalivedLabNode $Harness $n $conf
        }
    }
    else {
        $instances = foreach ($n in 1..$Priorities.Count) {
            $i = @{ Name = 'VI_1'; Interface = 'eth0'; VirtualRouterId = 51; Priority = $Priorities[$n - 1]
                    VirtualIPAddress = "$Vip/24"; AdvertisementInterval = $Interval; Version = 3 }
            if ($RealtimePriority -gt 0) { $i.RealtimePriority = $RealtimePriority }
            $i
        }
        $null = Start-VrrpLabCluster $Harness $instances
    }
}

function Get-BenchNodeProcessId($Harness, [string] $Implementation, [int] $Node) {
    # keepalived: the VRRP child (its --vrrp_pid file); VrrpPS: the pwsh running Start-VrrpInstance -Wait
    # (`ip netns exec` execs it, so the started process id is pwsh's).
    if ($Implementation -eq 'keepalived') { [int](Get-Content (Join-Path $Harness.Dir "n$Node-kv.pid") -Raw).Trim() }
    else { $Harness.Processes["n$Node"].Id }
}

function Start-CpuStress([int] $Seconds, [int] $Workers = [Environment]::ProcessorCount) {
    # stress-ng --cpu on every core (root namespace: it only burns CPU, no network); bounded by its own --timeout.
    $stress = (Get-Command stress-ng -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source
    Start-Process -FilePath $stress -ArgumentList '--cpu', $Workers, '--timeout', "${Seconds}s", '--quiet' -PassThru
}

function Stop-CpuStress($Process) {
    if ($Process -and -not $Process.HasExited) {
        $null = & kill -INT $Process.Id
        if (-not $Process.WaitForExit(10000)) { $Process.Kill($true) }
    }
}

function Get-VrrpPSLongestIteration($Harness, [int] $Node) {
    # SIGUSR2 makes a VrrpPS daemon write vrrpps.stats.json next to its control socket; engine.longestIterationMicroseconds
    # covers the time since the previous USR2. Returns it in ms, or NaN when the dump does not come.
    $file = Join-Path $Harness.Dir 'vrrpps.stats.json'
    $before = if (Test-Path $file) { (Get-Item $file).LastWriteTimeUtc } else { [datetime]::MinValue }
    $null = & kill -USR2 $Harness.Processes["n$Node"].Id
    $dump = Wait-Until { if ((Test-Path $file) -and (Get-Item $file).LastWriteTimeUtc -gt $before) { Get-Content $file -Raw | ConvertFrom-Json } } -TimeoutSeconds 5 -PollMs 50
    if ($dump -and $dump.engine) { $dump.engine.longestIterationMicroseconds / 1000 } else { [double]::NaN }
}

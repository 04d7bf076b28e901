#requires -Version 7.4
<#
.SYNOPSIS
    The VrrpPS tour: a 3-router lab in network namespaces, election, a client reaching the
    virtual IP, a cut cable with the measured hand-over, and preemption back. Needs root.
.DESCRIPTION
    Run through build.ps1 (`dotnet pwsh ./build.ps1 Demo`), which builds the module first.
    Everything lives in namespaces named <tag>-* (random tag) that are removed at the end, also
    after a failure or Ctrl+C. Addresses come from 198.51.100.0/24 only.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $ModulePath,
    [double] $AdvertisementInterval = 0.1
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$ProgressPreference = 'SilentlyContinue'

if ((& id -u) -ne '0') {
    Write-Host 'The demo builds network namespaces and raw VRRP sockets: run it as root (sudo).' -ForegroundColor Red
    exit 1
}
$ModulePath = (Resolve-Path $ModulePath).Path
Import-Module $ModulePath
Import-Module (Join-Path $PSScriptRoot 'VrrpLab.psm1')

$Vip = '198.51.100.100'
$Priorities = 150, 100, 50
$Pwsh = Join-Path $PSHOME 'pwsh'
$clock = [Diagnostics.Stopwatch]::StartNew()

function Write-Step([string] $Text) { Write-Host ''; Write-Host $Text -ForegroundColor Cyan }

function Show-NodeTable($Harness) {
    # One table for the whole cluster: which node is which, straight from Get-VrrpState.
    $rows = foreach ($n in 1..$Harness.Lab.NodeCount) {
        $s = Get-VrrpLabState $Harness $n
        [pscustomobject]@{
            Node   = "n$n"
            State  = $s.State
            Prio   = $s.Priority
            VIP    = if (Get-VrrpLabVip $Harness $n $Vip) { 'yes' } else { '-' }
            Master = $s.MasterAddress
            Since  = $s.LastTransition.ToLocalTime().ToString('HH:mm:ss.fff')
            Why    = $s.LastTransitionReason
        }
    }
    $text = $rows | Format-Table -AutoSize | Out-String -Width 100
    Write-Host $text.Trim("`r", "`n")
}

function Invoke-ClientPing($Harness) {
    # .NET Ping from a pwsh started inside the client namespace; the client's ARP entry for the
    # VIP then tells which node's MAC answered (gratuitous ARP moves it on fail-over).
    $code = "`$r = [Net.NetworkInformation.Ping]::new().Send('$Vip', 1000); '{0} {1}' -f `$r.Status, `$r.RoundtripTime"
    $r = $Harness.Lab.Exec($Harness.Lab.ClientNamespace, $Pwsh, '-NoProfile', '-NonInteractive', '-c', $code)
    $status, $rtt = "$($r.StandardOutput)".Trim() -split ' '
    $neigh = $Harness.Lab.Exec($Harness.Lab.ClientNamespace, 'ip', 'neigh', 'show', $Vip).StandardOutput
    $mac = if ($neigh -match 'lladdr (\S+)') { $Matches[1] }
    $node = foreach ($n in 1..$Harness.Lab.NodeCount) {
        $link = $Harness.Lab.Exec($Harness.Lab.NodeNamespace($n), 'ip', '-br', 'link', 'show', 'eth0').StandardOutput
        if ($mac -and $link -match [regex]::Escape($mac)) { "n$n" }
    }
    if ($status -eq 'Success') {
        Write-Host ("  client 198.51.100.200 -> ping $Vip : reply in {0} ms, answered by {1} (MAC {2})" -f $rtt, ($node ?? '?'), $mac) -ForegroundColor Green
    }
    else {
        Write-Host "  client 198.51.100.200 -> ping $Vip : $status" -ForegroundColor Yellow
    }
}

function Show-LogLines($Harness, [datetime] $Since, [int] $Max = 10) {
    # keepalived-style lines ("yyyy-MM-dd HH:mm:ss.fff (VI_1) Entering MASTER STATE ...") of every
    # node written after $Since, merged in time order; the start-up chatter is left out.
    $lines = foreach ($n in 1..$Harness.Lab.NodeCount) {
        foreach ($line in Get-Content (Join-Path $Harness.Dir "n$n.log") -ErrorAction Ignore) {
            if ($line -notmatch '^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) (.*)$') { continue }
            $stamp, $message = $Matches[1], $Matches[2]
            if ($message -notmatch 'Entering|Interface|VIPs') { continue }
            $t = [datetime]::ParseExact($stamp, 'yyyy-MM-dd HH:mm:ss.fff', [cultureinfo]::InvariantCulture)
            if ($t -ge $Since.AddMilliseconds(-1)) { [pscustomobject]@{ Time = $t; Text = "  n$n  $($stamp.Substring(11))  $message" } }
        }
    }
    $lines | Sort-Object Time | Select-Object -First $Max | ForEach-Object { Write-Host $_.Text -ForegroundColor DarkGray }
}

$intervalMs = $AdvertisementInterval * 1000
$mdiMs = 3 * $intervalMs + (256 - 100) * $intervalMs / 256   # RFC 5798 §6.1, backup of priority 100
Write-Host "VrrpPS demo: 3 routers share the virtual IP $Vip (VRRPv3, adverts every $intervalMs ms)" -ForegroundColor White
$h = $null
try {
    Write-Step '1. Lab: 3 nodes (n1..n3) and a client on one bridge, each in its own network namespace'
    $h = New-VrrpLab -Nodes 3 -Client -ModulePath $ModulePath
    Write-Host "  namespaces $($h.Lab.Tag)-n1..n3, $($h.Lab.Tag)-c; nodes 198.51.100.11-13, client 198.51.100.200"
    $instances = foreach ($n in 1..3) {
        @{ Name = 'VI_1'; Interface = 'eth0'; VirtualRouterId = 51; Priority = $Priorities[$n - 1]
           VirtualIPAddress = "$Vip/24"; AdvertisementInterval = $AdvertisementInterval; Version = 3 }
    }
    $null = Start-VrrpLabCluster $h $instances
    Write-Host "  started Start-VrrpInstance -Wait on each node, priorities $($Priorities -join '/')"

    Write-Step '2. Election: the highest priority (n1, 150) becomes master and holds the VIP'
    $null = Wait-VrrpLabState $h 1 Master -Timeout 10
    $null = Wait-VrrpLabState $h 2 Backup -Timeout 5
    Show-NodeTable $h
    Invoke-ClientPing $h

    Write-Step "3. Cut n1's cable: n2 (priority 100) must take over within Master_Down_Interval"
    Start-Sleep -Milliseconds (3 * $intervalMs)
    $cut = [datetime]::UtcNow
    $h.Lab.SetLinkUp(1, $false)   # runs `ip link set v-n1 down` in the bridge namespace
    $cutCommandMs = ([datetime]::UtcNow - $cut).TotalMilliseconds
    $s = Wait-VrrpLabState $h 2 Master -Timeout 10
    $took = ($s.LastTransition.ToUniversalTime() - $cut).TotalMilliseconds
    Write-Host ("  hand-over: n2 is master {0:0} ms after the cut   (RFC 5798 bound: Master_Down_Interval =" -f $took) -ForegroundColor Yellow
    Write-Host ("             3 x {0} ms + skew {1:0.#} ms = {2:0.#} ms; the cut command itself took {3:0} ms)" -f `
            $intervalMs, ($mdiMs - 3 * $intervalMs), $mdiMs, $cutCommandMs) -ForegroundColor Yellow
    Start-Sleep -Milliseconds 300   # let the gratuitous ARPs reach the client
    Invoke-ClientPing $h
    Start-Sleep -Milliseconds 200   # node logs reach their files through pipe readers
    Write-Host '  node logs since the cut:'
    Show-LogLines $h $cut.ToLocalTime() 8

    Write-Step "4. Plug n1 back in: it preempts (higher priority) and takes the VIP back"
    $back = [datetime]::UtcNow
    $h.Lab.SetLinkUp(1, $true)
    $s = Wait-VrrpLabState $h 1 Master -Timeout 10
    $null = Wait-VrrpLabState $h 2 Backup -Timeout 5
    Write-Host ("  n1 master again {0:0} ms after the cable came back: {1}" -f ($s.LastTransition.ToUniversalTime() - $back).TotalMilliseconds, $s.LastTransitionReason) -ForegroundColor Yellow
    Start-Sleep -Milliseconds 200
    Show-LogLines $h $back.ToLocalTime() 6
    Show-NodeTable $h
}
catch {
    Write-Host "Demo failed: $($_.Exception.Message)" -ForegroundColor Red
    if ($h) { Write-Host "  last node log lines:"; 1..3 | ForEach-Object { Get-Content (Join-Path $h.Dir "n$_.log") -Tail 3 -ErrorAction Ignore } }
    $failed = $true
}
finally {
    if ($h) { Remove-VrrpLab $h }
}
$left = @(if ($h) { [VrrpPS.Lab.NamespaceLab]::ListNamespaces() -like "$($h.Lab.Tag)-*" })
if ($left.Count) { Write-Host "Namespaces left behind: $($left -join ', ')" -ForegroundColor Red; $failed = $true }
Write-Step ("Done in {0:0.0} s; lab removed, no namespace of it left." -f $clock.Elapsed.TotalSeconds)
if (Get-Variable failed -ErrorAction Ignore) { exit 1 }

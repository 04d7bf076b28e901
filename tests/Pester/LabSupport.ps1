# Shared by the Lab*, Interop* and Wire* Pester files (dot-sourced in their BeforeAll): imports the
# built module and the lab harness (tools/VrrpLab.psm1) and holds the timing tolerances.
# Every lab runs in namespaces with a random tag and is removed in AfterAll (Remove-VrrpLab).
Set-StrictMode -Version 3.0
Import-Module $env:VRRPPS_MODULE_PATH
Import-Module (Join-Path $PSScriptRoot '../../tools/VrrpLab.psm1') -Force

# Scheduling slack added to every RFC timer bound: the machine has 2 cores shared by several
# agents running labs and builds; a node's event loop, the `ip link` that cuts a cable and the
# control-socket round trip that reads the state can each be delayed by a few tens of ms.
$script:SchedulingSlackMs = 150

function New-TestLab([int] $Nodes = 3, [switch] $Client, [switch] $IPv6) {
    New-VrrpLab -Nodes $Nodes -ModulePath $env:VRRPPS_MODULE_PATH -Client:$Client -IPv6:$IPv6
}

function New-TestInstance {
    # Start-VrrpInstance parameters for one lab node; -Extra adds/overrides parameters.
    param([int] $Priority, [int] $Version = 3, [double] $Interval = 0.1, [string] $Vip = '198.51.100.100/24',
          [int] $VirtualRouterId = 51, [hashtable] $Extra = @{})
    $i = @{ Name = 'VI_1'; Interface = 'eth0'; VirtualRouterId = $VirtualRouterId; Priority = $Priority
            VirtualIPAddress = $Vip; AdvertisementInterval = $Interval; Version = $Version }
    foreach ($k in $Extra.Keys) { $i[$k] = $Extra[$k] }
    $i
}

function Get-FailoverBound($Timing) {
    # Upper bound for "cable of the master cut -> backup is Master", measured from just before the
    # cut: the backup's Master_Down_Timer was last reset by an advert received before the cut, so
    # it fires at most Master_Down_Interval after the cut; one more Advertisement_Interval covers an
    # advert already on the wire at the moment of the cut; plus the scheduling slack.
    $Timing.MasterDownMs + $Timing.IntervalMs + $script:SchedulingSlackMs
}

function Get-FailoverFloor($Timing) {
    # Lower bound: the backup heard an advert at most ~2 intervals before the cut (one interval,
    # plus one more for a master whose send was delayed by load), so it cannot take over earlier
    # than Master_Down_Interval - 2 * Advertisement_Interval (RFC 5798 §6.4.2: no early takeover).
    $Timing.MasterDownMs - 2 * $Timing.IntervalMs
}

function Measure-LabFailover {
    # Cuts node Master's cable and waits for node Backup (a VrrpPS node) to become Master; returns
    # milliseconds from just before the cut to the backup's own LastTransition time stamp.
    param($Harness, [int] $Master, [int] $Backup, [double] $TimeoutSeconds = 10)
    $t0 = [DateTime]::UtcNow
    $Harness.Lab.SetLinkUp($Master, $false)
    $s = Wait-VrrpLabState $Harness $Backup Master -Timeout $TimeoutSeconds
    [pscustomobject]@{ Milliseconds = ($s.LastTransition - $t0).TotalMilliseconds; State = $s }
}

function Measure-LabVipMove {
    # Same for a keepalived node taking over: the time from just before the cut until the VIP is
    # seen on node Backup's interface (polled every 10 ms, so +10 ms resolution).
    param($Harness, [int] $Master, [int] $Backup, [string] $Address = '198.51.100.100', [double] $TimeoutSeconds = 10)
    $t0 = [DateTime]::UtcNow
    $Harness.Lab.SetLinkUp($Master, $false)
    $t1 = Wait-VrrpLabVip $Harness $Backup -Address $Address -Timeout $TimeoutSeconds
    ($t1 - $t0).TotalMilliseconds
}

function Get-LabStateSamples {
    # Node N's state every 100 ms for Duration seconds (bounded loop), for "stays Backup/Master" checks.
    param($Harness, [int] $Node, [double] $DurationSeconds)
    $deadline = [DateTime]::UtcNow.AddSeconds($DurationSeconds)
    $seen = [System.Collections.Generic.List[string]]::new()
    while ([DateTime]::UtcNow -lt $deadline) {
        $seen.Add([string](Get-VrrpLabState $Harness $Node).State)
        Start-Sleep -Milliseconds 100
    }
    , $seen.ToArray()
}

function Write-LabTiming([string] $What, [double] $Milliseconds, [double] $Bound = 0) {
    # Measured times go to the test output, so the run shows them (the lead collects them).
    $b = if ($Bound -gt 0) { " (bound {0:N1} ms)" -f $Bound } else { '' }
    Write-Host ("    [timing] {0}: {1:N1} ms{2}" -f $What, $Milliseconds, $b)
}

function Start-KeepalivedVrrpPSPair {
    # One keepalived.conf (priority 100) on keepalived (node 1) and, at priority 150, on VrrpPS (node 2,
    # Import-KeepalivedConfig); waits until VrrpPS is Master. On failure the lab is removed and the logs thrown.
    param([Parameter(Mandatory)] $Harness, [Parameter(Mandatory)][string] $ConfigText)
    $vrrppsConf = Join-Path $Harness.Dir 'n2-pair.conf'
    Set-Content -Path $vrrppsConf -Value ($ConfigText -replace 'priority 100\n', "priority 150`n") -NoNewline
    try {
        $null = Start-KeepalivedLabNode $Harness 1 $ConfigText
        $null = Start-VrrpLabNode $Harness 2 @{} -ConfigPath $vrrppsConf
        $null = Wait-VrrpLabState $Harness 2 Master -Timeout 20
    }
    catch { $log = Get-VrrpLabLog $Harness; Remove-VrrpLab $Harness; throw "$_`n$log" }
}

# Lab tests (network namespaces, real processes) for keepalived's vrrp_track_process: a keepalived.conf
# tracking a process by name moves the VIP when the process dies and back when it returns; the
# command-line form (param_match partial, quorum 2, weight 0) puts the instance in FAULT. The tracked
# process is a copy of sleep under a per-run random name, so nothing else on the host can match it.
# No differential run against keepalived here: keepalived 2.2.7 learns of processes only from the
# kernel's proc connector, which it cannot use outside the host's network namespace ("Failed to
# set/clear process event listen - errno 111"), so in a lab every track_process of keepalived is in FAULT.
BeforeAll {
    Import-Module $env:VRRPPS_MODULE_PATH -Force
    $repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $repo 'tools/VrrpLab.psm1') -Force
    $script:h = New-VrrpLab -Nodes 2 -ModulePath $env:VRRPPS_MODULE_PATH
    # comm keeps 15 characters; 'vrtp' + 8 hex = 12.
    $script:ProcName = 'vrtp' + [guid]::NewGuid().ToString('n').Substring(0, 8)
    $script:Exe = Join-Path $h.Dir $ProcName
    Copy-Item (Get-Command sleep -CommandType Application | Select-Object -First 1).Source $Exe
    $script:Tracked = [System.Collections.Generic.List[System.Diagnostics.Process]]::new()

    function Start-Tracked([string[]] $Arguments = @('600')) {
        $log = Join-Path $h.Dir "$ProcName-$($Tracked.Count)-$([guid]::NewGuid().ToString('n').Substring(0, 4)).log"
        $p = $h.Lab.StartLoggedProcess($h.Lab.NodeNamespace(1), $log, [string[]](@($Exe) + $Arguments))
        $Tracked.Add($p)
        $p
    }

    function Stop-Tracked {
        foreach ($p in $Tracked) { if (-not $p.HasExited) { $p.Kill($true); $null = $p.WaitForExit(5000) } }
        $Tracked.Clear()
    }

    function New-ProcessConfig([int] $Priority, [string] $Process) {
        # The lab's keepalived.conf (VRRPv3, 100 ms) with a vrrp_track_process chk_proc block when $Process is given.
        $path = Join-Path $h.Dir "tp-$Priority-$([guid]::NewGuid().ToString('n').Substring(0, 6)).conf"
        $extra = if ($Process) { @('track_process {', '    chk_proc', '}') } else { @() }
        $track = if ($Process) { "vrrp_track_process chk_proc {`n$Process`n}`n" } else { '' }
        $track + (New-KeepalivedLabConfig -Priority $Priority -Version 3 -AdvertisementInterval 0.1 -Extra $extra) | Set-Content -Path $path
        $path
    }
}

AfterAll {
    if ($script:Tracked) { Stop-Tracked }
    if ($script:h) { Remove-VrrpLab $script:h }
}

Describe 'vrrp_track_process (keepalived semantics)' -Tag Lab {
    AfterEach {
        Stop-Tracked
        Stop-VrrpLabNode $h 1
        Stop-VrrpLabNode $h 2
    }

    It 'moves the VIP to the backup when the tracked process exits and back when it runs again' {
        $null = Start-Tracked
        $null = Start-VrrpLabNode $h 1 @{} -ConfigPath (New-ProcessConfig 150 "process $ProcName`nweight -60")
        $null = Start-VrrpLabNode $h 2 @{} -ConfigPath (New-ProcessConfig 100 '')
        Wait-VrrpLabState $h 1 Master -Timeout 10 | Out-Null
        Wait-VrrpLabState $h 2 Backup -Timeout 10 | Out-Null
        $t = @((Get-VrrpLabState $h 1).Tracker)
        $t | Should -HaveCount 1
        $t = $t[0]
        $t.Kind | Should -Be 'Process'
        $t.Status | Should -Be 'Ok'
        $t.LastResult | Should -Be '1 running (quorum 1+)'

        # Budget: one 0.5 s count + the backup's Master_Down_Interval (≈0.36 s at 100 ms) + 1 s of scheduling slack.
        $t0 = [DateTime]::UtcNow
        Stop-Tracked
        $s2 = Wait-VrrpLabState $h 2 Master -Timeout 10
        $s2.State | Should -Be 'Master'
        $elapsed = ([DateTime]::UtcNow - $t0).TotalMilliseconds
        Write-Host ("    [timing] track_process: process killed -> backup Master: {0:N0} ms (bound 1,860 ms)" -f $elapsed)
        $elapsed | Should -BeLessThan 1860
        $s1 = Get-VrrpLabState $h 1
        $s1.EffectivePriority | Should -Be 90
        $s1.Tracker[0].LastError | Should -Be 'quorum not met: 0 running (quorum 1+)'
        (Get-VrrpLabVip $h 1) | Should -BeFalse

        $null = Start-Tracked
        (Wait-VrrpLabState $h 1 Master -Timeout 10).State | Should -Be 'Master'
        (Get-VrrpLabState $h 1).EffectivePriority | Should -Be 150
    }

    It 'matches the command line with param_match partial, counts the quorum and faults with weight 0' {
        # Two processes whose first argument is 600 are needed (sleep adds its arguments up);
        # one whose first argument is 601 does not count.
        $null = Start-Tracked '600', '1'
        $null = Start-Tracked '601', '1'
        $conf = New-ProcessConfig 150 "process $Exe 600`nparam_match partial`nquorum 2"
        $null = Start-VrrpLabNode $h 1 @{} -ConfigPath $conf
        $s = Wait-VrrpLabState $h 1 Fault -Timeout 10
        $s.State | Should -Be 'Fault'
        $s.FaultReason | Should -Match 'track process chk_proc'
        $s.FaultReason | Should -Match '1 running \(quorum 2\+\)'
        (Get-VrrpLabVip $h 1) | Should -BeFalse

        $null = Start-Tracked '600', '2'
        # Leaving FAULT goes to Backup, then Master (no other router).
        (Wait-VrrpLabState $h 1 Master -Timeout 10).State | Should -Be 'Master'
        (Get-VrrpLabState $h 1).Tracker[0].LastResult | Should -Be '2 running (quorum 2+)'
    }

    It 'takes the same tracker from Start-VrrpInstance -TrackProcess hashtables' {
        $null = Start-Tracked
        $sock = Get-VrrpLabSocket $h 1
        $cmd = "`$ErrorActionPreference='Stop'; Import-Module '$($h.ModulePath)'; " +
            "Start-VrrpInstance -Name VI_1 -Interface eth0 -VirtualRouterId 51 -Priority 150 -VirtualIPAddress 198.51.100.100/24 -AdvertisementInterval 0.1 " +
            "-TrackProcess @{ Name = 'chk_sleep'; Process = '$ProcName'; Weight = -60; TerminateDelay = 0.3 } -Wait -ControlSocket '$sock'"
        $h.Processes['n1'] = $h.Lab.StartLoggedProcess($h.Lab.NodeNamespace(1), (Join-Path $h.Dir 'n1-param.log'), (Join-Path $PSHOME 'pwsh'), '-NoProfile', '-NonInteractive', '-Command', $cmd)
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while (-not (Test-Path $sock) -and -not $h.Processes['n1'].HasExited -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        (Wait-VrrpLabState $h 1 Master -Timeout 20).State | Should -Be 'Master' -Because (Get-VrrpLabLog $h)
        $t = (Get-VrrpLabState $h 1).Tracker[0]
        ($t.Name, $t.Kind, $t.Status, $t.LastResult) | Should -Be @('chk_sleep', 'Process', 'Ok', '1 running (quorum 1+)')
        Stop-Tracked
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        do { Start-Sleep -Milliseconds 100; $s = Get-VrrpLabState $h 1 } while ($s.EffectivePriority -ne 90 -and [DateTime]::UtcNow -lt $deadline)
        $s.EffectivePriority | Should -Be 90
        $s.Tracker[0].Contribution | Should -Be -60
    }

    It 'refuses a misspelt -TrackProcess key at parameter binding, before anything starts' {
        $e = { Start-VrrpInstance -Name VI_X -Interface lo -VirtualRouterId 51 -VirtualIPAddress 198.51.100.100/24 -TrackProcess @{ Name = 'p'; Proces = 'haproxy' } -WhatIf } |
            Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,VrrpPS.Cmdlets.StartVrrpInstanceCommand' -PassThru
        $e.Exception.Message | Should -Match 'Proces'
        Get-VrrpState | Should -BeNullOrEmpty
    }
}

# Lab tests (network namespaces, real processes) for health tracking: the seed's scenario — a
# health endpoint in the master's namespace, a curl track script with weight -60 on 150 vs 100 —
# plus weight 0 ⇒ FAULT and engine events in the starting session. Needs root; the lab is torn
# down in AfterAll even on failure.
BeforeAll {
    Import-Module $env:VRRPPS_MODULE_PATH -Force
    $repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $repo 'tools/VrrpLab.psm1') -Force
    $script:h = New-VrrpLab -Nodes 2 -ModulePath $env:VRRPPS_MODULE_PATH

    function New-TrackConfig([int] $Priority, [int] $Weight, [string] $Url) {
        $path = Join-Path $h.Dir "track-$Priority-$Weight.conf"
        @"
global_defs {
    enable_script_security
}
vrrp_script chk_api {
    script "/usr/bin/curl -fsS --max-time 0.5 -o /dev/null $Url"
    interval 1
    timeout 1
    fall 2
    rise 2
    weight $Weight
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority $Priority
    advert_int 0.1
    version 3
    virtual_ipaddress {
        198.51.100.100/24
    }
    track_script {
        chk_api
    }
}
"@ | Set-Content -Path $path
        $path
    }

    function Start-HealthEndpoint {
        # A tiny HTTP server bound to 127.0.0.1 inside node 1's namespace only.
        $h.Lab.StartLoggedProcess($h.Lab.NodeNamespace(1), (Join-Path $h.Dir 'http.log'),
            'python3', '-m', 'http.server', '18080', '--bind', '127.0.0.1', '--directory', $h.Dir)
    }

    function Wait-Endpoint([bool] $Up) {
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        do {
            & ip netns exec $h.Lab.NodeNamespace(1) curl -fsS --max-time 0.5 -o /dev/null http://127.0.0.1:18080/ 2>$null
            if (($LASTEXITCODE -eq 0) -eq $Up) { return }
            Start-Sleep -Milliseconds 100
        } while ([DateTime]::UtcNow -lt $deadline)
        throw "health endpoint did not become $(if ($Up) { 'reachable' } else { 'unreachable' })"
    }
}

AfterAll {
    if ($script:http -and -not $script:http.HasExited) { $script:http.Kill($true) }
    if ($script:h) { Remove-VrrpLab $script:h }
}

Describe 'Track script hand-over (seed scenario, keepalived vrrp_script semantics)' {
    It 'moves the VIP when the health endpoint stops and back when it returns' {
        $script:http = Start-HealthEndpoint
        Wait-Endpoint $true
        $null = Start-VrrpLabNode $h 1 @{} -ConfigPath (New-TrackConfig 150 -60 'http://127.0.0.1:18080/')
        # Node 2 has no endpoint of its own: give it a check that always succeeds (weight 0 would FAULT it).
        $null = Start-VrrpLabNode $h 2 @{} -ConfigPath (New-TrackConfig 100 -60 'file:///etc/hostname')
        Wait-VrrpLabState $h 1 Master -Timeout 10 | Out-Null
        Wait-VrrpLabState $h 2 Backup -Timeout 10 | Out-Null
        (Get-VrrpLabState $h 1).Tracker[0].Status | Should -Be 'Ok'

        # Budget (RFC 5798 §6.1, keepalived fall): up to one interval until the next check, fall × interval
        # failures, then the backup's Master_Down_Interval (3 × 0.1 + skew ≈ 0.36 s) — plus 1 s for the
        # curl timeout of the failing checks and scheduling on a shared 2-core machine.
        $t0 = [DateTime]::UtcNow
        $script:http.Kill($true)
        Wait-Endpoint $false
        $s2 = Wait-VrrpLabState $h 2 Master -Timeout 8
        $down = ($s2.LastTransition - $t0).TotalSeconds
        Write-Host "track-script hand-over: $([math]::Round($down, 2)) s"
        $down | Should -BeLessThan (1 + 2 * 1 + 0.36 + 1)
        $s1 = Get-VrrpLabState $h 1
        $s1.EffectivePriority | Should -Be 90
        $t = $s1 | Select-Object -ExpandProperty Tracker
        $t.Name | Should -Be 'chk_api'
        $t.Status | Should -Be 'Failed'
        $t.Contribution | Should -Be -60
        $t.LastError | Should -Match 'exit code'
        $s1.History[-1].Reason | Should -Match 'track script chk_api failed \(fall 2/2\)'

        $t1 = [DateTime]::UtcNow
        $script:http = Start-HealthEndpoint
        Wait-Endpoint $true
        $s1 = Wait-VrrpLabState $h 1 Master -Timeout 8
        $back = ($s1.LastTransition - $t1).TotalSeconds
        Write-Host "track-script recovery (preempt back): $([math]::Round($back, 2)) s"
        # rise × interval + one interval of phase + Master_Down_Interval (preemption) + slack.
        $back | Should -BeLessThan (1 + 2 * 1 + 0.36 + 1.5)
        (Get-VrrpLabState $h 1).EffectivePriority | Should -Be 150
        Stop-VrrpLabNode $h 1
        Stop-VrrpLabNode $h 2
    }

    It 'goes to FAULT with the tracker named as the reason when a weight 0 check fails' {
        $null = Start-VrrpLabNode $h 1 @{} -ConfigPath (New-TrackConfig 150 0 'http://127.0.0.1:18081/')
        $s = Wait-VrrpLabState $h 1 Fault -Timeout 8
        $s.FaultReason | Should -Match '^track script chk_api failed'
        Get-VrrpLabVip $h 1 | Should -BeFalse -Because 'keepalived FAULT releases the VIP'
        Stop-VrrpLabNode $h 1
    }

    It 'raises VrrpPS.StateChanged in the session that started the instance and runs -OnMaster in order' {
        $out = Join-Path $h.Dir 'events.txt'
        $cmd = @"
Import-Module '$($h.ModulePath)'
`$null = Register-EngineEvent -SourceIdentifier VrrpPS.StateChanged -Action {
    Add-Content -Path '$out' -Value "event `$(`$Event.SourceEventArgs.Name) `$(`$Event.SourceEventArgs.OldState)->`$(`$Event.SourceEventArgs.NewState) `$(`$Event.MessageData.Priority)"
}
Start-VrrpInstance -Name VI_E -Interface eth0 -VirtualRouterId 77 -Priority 200 -VirtualIPAddress 198.51.100.177/24 -AdvertisementInterval 0.1 -OnMaster { param(`$e) Add-Content -Path '$out' -Value "action `$(`$e.Name) `$(`$e.NewState)" }
# Event actions run between statements of this session: poll (bounded) until both arrived.
for (`$i = 0; `$i -lt 200 -and -not ((Test-Path '$out') -and ((Get-Content '$out') -match 'Backup->Master') -and ((Get-Content '$out') -match '^action')); `$i++) { Start-Sleep -Milliseconds 50 }
Start-Sleep -Milliseconds 500
Stop-VrrpInstance -Name VI_E
"@
        & ip netns exec $h.Lab.NodeNamespace(1) timeout 60 (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command $cmd
        $lines = Get-Content $out
        $lines | Should -Contain 'event VI_E Initialize->Backup 200'
        $lines | Should -Contain 'event VI_E Backup->Master 200'
        $lines | Should -Contain 'action VI_E Master'
    }
}

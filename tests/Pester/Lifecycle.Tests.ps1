# Engine lifecycle on a real wire (root, namespaces): the master releases on every way out
# (SIGTERM, control-socket stop, Remove-Module, pwsh exit), a VIP left by a crash is removed at
# start, SIGHUP reloads the keepalived file, and errors leave nothing half-started.
BeforeAll {
    Import-Module $env:VRRPPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot '../../tools/VrrpLab.psm1') -Force
    $script:Pwsh = Join-Path $PSHOME 'pwsh'
    $script:Vip = @{ Name = 'VI_1'; Interface = 'eth0'; VirtualRouterId = 51; VirtualIPAddress = '198.51.100.100/24'; AdvertisementInterval = 0.1 }

    function Invoke-InNode([int] $Node, [string] $Script) {
        # A short-lived pwsh inside node N's namespace; returns its output lines.
        $r = $script:H.Lab.Exec($script:H.Lab.NodeNamespace($Node), $script:Pwsh, '-NoProfile', '-NonInteractive', '-Command',
            "`$ErrorActionPreference='Stop'; Import-Module '$env:VRRPPS_MODULE_PATH'; $Script")
        [pscustomobject]@{ Exit = $r.ExitCode; Out = $r.StandardOutput; Err = $r.StandardError }
    }
}

Describe 'Engine lifecycle in a namespace lab' -Tag 'Lab' {
    BeforeAll { $script:H = New-VrrpLab -Nodes 2 -ModulePath $env:VRRPPS_MODULE_PATH }
    AfterAll { if ($script:H) { Remove-VrrpLab $script:H } }

    It 'releases the VIP and sends priority 0 on SIGTERM, so the backup takes over within Skew_Time' {
        $p1 = Start-VrrpLabNode $H 1 ($Vip + @{ Priority = 150 })
        $null = Start-VrrpLabNode $H 2 ($Vip + @{ Priority = 100 })
        $null = Wait-VrrpLabState $H 1 Master -Timeout 5
        $null = Wait-VrrpLabState $H 2 Backup -Timeout 5
        $t0 = [DateTime]::UtcNow
        & kill -TERM $p1.Id
        $s = Wait-VrrpLabState $H 2 Master -Timeout 3
        # Skew_Time (v3, priority 100, 100 ms) = 156*100/256 ms = 60.9 ms, plus the signal's way through pwsh and
        # scheduling on a loaded 2-core host. Without the priority-0 advert the backup would wait Master_Down_Interval
        # (360.9 ms) from the last advert, i.e. at least 260.9 ms after the kill: the bound stays below that.
        ($s.LastTransition - $t0).TotalMilliseconds | Should -BeLessThan 250
        $s.LastTransitionReason | Should -Match 'released \(priority 0\)'
        $s.Counters.PriorityZeroReceived | Should -BeGreaterOrEqual 1
        $p1.WaitForExit(5000) | Should -BeTrue
        Get-VrrpLabVip $H 1 | Should -BeFalse
        Stop-VrrpLabNode $H 2
        Get-VrrpLabVip $H 2 | Should -BeFalse
    }

    It 'removes a VIP left on the interface by a crashed run before starting as backup' {
        $ns = $H.Lab.NodeNamespace(1)
        $H.Lab.Exec($ns, 'ip', 'addr', 'add', '198.51.100.100/24', 'dev', 'eth0').ExitCode | Should -Be 0
        Get-VrrpLabVip $H 1 | Should -BeTrue
        $null = Start-VrrpLabNode $H 2 ($Vip + @{ Priority = 200 })
        $null = Wait-VrrpLabState $H 2 Master -Timeout 5
        $null = Start-VrrpLabNode $H 1 ($Vip + @{ Priority = 100 })
        (Wait-VrrpLabState $H 1 Backup -Timeout 5).State | Should -Be 'Backup'
        Get-VrrpLabVip $H 1 | Should -BeFalse
        Get-Content (Join-Path $H.Dir 'n1.log') -Raw | Should -Match 'left on eth0 by an earlier run'
        Stop-VrrpLabNode $H 1; Stop-VrrpLabNode $H 2
    }

    It 'releases the VIP on Remove-Module and on pwsh exit (interactive use, no -Wait)' {
        $r = Invoke-InNode 1 @"
Start-VrrpInstance -Name VI_1 -Interface eth0 -VirtualRouterId 51 -Priority 150 -VirtualIPAddress 198.51.100.100/24 -AdvertisementInterval 0.1
`$null = Wait-VrrpState VI_1 Master -Timeout 5
'held=' + [bool]((ip -j addr show dev eth0 | ConvertFrom-Json).addr_info.local -contains '198.51.100.100')
Remove-Module VrrpPS
'after=' + [bool]((ip -j addr show dev eth0 | ConvertFrom-Json).addr_info.local -contains '198.51.100.100')
"@
        $r.Exit | Should -Be 0 -Because $r.Err
        $r.Out | Should -Match 'held=True'
        $r.Out | Should -Match 'after=False'
        $r = Invoke-InNode 1 @"
Start-VrrpInstance -Name VI_1 -Interface eth0 -VirtualRouterId 51 -Priority 150 -VirtualIPAddress 198.51.100.100/24 -AdvertisementInterval 0.1
`$null = Wait-VrrpState VI_1 Master -Timeout 5
'held=' + [bool]((ip -j addr show dev eth0 | ConvertFrom-Json).addr_info.local -contains '198.51.100.100')
"@
        $r.Out | Should -Match 'held=True'
        Get-VrrpLabVip $H 1 | Should -BeFalse -Because 'the ProcessExit handler releases the master when pwsh exits'
    }

    It 'runs -OnMaster and -OnStop in order when the session ends by <Way>' -TestCases @(
        @{ Way = 'exit'; End = 'exit 0' }
        @{ Way = 'stop'; End = 'Stop-VrrpInstance -Name VI_1' }
        @{ Way = 'remove'; End = 'Remove-Module VrrpPS' }
    ) {
        param($Way, $End)
        # The OnMaster action is still running (sleeping) when the session ends: it must finish, then OnStop runs.
        $log = Join-Path $H.Dir "actions-$Way.log"
        $r = Invoke-InNode 1 @"
Start-VrrpInstance -Name VI_1 -Interface eth0 -VirtualRouterId 51 -Priority 150 -VirtualIPAddress 198.51.100.100/24 -AdvertisementInterval 0.1 ``
  -OnMaster { param(`$e) Start-Sleep -Milliseconds 700; Add-Content -LiteralPath '$log' "master `$(`$e.NewState)" } ``
  -OnStop { param(`$e) Add-Content -LiteralPath '$log' "stop `$(`$e.NewState)" }
`$null = Wait-VrrpState VI_1 Master -Timeout 5
$End
"@
        $r.Exit | Should -Be 0 -Because $r.Err
        Get-Content $log | Should -Be @('master Master', 'stop Initialize')
        Get-VrrpLabVip $H 1 | Should -BeFalse
    }

    It 'refuses a bad instance with a stable ErrorId and starts none of the batch' {
        $r = Invoke-InNode 1 @"
try { Start-VrrpInstance -Name VI_1 -Interface nosuch0 -VirtualRouterId 51 -VirtualIPAddress 198.51.100.100/24 } catch { 'id=' + `$_.FullyQualifiedErrorId }
try { Start-VrrpInstance -Name VI_1 -Interface eth0 -VirtualRouterId 51 -Priority 255 -VirtualIPAddress 198.51.100.100/24 } catch { 'id=' + `$_.FullyQualifiedErrorId }
try { Start-VrrpInstance -Name VI_1 -Interface eth0 -VirtualRouterId 51 -Version 2 -AdvertisementInterval 0.5 -VirtualIPAddress 198.51.100.100/24 } catch { 'id=' + `$_.FullyQualifiedErrorId }
try { Start-VrrpInstance -Name VI_1 -Interface eth0 -VirtualRouterId 51 -VirtualIPAddress 2001:db8::100/64 -Version 2 } catch { 'id=' + `$_.FullyQualifiedErrorId }
'count=' + @(Get-VrrpState).Count
"@
        $r.Out | Should -Match 'id=VrrpInterfaceNotFound,VrrpPS.Cmdlets.StartVrrpInstanceCommand'
        $r.Out | Should -Match 'id=VrrpOwnerPriorityWithoutAddress,VrrpPS.Cmdlets.StartVrrpInstanceCommand'
        $r.Out | Should -Match 'id=VrrpAdvertisementIntervalOutOfRange,VrrpPS.Cmdlets.StartVrrpInstanceCommand'
        $r.Out | Should -Match 'id=VrrpAddressFamilyMismatch,VrrpPS.Cmdlets.StartVrrpInstanceCommand'
        $r.Out | Should -Match 'count=0'
        Get-VrrpLabVip $H 1 | Should -BeFalse
    }

    It 'reloads the keepalived file on SIGHUP: priority in place, broken file kept out' {
        $conf = Join-Path $H.Dir 'reload.conf'
        Set-Content $conf (New-KeepalivedLabConfig -Priority 100 -AdvertisementInterval 0.1)
        $p = Start-VrrpLabNode $H 1 @{} -ConfigPath $conf
        $null = Wait-VrrpLabState $H 1 Master -Timeout 5
        Set-Content $conf (New-KeepalivedLabConfig -Priority 120 -AdvertisementInterval 0.1)
        & kill -HUP $p.Id
        $deadline = [DateTime]::UtcNow.AddSeconds(5)
        do { Start-Sleep -Milliseconds 100; $s = Get-VrrpLabState $H 1 } until ($s.Priority -eq 120 -or [DateTime]::UtcNow -gt $deadline)
        $s.Priority | Should -Be 120
        $s.State | Should -Be 'Master' -Because 'a priority-only change does not restart the instance'
        $s.History.Count | Should -Be 2
        Set-Content $conf 'vrrp_instance X { garbage'
        & kill -HUP $p.Id
        Start-Sleep -Milliseconds 800
        (Get-VrrpLabState $H 1).State | Should -Be 'Master'
        Get-Content (Join-Path $H.Dir 'n1.log') -Raw | Should -Match 'reload failed: .*reload.conf:1:1: .*; running configuration kept \(VrrpReloadFailed\)'
        Stop-VrrpLabNode $H 1
        $p.HasExited | Should -BeTrue
        Get-VrrpLabVip $H 1 | Should -BeFalse
    }
}

# FRR vrrpd (Debian package frr) next to VrrpPS on one LAN: FRR's zebra + vrrpd run in node 1's namespace as user
# frr with their own pathspace (FrrSupport.ps1), with the macvlan FRR requires; VrrpPS runs on node 2 with
# -UseVirtualMac. Both directions: FRR Master -> VrrpPS Backup hears it and stays Backup; FRR lowers its priority or
# stops -> VrrpPS takes over within the RFC's Master_Down_Interval; VrrpPS Master -> FRR stays Backup (its macvlan in
# protodown); FRR raises its priority -> FRR preempts and VrrpPS goes Backup. A client resolves the VIP to the virtual
# MAC whoever is Master. Timings are one-second adverts (VRRPv2 allows only whole seconds).
Describe 'FRR vrrpd interop (VRRPv<Version> <Vip>)' -Tag Lab -ForEach @(
    @{ Version = 3; Vip = '198.51.100.100'; Prefix = 24; Family = 'v4'; Vmac = '00:00:5e:00:01:33' }
    @{ Version = 2; Vip = '198.51.100.100'; Prefix = 24; Family = 'v4'; Vmac = '00:00:5e:00:01:33' }
    @{ Version = 3; Vip = '2001:db8::100'; Prefix = 64; Family = 'v6'; Vmac = '00:00:5e:00:02:33' }) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'LabSupport.ps1')
        . (Join-Path $PSScriptRoot 'FrrSupport.ps1')
        if (-not (Test-FrrAvailable)) { throw 'FRR is not installed (zebra, vrrpd, vtysh, user frr): run build.ps1 Test as root once (Install-LabPrerequisites installs frr).' }
        $h = New-TestLab -Nodes 2 -Client -IPv6:($Family -eq 'v6')
        try {
            $frr = Start-FrrLabNode $h 1 -Vrid 51 -Priority 200 -VirtualIPAddress "$Vip/$Prefix" -Version $Version -IntervalMs 1000
            $null = Wait-FrrVrrpStatus $frr Master -Family $Family -Timeout 15
            $null = Start-VrrpLabNode $h 2 @{ Name = 'VI_1'; Interface = 'eth0'; VirtualRouterId = 51; Priority = 100; VirtualIPAddress = "$Vip/$Prefix"
                                              AdvertisementInterval = 1; Version = $Version; UseVirtualMac = $true }
        }
        catch { $log = Get-VrrpLabLog $h; Remove-VrrpLab $h; throw "$_`n$log" }
        $FrrAddress = if ($Family -eq 'v6') { $null } else { '198.51.100.11' }   # IPv6 adverts come from the macvlan's random link-local
        function Why { "`nnode logs (n1 = FRR, n2 = VrrpPS):`n$(Get-VrrpLabLog $h)" }
        function Protodown { [bool]($h.Lab.Exec($h.Lab.NodeNamespace(1), 'ip', '-d', 'link', 'show', (Get-FrrMacvlanName ($Family -eq 'v6' ? 6 : 4) 51)).StandardOutput -match 'protodown on') }
        function ClientSeesVmac {
            $null = $h.Lab.Exec($h.Lab.ClientNamespace, 'ip', 'neigh', 'flush', 'all')
            $ping = @(Invoke-VrrpLabClientPing $h -Address $Vip -Count 2)
            [pscustomobject]@{ Reached = $ping -contains 'Success'; Mac = Get-VrrpLabNeighbour $h -Address $Vip }
        }
        $VrrpPSTiming = Get-VrrpLabTiming -Priority 100 -AdvertisementInterval 1 -Version $Version
        $FrrTiming = Get-VrrpLabTiming -Priority 200 -AdvertisementInterval 1 -Version $Version
        # FRR 8.4 vrrpd (vrrp_set_priority) changes the priority only: Skew_Time and Master_Down_Interval are
        # recomputed when an advert is accepted, so a Backup raised from 50 to 200 still runs the timer it set at 50.
        $FrrRaisedTiming = Get-VrrpLabTiming -Priority 50 -AdvertisementInterval 1 -Version $Version
    }

    AfterAll {
        if ($h) { Remove-VrrpLab $h }
    }

    It 'FRR is Master; VrrpPS hears its adverts and stays Backup for longer than Master_Down_Interval' {
        $before = (Get-VrrpLabState $h 2).Counters.AdvertisementsReceived
        $seen = Get-LabStateSamples $h 2 ($VrrpPSTiming.MasterDownMs / 1000 + 1)
        $seen | Select-Object -Unique | Should -Be @('Backup') -Because (Why)
        $s = Get-VrrpLabState $h 2
        $s.Counters.AdvertisementsReceived - $before | Should -BeGreaterOrEqual 3 -Because (Why)
        if ($FrrAddress) { [string]$s.MasterAddress | Should -Be $FrrAddress }
        (Get-FrrVrrpStatus $frr $Family).status | Should -Be 'Master'
        Protodown | Should -BeFalse
    }

    It 'a client resolves the VIP to the virtual MAC and reaches FRR behind it' {
        $c = ClientSeesVmac
        $c.Reached | Should -BeTrue -Because (Why)
        $c.Mac | Should -Be $Vmac -Because (Why)
    }

    It 'FRR lowers its priority below VrrpPS: VrrpPS takes over after Master_Down_Interval, FRR goes Backup' {
        $t0 = [DateTime]::UtcNow
        Set-FrrVrrpPriority $frr 50
        $s = Wait-VrrpLabState $h 2 Master -Timeout 10
        $ms = ($s.LastTransition - $t0).TotalMilliseconds
        Write-LabTiming "FRR priority 200 -> 50, VrrpPS Master (v$Version $Family)" $ms (Get-FailoverBound $VrrpPSTiming)
        $ms | Should -BeLessOrEqual (Get-FailoverBound $VrrpPSTiming) -Because (Why)
        $ms | Should -BeGreaterOrEqual (Get-FailoverFloor $VrrpPSTiming) -Because 'a lower-priority advert must not reset the Backup''s timer, nor may it take over early'
        $null = Wait-FrrVrrpStatus $frr Backup -Family $Family -Timeout 5
        Protodown | Should -BeTrue
    }

    It 'VrrpPS is Master; FRR hears its adverts and stays Backup (macvlan in protodown), the client follows the virtual MAC' {
        $rx = (Get-FrrVrrpStatus $frr $Family).stats.adverRx
        $deadline = [DateTime]::UtcNow.AddMilliseconds($FrrTiming.MasterDownMs + 1000)
        while ([DateTime]::UtcNow -lt $deadline) {
            (Get-FrrVrrpStatus $frr $Family).status | Should -Be 'Backup' -Because (Why)
            Start-Sleep -Milliseconds 200
        }
        (Get-FrrVrrpStatus $frr $Family).stats.adverRx - $rx | Should -BeGreaterOrEqual 3 -Because (Why)
        (Get-VrrpLabState $h 2).State | Should -Be 'Master'
        $c = ClientSeesVmac
        $c.Reached | Should -BeTrue -Because (Why)
        $c.Mac | Should -Be $Vmac
    }

    It 'FRR raises its priority again: it preempts after its Master_Down_Interval and VrrpPS goes Backup on its first advert' {
        # Two clocks: FRR's own takeover (its timers), then VrrpPS's reaction to FRR's first priority-200 advert, which
        # RFC 5798 §6.4.3 wants at once. FRR's IPv6 side may send that advert a moment after it reports Master (it logs
        # "Failed to find address to bind" and retries): that is FRR's time, so it is not counted against VrrpPS.
        $cap = Start-VrrpLabCapture $h -Name "frr-preempt-v$Version-$Family"
        $t0 = [DateTime]::UtcNow
        Set-FrrVrrpPriority $frr 200
        $null = Wait-FrrVrrpStatus $frr Master -Family $Family -Timeout 10
        $frrMs = ([DateTime]::UtcNow - $t0).TotalMilliseconds
        Write-LabTiming "FRR priority 50 -> 200, FRR Master (v$Version $Family)" $frrMs (Get-FailoverBound $FrrRaisedTiming)
        $frrMs | Should -BeLessOrEqual (Get-FailoverBound $FrrRaisedTiming) -Because (Why)
        $frrMs | Should -BeGreaterOrEqual (Get-FailoverFloor $FrrTiming) -Because (Why)
        $s = Wait-VrrpLabState $h 2 Backup -Timeout 5
        Stop-VrrpLabCapture $cap
        $first = @(Read-VrrpLabCapture $cap.Path | Where-Object { $_.VirtualRouterId -eq 51 -and $_.Priority -eq 200 })[0]
        $first | Should -Not -BeNullOrEmpty -Because (Why)
        $reactMs = ($s.LastTransition - $first.Time).TotalMilliseconds
        Write-LabTiming "FRR's first priority-200 advert -> VrrpPS Backup (v$Version $Family)" $reactMs $script:SchedulingSlackMs
        $reactMs | Should -BeLessOrEqual $script:SchedulingSlackMs -Because (Why)
        $s.LastTransitionReason | Should -Match 'higher priority advert \(200\)'
    }

    It 'FRR vrrpd stops (SIGTERM): it sends priority 0 and VrrpPS takes over after Skew_Time' {
        $null = Get-LabStateSamples $h 2 1.5   # a few FRR adverts at priority 200 after the preemption
        & kill -TERM $h.Processes['frr-vrrpd-n1'].Id
        $t0 = [DateTime]::UtcNow   # after kill(1) returned: its own start-up is not FRR's or VrrpPS's time
        $s = Wait-VrrpLabState $h 2 Master -Timeout 10
        $ms = ($s.LastTransition - $t0).TotalMilliseconds
        # RFC 5798 §6.4.2: on priority 0 the Backup sets Master_Down_Timer to Skew_Time (not Master_Down_Interval).
        $bound = $VrrpPSTiming.SkewMs + $script:SchedulingSlackMs
        Write-LabTiming "FRR vrrpd SIGTERM, VrrpPS Master (v$Version $Family)" $ms $bound
        $s.LastTransitionReason | Should -Match 'released \(priority 0\)' -Because (Why)
        $ms | Should -BeLessOrEqual $bound -Because (Why)
        $h.Processes['frr-vrrpd-n1'].WaitForExit(5000) | Should -BeTrue
        $c = ClientSeesVmac
        $c.Reached | Should -BeTrue -Because (Why)
        $c.Mac | Should -Be $Vmac
    }
}

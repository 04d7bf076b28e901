# Interop with real keepalived (the Debian package, 2.2.7 here): node 1 runs keepalived, node 2 a
# VrrpPS `Start-VrrpInstance -Wait` process, on one lab bridge. Each side must elect, fail over to
# and be preempted by the other, for VRRPv3 over IPv4 multicast (RFC 5798 pseudo-header checksum),
# VRRPv3 unicast (keepalived unicast_peer) and VRRPv2 with PASS authentication (RFC 3768 §5.3.6.1).
# Labs are removed in AfterAll.

Describe 'Interop with keepalived: <Label>' -ForEach @(
    @{ Label = 'VRRPv3 multicast, 100 ms adverts'; Version = 3; Interval = 0.1; Unicast = $false; Password = '' }
    @{ Label = 'VRRPv3 unicast peers, 100 ms adverts'; Version = 3; Interval = 0.1; Unicast = $true; Password = '' }
    @{ Label = 'VRRPv2, 1 s adverts, PASS authentication'; Version = 2; Interval = 1; Unicast = $false; Password = 'vrrpps1' }
) {
    BeforeAll {
        $h = $null
        . (Join-Path $PSScriptRoot 'LabSupport.ps1')
        $a1 = '198.51.100.11'; $a2 = '198.51.100.12'
        $kaArgs = @{ Version = $Version; AdvertisementInterval = $Interval }
        $psExtra = @{}
        if ($Unicast) {
            $kaArgs += @{ UnicastPeer = @($a2); UnicastSourceAddress = $a1 }
            $psExtra += @{ UnicastPeer = @($a1); UnicastSourceAddress = $a2 }
        }
        if ($Password) { $kaArgs.AuthenticationPassword = $Password; $psExtra.AuthenticationPassword = $Password }
        $h = New-TestLab -Nodes 2
        try {
            $null = Start-KeepalivedLabNode $h 1 (New-KeepalivedLabConfig -Priority 150 @kaArgs)
            $null = Start-VrrpLabNode $h 2 (New-TestInstance -Priority 100 -Version $Version -Interval $Interval -Extra $psExtra)
        }
        catch { Remove-VrrpLab $h; throw }
        $T100 = Get-VrrpLabTiming -Priority 100 -AdvertisementInterval $Interval -Version $Version
        $settle = 3 * $T100.MasterDownMs / 1000 + 5
        function Why { "`nnode logs (n1 = keepalived, n2 = VrrpPS):`n$(Get-VrrpLabLog $h)" }
    }

    AfterAll {
        if (-not $h) { return }   # the lab itself could not be built
        Remove-VrrpLab $h
        @(& ip netns list) -match "^$($h.Lab.Tag)-" | Should -BeNullOrEmpty -Because 'the lab leaves no namespace behind'
    }

    It 'keepalived 150 is Master; VrrpPS 100 is Backup and accepts every keepalived advert' {
        $null = Wait-VrrpLabVip $h 1 -Timeout $settle
        $s = Wait-VrrpLabState $h 2 Backup -Timeout $settle
        Start-Sleep -Seconds (2 * $Interval)
        $s = Get-VrrpLabState $h 2
        $s.MasterAddress | Should -Be $a1 -Because "VrrpPS follows keepalived$(Why)"
        $s.MasterPriority | Should -Be 150
        $s.Counters.AdvertisementsReceived | Should -BeGreaterThan 0
        $c = $s.Counters
        $c.ChecksumErrors + $c.AuthErrors + $c.VersionErrors + $c.IntervalErrors + $c.AddressListErrors + $c.OtherErrors | Should -Be 0 -Because "keepalived's adverts are valid for VrrpPS$(Why)"
        (Get-VrrpLabMasterNode $h) -join ',' | Should -Be '1'
    }

    It "VrrpPS takes over within Master_Down_Interval + tolerance when keepalived's cable is cut" {
        $bound = Get-FailoverBound $T100
        $m = Measure-LabFailover $h -Master 1 -Backup 2 -TimeoutSeconds $settle
        Write-LabTiming "interop $Label, keepalived -> VrrpPS failover" $m.Milliseconds $bound
        $m.Milliseconds | Should -BeLessOrEqual $bound -Because "MDI $($T100.MasterDownMs) ms + 1 interval + $SchedulingSlackMs ms slack$(Why)"
        $m.Milliseconds | Should -BeGreaterOrEqual (Get-FailoverFloor $T100)
        $null = Wait-VrrpLabVip $h 2 -Timeout 2
    }

    It 'keepalived preempts VrrpPS when its cable returns, and VrrpPS releases the VIP' {
        $h.Lab.SetLinkUp(1, $true)
        $s = Wait-VrrpLabState $h 2 Backup -Timeout $settle
        $s.LastTransitionReason | Should -Be "higher priority advert (150) from $a1" -Because (Why)
        $null = Wait-VrrpLabVip $h 2 -Absent -Timeout 2
        $null = Wait-VrrpLabVip $h 1 -Timeout $settle
    }

    It "VrrpPS takes over at once when keepalived stops (keepalived's priority-0 advert, RFC 5798 §6.4.2)" {
        $t0 = [DateTime]::UtcNow
        Stop-KeepalivedLabNode $h 1
        $s = Wait-VrrpLabState $h 2 Master -Timeout $settle
        $s.LastTransitionReason | Should -Be "master $a1 released (priority 0)" -Because (Why)
        $s.Counters.PriorityZeroReceived | Should -BeGreaterThan 0
        Write-LabTiming "interop $Label, keepalived stop -> VrrpPS Master" ($s.LastTransition - $t0).TotalMilliseconds
    }

    It 'reverse: VrrpPS 150 stays Master when keepalived 100 joins; keepalived stays Backup' {
        Set-VrrpInstance -Name VI_1 -Priority 150 -ControlSocket (Get-VrrpLabSocket $h 2)
        $null = Start-KeepalivedLabNode $h 1 (New-KeepalivedLabConfig -Priority 100 @kaArgs)
        # keepalived starts in BACKUP; had it missed VrrpPS's adverts it would take the VIP after
        # one Master_Down_Interval. Watch for three.
        $deadline = [DateTime]::UtcNow.AddMilliseconds(3 * $T100.MasterDownMs + 300)
        $vipOnKeepalived = 0
        while ([DateTime]::UtcNow -lt $deadline) {
            if (Get-VrrpLabVip $h 1) { $vipOnKeepalived++ }
            Start-Sleep -Milliseconds 50
        }
        $vipOnKeepalived | Should -Be 0 -Because "keepalived accepts VrrpPS as master$(Why)"
        $log = Get-Content (Join-Path $h.Dir 'n1.log') -Raw
        $log | Should -Match '\(VI_1\) Entering BACKUP STATE' -Because (Why)
        $log | Should -Not -Match 'Entering MASTER STATE'
        (Get-VrrpLabState $h 2).State | Should -Be 'Master'
        (Get-VrrpLabMasterNode $h) -join ',' | Should -Be '2'
    }

    It "reverse: keepalived takes over when VrrpPS's cable is cut, and VrrpPS preempts it on return" {
        $bound = Get-FailoverBound $T100
        $ms = Measure-LabVipMove $h -Master 2 -Backup 1 -TimeoutSeconds $settle
        Write-LabTiming "interop $Label, VrrpPS -> keepalived failover (VIP seen)" $ms $bound
        $ms | Should -BeLessOrEqual $bound -Because "keepalived's MDI $($T100.MasterDownMs) ms + 1 interval + slack$(Why)"
        $h.Lab.SetLinkUp(2, $true)
        $s = Wait-VrrpLabState $h 2 Master -Timeout $settle
        $s.LastTransitionReason | Should -Be "preempting lower priority (100) master $a1" -Because (Why)
        $null = Wait-VrrpLabVip $h 1 -Absent -Timeout $settle
        (Get-VrrpLabMasterNode $h) -join ',' | Should -Be '2'
    }
}

Describe 'Interop with keepalived: the VRRPv3 IPv4 checksum mode must match' {
    # keepalived 2.2.7 has no v3_checksum_as_v2 option (only old_unicast_checksum), so it always
    # uses the RFC 5798 pseudo-header checksum. With VrrpPS set to the RFC 9568 §5.2.8 variant
    # (-V3ChecksumAsV2) each side must reject the other's adverts: that proves the switch changes
    # what is sent and checked. The interop of the RFC 9568 mode itself is proven by the Wireshark
    # capture vectors in tests/Unit/Protocol instead.
    BeforeAll {
        $h = $null
        . (Join-Path $PSScriptRoot 'LabSupport.ps1')
        $h = New-TestLab -Nodes 2
        try {
            $null = Start-KeepalivedLabNode $h 1 (New-KeepalivedLabConfig -Priority 150 -Version 3 -AdvertisementInterval 0.1)
            $null = Start-VrrpLabNode $h 2 (New-TestInstance -Priority 100 -Extra @{ V3ChecksumAsV2 = $true })
        }
        catch { Remove-VrrpLab $h; throw }
        function Why { "`nnode logs (n1 = keepalived, n2 = VrrpPS):`n$(Get-VrrpLabLog $h)" }
    }

    AfterAll {
        if (-not $h) { return }   # the lab itself could not be built
        Remove-VrrpLab $h
        @(& ip netns list) -match "^$($h.Lab.Tag)-" | Should -BeNullOrEmpty -Because 'the lab leaves no namespace behind'
    }

    It 'VrrpPS with -V3ChecksumAsV2 counts checksum errors on keepalived adverts, accepts none, and both end up Master' {
        $null = Wait-VrrpLabVip $h 1 -Timeout 5
        $s = Wait-VrrpLabState $h 2 Master -Timeout 5
        Start-Sleep -Milliseconds 500
        $s = Get-VrrpLabState $h 2
        $s.Counters.ChecksumErrors | Should -BeGreaterThan 0 -Because "keepalived's pseudo-header checksum fails the v2-style check$(Why)"
        $s.Counters.AdvertisementsReceived | Should -Be 0
        $s.State | Should -Be 'Master' -Because 'it never heard a valid advert from the 150 node'
        (Get-VrrpLabMasterNode $h) -join ',' | Should -Be '1,2' -Because "keepalived rejects VrrpPS's adverts in turn and keeps its VIP$(Why)"
    }
}

Describe 'Interop with keepalived: unicast VRRPv3 with old_unicast_checksum on both sides' {
    # keepalived's old_unicast_checksum keeps the VRRPv3 IPv4 pseudo-header but puts the multicast group 224.0.0.18 in it as
    # destination (keepalived vrrp.c). VrrpPS imports the same keepalived.conf keyword: each side must accept the other's
    # adverts — no checksum errors, one Master — whichever of them has the higher priority (issue 12).
    BeforeAll {
        $h = $null
        . (Join-Path $PSScriptRoot 'LabSupport.ps1')
        $a1 = '198.51.100.11'; $a2 = '198.51.100.12'
        $h = New-TestLab -Nodes 2
        try {
            $null = Start-KeepalivedLabNode $h 1 (New-KeepalivedLabConfig -Priority 150 -Version 3 -AdvertisementInterval 0.1 `
                    -UnicastPeer $a2 -UnicastSourceAddress $a1 -Extra 'old_unicast_checksum')
            $conf = Join-Path $h.Dir 'n2-vrrpps.conf'
            Set-Content -Path $conf -Value (New-KeepalivedLabConfig -Priority 100 -Version 3 -AdvertisementInterval 0.1 `
                    -UnicastPeer $a1 -UnicastSourceAddress $a2 -Extra 'old_unicast_checksum')
            $null = Start-VrrpLabNode $h 2 @{} -ConfigPath $conf
        }
        catch { Remove-VrrpLab $h; throw }
        $T100 = Get-VrrpLabTiming -Priority 100 -AdvertisementInterval 0.1 -Version 3
        $settle = 3 * $T100.MasterDownMs / 1000 + 5
        function Why { "`nnode logs (n1 = keepalived, n2 = VrrpPS):`n$(Get-VrrpLabLog $h)" }
    }

    AfterAll {
        if (-not $h) { return }
        Remove-VrrpLab $h
        @(& ip netns list) -match "^$($h.Lab.Tag)-" | Should -BeNullOrEmpty -Because 'the lab leaves no namespace behind'
    }

    It 'VrrpPS 100 follows keepalived 150 with no checksum error; keepalived alone holds the VIP' {
        $null = Wait-VrrpLabVip $h 1 -Timeout $settle
        $s = Wait-VrrpLabState $h 2 Backup -Timeout $settle
        Start-Sleep -Milliseconds 500
        $s = Get-VrrpLabState $h 2
        $s.MasterAddress | Should -Be $a1 -Because "VrrpPS accepts keepalived's old-form checksum$(Why)"
        $s.Counters.ChecksumErrors | Should -Be 0 -Because (Why)
        $s.Counters.AdvertisementsReceived | Should -BeGreaterThan 0
        (Get-VrrpLabMasterNode $h) -join ',' | Should -Be '1' -Because "no split brain$(Why)"
    }

    It 'keepalived accepts the adverts of VrrpPS at priority 200: it yields, VrrpPS alone is Master' {
        Set-VrrpInstance -Name VI_1 -Priority 200 -ControlSocket (Get-VrrpLabSocket $h 2)
        $null = Wait-VrrpLabState $h 2 Master -Timeout $settle
        $null = Wait-VrrpLabVip $h 1 -Absent -Timeout $settle
        Start-Sleep -Milliseconds 500
        (Get-VrrpLabMasterNode $h) -join ',' | Should -Be '2' -Because "keepalived checks VrrpPS's adverts with its old_unicast_checksum form$(Why)"
        Get-Content (Join-Path $h.Dir 'n1.log') -Raw | Should -Match '\(VI_1\) .*BACKUP' -Because (Why)
    }
}

# VrrpPS lab topologies beyond plain IPv4 multicast: unicast peers (keepalived's unicast_peer /
# unicast_src_ip, VRRPv3 over unicast) and VRRPv3 for IPv6 (RFC 5798 §5.1.2). Nodes are separate
# `Start-VrrpInstance -Wait` pwsh processes in their own namespaces; labs removed in AfterAll.

Describe 'VrrpPS lab: VRRPv3 with unicast peers, 100 ms adverts' {
    BeforeAll {
        $h = $null
        . (Join-Path $PSScriptRoot 'LabSupport.ps1')
        $h = New-TestLab -Nodes 3
        $a = @{ 1 = '198.51.100.11'; 2 = '198.51.100.12'; 3 = '198.51.100.13' }
        # Nodes 1 and 2 peer with each other only. Node 3 (priority 200, higher than both) sends
        # to both but is in neither peer list: they must ignore it.
        $instances = @{
            1 = New-TestInstance -Priority 150 -Extra @{ UnicastPeer = @($a[2]); UnicastSourceAddress = $a[1] }
            2 = New-TestInstance -Priority 100 -Extra @{ UnicastPeer = @($a[1]); UnicastSourceAddress = $a[2] }
            3 = New-TestInstance -Priority 200 -Extra @{ UnicastPeer = @($a[1], $a[2]); UnicastSourceAddress = $a[3] }
        }
        $cap = $null
        try {
            $cap = Start-VrrpLabCapture $h -Name 'bridge'
            Start-VrrpLabNodeSet $h $instances
        }
        catch { Remove-VrrpLab $h; throw }
        $T100 = Get-VrrpLabTiming -Priority 100 -AdvertisementInterval 0.1
        $T150 = Get-VrrpLabTiming -Priority 150 -AdvertisementInterval 0.1
        function Why { "`nnode logs:`n$(Get-VrrpLabLog $h)" }
    }

    AfterAll {
        if (-not $h) { return }   # the lab itself could not be built
        Remove-VrrpLab $h
        @(& ip netns list) -match "^$($h.Lab.Tag)-" | Should -BeNullOrEmpty -Because 'the lab leaves no namespace behind'
    }

    It 'elects the 150 node among its peers and ignores the priority 200 node that is not a peer (keepalived unicast_peer)' {
        $null = Wait-VrrpLabState $h 1 Master -Timeout 5
        $s2 = Wait-VrrpLabState $h 2 Backup -Timeout 5
        $s2.MasterAddress | Should -Be $a[1] -Because "node 2 follows its peer$(Why)"
        # Several Master_Down_Intervals in which node 3 keeps advertising priority 200 to both.
        $states = Get-LabStateSamples $h 1 -DurationSeconds (3 * $T150.MasterDownMs / 1000)
        ($states | Select-Object -Unique) -join ',' | Should -Be 'Master' -Because "a non-peer's higher priority must not preempt$(Why)"
        foreach ($n in 1, 2) {
            (Get-VrrpLabState $h $n).Counters.OtherErrors | Should -BeGreaterThan 0 -Because "node $n drops node 3's adverts as not from a peer$(Why)"
        }
        (Get-VrrpLabState $h 2).MasterAddress | Should -Be $a[1]
        Get-VrrpLabVip $h 1 | Should -BeTrue
        Get-VrrpLabVip $h 2 | Should -BeFalse
    }

    It 'sends the adverts to each peer as unicast with TTL 255 (RFC 5798 §5.1.1.3 allows unicast; keepalived unicast_peer)' {
        Stop-VrrpLabCapture $cap
        $packets = @(Read-VrrpLabCapture $cap.Path)
        $fromMaster = @($packets | Where-Object { $_.Source -eq $a[1] -and $_.Priority -eq 150 })
        $fromMaster.Count | Should -BeGreaterThan 3
        ($fromMaster.Destination | Select-Object -Unique) -join ',' | Should -Be $a[2]
        ($fromMaster.ChecksumStatus | Select-Object -Unique) -join ',' | Should -Be 'Good'
        ($fromMaster.Ttl | Select-Object -Unique) -join ',' | Should -Be '255'
        (@($packets | Where-Object Source -EQ $a[3]).Destination | Sort-Object -Unique) -join ',' | Should -Be "$($a[1]),$($a[2])"
    }

    It "moves the VIP to the peer within Master_Down_Interval + tolerance when the master's cable is cut" {
        $bound = Get-FailoverBound $T100
        $m = Measure-LabFailover $h -Master 1 -Backup 2 -TimeoutSeconds 5
        Write-LabTiming 'VRRPv3 unicast failover' $m.Milliseconds $bound
        $m.Milliseconds | Should -BeLessOrEqual $bound -Because "MDI $($T100.MasterDownMs) ms + 1 interval + $SchedulingSlackMs ms slack$(Why)"
        $m.Milliseconds | Should -BeGreaterOrEqual (Get-FailoverFloor $T100)
        $null = Wait-VrrpLabVip $h 2 -Timeout 2
    }

    It 'gives the VIP back when the 150 node returns, and hands over on priority 0 when it stops (RFC 5798 §6.4.2, §6.4.3)' {
        $h.Lab.SetLinkUp(1, $true)
        $s1 = Wait-VrrpLabState $h 1 Master -Timeout 5
        $s1.LastTransitionReason | Should -Match 'preempting lower priority \(100\)'
        $null = Wait-VrrpLabState $h 2 Backup -Timeout 5
        $t0 = [DateTime]::UtcNow
        Stop-VrrpLabNode $h 1
        $s2 = Wait-VrrpLabState $h 2 Master -Timeout 5
        $ms = ($s2.LastTransition - $t0).TotalMilliseconds
        $bound = $T100.SkewMs + $T100.IntervalMs + $SchedulingSlackMs
        Write-LabTiming 'VRRPv3 unicast graceful stop hand-over' $ms $bound
        $s2.LastTransitionReason | Should -Be "master $($a[1]) released (priority 0)" -Because (Why)
        $ms | Should -BeLessOrEqual $bound
        $s2.Counters.PriorityZeroReceived | Should -BeGreaterThan 0
    }
}

Describe 'VrrpPS lab: VRRPv3 over IPv6, 100 ms adverts' {
    BeforeAll {
        $h = $null
        . (Join-Path $PSScriptRoot 'LabSupport.ps1')
        $vip = '2001:db8::100'
        $h = New-TestLab -Nodes 2 -Client -IPv6
        try {
            Start-VrrpLabNodeSet $h @{
                1 = New-TestInstance -Priority 150 -Vip "$vip/64"
                2 = New-TestInstance -Priority 100 -Vip "$vip/64"
            }
        }
        catch { Remove-VrrpLab $h; throw }
        $T100 = Get-VrrpLabTiming -Priority 100 -AdvertisementInterval 0.1
        $failovers = [System.Collections.Generic.List[double]]::new()
        function Why { "`nnode logs:`n$(Get-VrrpLabLog $h)" }
    }

    AfterAll {
        if (-not $h) { return }   # the lab itself could not be built
        Remove-VrrpLab $h
        @(& ip netns list) -match "^$($h.Lab.Tag)-" | Should -BeNullOrEmpty -Because 'the lab leaves no namespace behind'
    }

    It 'elects the 150 node, which alone holds the IPv6 VIP and advertises from its link-local address (RFC 5798 §5.1.2.1)' {
        $null = Wait-VrrpLabState $h 1 Master -Timeout 5
        $s2 = Wait-VrrpLabState $h 2 Backup -Timeout 5
        $s2.MasterAddress | Should -BeLike 'fe80::*' -Because "IPv6 adverts come from the link-local address$(Why)"
        $s2.Counters.AdvertisementsReceived | Should -BeGreaterThan 0
        $null = Wait-VrrpLabVip $h 1 -Address $vip -Timeout 2
        (Get-VrrpLabMasterNode $h -Address $vip) -join ',' | Should -Be '1' -Because (Why)
        (Invoke-VrrpLabClientPing $h -Address $vip -Count 2) -join ',' | Should -Be 'Success,Success'
        Get-VrrpLabNeighbour $h -Address $vip | Should -Be (Get-VrrpLabMac $h 1)
    }

    It "moves the IPv6 VIP within Master_Down_Interval + tolerance when the master's cable is cut, and back on its return" {
        $bound = Get-FailoverBound $T100
        foreach ($trial in 1..3) {
            $m = Measure-LabFailover $h -Master 1 -Backup 2 -TimeoutSeconds 5
            Write-LabTiming "VRRPv3 IPv6 failover trial $trial" $m.Milliseconds $bound
            $failovers.Add($m.Milliseconds)
            $m.Milliseconds | Should -BeLessOrEqual $bound -Because "MDI $($T100.MasterDownMs) ms + 1 interval + $SchedulingSlackMs ms slack$(Why)"
            $m.Milliseconds | Should -BeGreaterOrEqual (Get-FailoverFloor $T100)
            $null = Wait-VrrpLabVip $h 2 -Address $vip -Timeout 2
            (Get-VrrpLabMasterNode $h -Address $vip) -join ',' | Should -Be '2'
            $h.Lab.SetLinkUp(1, $true)
            $null = Wait-VrrpLabState $h 1 Master -Timeout 5
            $null = Wait-VrrpLabState $h 2 Backup -Timeout 5
            $null = Wait-VrrpLabVip $h 2 -Address $vip -Absent -Timeout 2
        }
        $sorted = @($failovers | Sort-Object)
        Write-Host ("    [timing] VRRPv3 IPv6 failover: min {0:N1} / median {1:N1} / max {2:N1} ms" -f $sorted[0], $sorted[1], $sorted[-1])
    }

    It "updates the client's neighbour entry to the new master's MAC (unsolicited Neighbor Advertisement, RFC 5798 §6.4.2)" {
        $mac2 = Get-VrrpLabMac $h 2
        $null = Measure-LabFailover $h -Master 1 -Backup 2 -TimeoutSeconds 5
        $deadline = [DateTime]::UtcNow.AddSeconds(2)
        while ((Get-VrrpLabNeighbour $h -Address $vip) -ne $mac2 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        Get-VrrpLabNeighbour $h -Address $vip | Should -Be $mac2 -Because "the new master announced the VIP with its MAC$(Why)"
        (Invoke-VrrpLabClientPing $h -Address $vip -Count 2) -join ',' | Should -Be 'Success,Success'
    }
}

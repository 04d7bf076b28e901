# Three VrrpPS nodes (priorities 150/100/50), each a separate `Start-VrrpInstance -Wait` pwsh
# process in its own network namespace on one lab bridge, plus a client namespace. Election,
# cable cut, preemption, graceful shutdown and Preempt_Mode false, for VRRPv3 at 100 ms adverts
# (RFC 5798) and VRRPv2 at 1 s adverts with PASS authentication (RFC 3768). Every lab is removed
# in AfterAll, also when a test fails.

Describe 'VrrpPS lab: <Label>' -ForEach @(
    @{ Label = 'VRRPv3, 100 ms adverts'; Version = 3; Interval = 0.1; Trials = 5; Extra = @{} }
    @{ Label = 'VRRPv2, 1 s adverts, PASS authentication'; Version = 2; Interval = 1; Trials = 1
       Extra = @{ AuthenticationPassword = 'vrrpps1' } }
) {
    BeforeAll {
        $h = $null
        . (Join-Path $PSScriptRoot 'LabSupport.ps1')
        $h = New-TestLab -Nodes 3 -Client
        $ctx = @{ Capture = $null; Failovers = [System.Collections.Generic.List[double]]::new() }
        $instances = @{}
        $priorities = @{ 1 = 150; 2 = 100; 3 = 50 }
        foreach ($n in 1..3) { $instances[$n] = New-TestInstance -Priority $priorities[$n] -Version $Version -Interval $Interval -Extra $Extra }
        try {
            $ctx.Capture = Start-VrrpLabCapture $h -Name 'bridge'
            Start-VrrpLabNodeSet $h $instances
        }
        catch { Remove-VrrpLab $h; throw }
        $T100 = Get-VrrpLabTiming -Priority 100 -AdvertisementInterval $Interval -Version $Version
        $T150 = Get-VrrpLabTiming -Priority 150 -AdvertisementInterval $Interval -Version $Version
        $settle = 3 * $T100.MasterDownMs / 1000 + 5
        $n1Address = $h.Lab.NodeAddresses(1)[0] -replace '/.*'
        function Why { "`nnode logs:`n$(Get-VrrpLabLog $h)" }
    }

    AfterAll {
        if (-not $h) { return }   # the lab itself could not be built
        if ($ctx.Failovers.Count) {
            $sorted = @($ctx.Failovers | Sort-Object)
            Write-Host ("    [timing] $Label cable-cut failover over {0} trial(s): min {1:N1} / median {2:N1} / max {3:N1} ms" -f
                $sorted.Count, $sorted[0], $sorted[[int][math]::Floor(($sorted.Count - 1) / 2)], $sorted[-1])
        }
        Remove-VrrpLab $h
        @(& ip netns list) -match "^$($h.Lab.Tag)-" | Should -BeNullOrEmpty -Because 'the lab leaves no namespace behind'
    }

    It 'elects the priority 150 node as the only Master; the others are Backup and name it (RFC 5798 §6.4.2, §6.4.3)' {
        $null = Wait-VrrpLabState $h 1 Master -Timeout $settle
        foreach ($n in 2, 3) {
            $s = Wait-VrrpLabState $h $n Backup -Timeout $settle
            $s.MasterAddress | Should -Be $n1Address -Because "node $n follows the 150 node$(Why)"
            $s.Counters.AdvertisementsReceived | Should -BeGreaterThan 0
            $s.Counters.ChecksumErrors + $s.Counters.AuthErrors + $s.Counters.VersionErrors | Should -Be 0 -Because "adverts of the same version, password and checksum mode are all valid$(Why)"
        }
        $null = Wait-VrrpLabVip $h 2 -Absent -Timeout 2
        $null = Wait-VrrpLabVip $h 3 -Absent -Timeout 2
        (Get-VrrpLabMasterNode $h) -join ',' | Should -Be '1' -Because "exactly one node holds the VIP$(Why)"
    }

    It "lets the client reach the VIP at the master's MAC address" {
        $status = Invoke-VrrpLabClientPing $h -Count 3
        $status -join ',' | Should -Be 'Success,Success,Success' -Because "the VIP answers echo requests$(Why)"
        Get-VrrpLabNeighbour $h | Should -Be (Get-VrrpLabMac $h 1) -Because "the client resolved the VIP to the master's interface$(Why)"
    }

    It "moves the VIP to the 100 node within Master_Down_Interval + tolerance when the master's cable is cut (RFC 5798 §6.4.2)" {
        $bound = Get-FailoverBound $T100
        $floor = Get-FailoverFloor $T100
        for ($trial = 1; $trial -le $Trials; $trial++) {
            if ($trial -gt 1) {
                $h.Lab.SetLinkUp(1, $true)
                $null = Wait-VrrpLabState $h 1 Master -Timeout $settle
                $null = Wait-VrrpLabState $h 2 Backup -Timeout $settle
                $null = Wait-VrrpLabVip $h 2 -Absent -Timeout 2
            }
            $m = Measure-LabFailover $h -Master 1 -Backup 2 -TimeoutSeconds $settle
            Write-LabTiming "$Label failover trial $trial" $m.Milliseconds $bound
            $ctx.Failovers.Add($m.Milliseconds)
            $m.Milliseconds | Should -BeLessOrEqual $bound -Because "MDI $($T100.MasterDownMs) ms + 1 interval + $SchedulingSlackMs ms slack$(Why)"
            $m.Milliseconds | Should -BeGreaterOrEqual $floor -Because "the backup waits for its Master_Down_Timer$(Why)"
            $m.State.LastTransitionReason | Should -Be 'master down timer expired'
            $null = Wait-VrrpLabVip $h 2 -Timeout 2
            (Get-VrrpLabState $h 1).State | Should -Be 'Fault' -Because 'a node whose interface lost carrier is in Fault (keepalived behaviour)'
            (Get-VrrpLabMasterNode $h) -join ',' | Should -Be '2' -Because "the VIP moved, nobody else holds it$(Why)"
        }
    }

    It "sends the client to the new master: gratuitous ARP updated its neighbour entry for the VIP" {
        $mac2 = Get-VrrpLabMac $h 2
        $deadline = [DateTime]::UtcNow.AddSeconds(2)
        while ((Get-VrrpLabNeighbour $h) -ne $mac2 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        Get-VrrpLabNeighbour $h | Should -Be $mac2 -Because "the new master announced the VIP with its own MAC (no ping needed)$(Why)"
        (Invoke-VrrpLabClientPing $h -Count 2) -join ',' | Should -Be 'Success,Success'
    }

    It 'gives the VIP back to the 150 node when its cable returns (Preempt_Mode true, RFC 5798 §6.4.3)' {
        $h.Lab.SetLinkUp(1, $true)
        $s = Wait-VrrpLabState $h 1 Master -Timeout $settle
        $s.LastTransitionReason | Should -Match 'preempting lower priority \(100\)' -Because "it preempts the 100 node$(Why)"
        $null = Wait-VrrpLabState $h 2 Backup -Timeout $settle
        $null = Wait-VrrpLabVip $h 2 -Absent -Timeout 2
        (Get-VrrpLabMasterNode $h) -join ',' | Should -Be '1'
    }

    It 'hands over within Skew_Time + tolerance on a graceful Stop-VrrpInstance, priority 0 seen on the wire and counted (RFC 5798 §6.4.2, §6.4.3)' {
        $before = (Get-VrrpLabState $h 2).Counters.PriorityZeroReceived
        $t0 = [DateTime]::UtcNow
        Stop-VrrpLabNode $h 1
        $s = Wait-VrrpLabState $h 2 Master -Timeout $settle
        $ms = ($s.LastTransition - $t0).TotalMilliseconds
        # Skew_Time, one interval for the stop request to reach the engine and the priority-0
        # advert to leave, plus slack; always below Master_Down_Interval, so only the priority-0
        # path can meet it.
        $bound = $T100.SkewMs + $T100.IntervalMs + $SchedulingSlackMs
        Write-LabTiming "$Label graceful stop hand-over" $ms $bound
        $ms | Should -BeLessOrEqual $bound -Because "Skew_Time $($T100.SkewMs) ms after the release$(Why)"
        $s.LastTransitionReason | Should -Be "master $n1Address released (priority 0)"
        $s.Counters.PriorityZeroReceived | Should -BeGreaterThan $before
        (Get-VrrpLabState $h 3).Counters.PriorityZeroReceived | Should -BeGreaterThan 0
        $null = Wait-VrrpLabVip $h 2 -Timeout 2
        (Get-VrrpLabMasterNode $h) -join ',' | Should -Be '2' -Because "the stopped node removed its VIP$(Why)"

        Stop-VrrpLabCapture $ctx.Capture
        $packets = @(Read-VrrpLabCapture $ctx.Capture.Path)
        $zero = @($packets | Where-Object { $_.Source -eq $n1Address -and $_.Priority -eq 0 })
        $zero.Count | Should -BeGreaterThan 0 -Because 'tshark decodes the priority-0 advert of the stopped master'
        $zero[0].ChecksumStatus | Should -Be 'Good'
        $n2Address = $h.Lab.NodeAddresses(2)[0] -replace '/.*'
        $first = $packets | Where-Object { $_.Source -eq $n2Address -and $_.Time -gt $zero[0].Time } | Select-Object -First 1
        $first | Should -Not -BeNullOrEmpty -Because 'the new master advertises'
        $wireMs = ($first.Time - $zero[0].Time).TotalMilliseconds
        Write-LabTiming "$Label priority 0 -> first advert of the new master, on the wire" $wireMs ($T100.SkewMs + $SchedulingSlackMs)
        $wireMs | Should -BeLessOrEqual ($T100.SkewMs + $SchedulingSlackMs) -Because 'the backup waits Skew_Time, not Master_Down_Interval'
    }

    It 'leaves the VIP on the 100 node when the 150 node rejoins with -NoPreempt (Preempt_Mode false, RFC 5798 §6.4.3)' {
        $null = Start-VrrpLabNode $h 1 (New-TestInstance -Priority 150 -Version $Version -Interval $Interval -Extra ($Extra + @{ NoPreempt = $true }))
        $null = Wait-VrrpLabState $h 1 Backup -Timeout 5
        # Several of its own Master_Down_Intervals: preemption would have happened after one.
        $states = Get-LabStateSamples $h 1 -DurationSeconds (3 * $T150.MasterDownMs / 1000 + 0.3)
        $states.Count | Should -BeGreaterThan 3
        $states | Should -Not -Contain 'Master' -Because "without preemption it stays Backup$(Why)"
        $s1 = Get-VrrpLabState $h 1
        $s1.MasterAddress | Should -Be ($h.Lab.NodeAddresses(2)[0] -replace '/.*') -Because "it accepts the lower priority master$(Why)"
        $s1.Counters.AdvertisementsReceived | Should -BeGreaterThan 0
        (Get-VrrpLabState $h 2).State | Should -Be 'Master'
        (Get-VrrpLabMasterNode $h) -join ',' | Should -Be '2'
    }
}

# Lab test (network namespaces, real VrrpPS daemons) for keepalived's vrrp_sync_group: two nodes,
# each with VI_1 on eth0 (198.51.100.0/24, the lab's bridge) and VI_2 on eth1 (203.0.113.0/24, a
# second bridge added here), both instances in sync group G1. Cutting only eth1 of the master must
# move BOTH VIPs to the other node. The lab (and with it the second bridge and veths, which live in
# the lab's namespaces) is removed in AfterAll even on failure.

BeforeAll {
    $h = $null
    . (Join-Path $PSScriptRoot 'LabSupport.ps1')
    $Interval = 0.1
    $h = New-TestLab -Nodes 2
    try {
        $br = $h.Lab.BridgeNamespace
        function Invoke-LabIp([string] $Ns, [string[]] $IpArgs) {
            $r = $h.Lab.Exec($Ns, [string[]](@('ip') + $IpArgs))
            if ($r.ExitCode -ne 0) { throw "ip $($IpArgs -join ' ') in $Ns failed: $($r.StandardError)" }
        }
        Invoke-LabIp $br @('link', 'add', 'br1', 'type', 'bridge')
        Invoke-LabIp $br @('link', 'set', 'br1', 'up')
        foreach ($n in 1, 2) {
            $ns = $h.Lab.NodeNamespace($n)
            Invoke-LabIp $br @('link', 'add', "w-n$n", 'type', 'veth', 'peer', 'name', 'eth1', 'netns', $ns)
            Invoke-LabIp $br @('link', 'set', "w-n$n", 'master', 'br1', 'up')
            Invoke-LabIp $ns @('addr', 'add', "203.0.113.1$n/24", 'dev', 'eth1')
            Invoke-LabIp $ns @('link', 'set', 'eth1', 'up')
        }
    }
    catch { Remove-VrrpLab $h; $h = $null; throw }
    $T = Get-VrrpLabTiming -Priority 100 -AdvertisementInterval $Interval -Version 3

    function New-SyncConfig([int] $Priority) {
        $path = Join-Path $h.Dir "sync-$Priority.conf"
        @"
vrrp_sync_group G1 {
    group {
        VI_1
        VI_2
    }
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority $Priority
    advert_int $Interval
    version 3
    virtual_ipaddress {
        198.51.100.100/24
    }
}
vrrp_instance VI_2 {
    state BACKUP
    interface eth1
    virtual_router_id 52
    priority $Priority
    advert_int $Interval
    version 3
    virtual_ipaddress {
        203.0.113.100/24
    }
}
"@ | Set-Content -Path $path
        $path
    }
    function Wait-Eth1Vip([int] $Node, [double] $TimeoutSeconds) {
        # Get-VrrpLabVip looks at eth0 only; the second VIP lives on eth1. Bounded 10 ms poll.
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
        while ([DateTime]::UtcNow -lt $deadline) {
            if ($h.Lab.AddressesOf($h.Lab.NodeNamespace($Node), 'eth1') -match '^203\.0\.113\.100/') { return }
            Start-Sleep -Milliseconds 10
        }
        throw "VIP 203.0.113.100 not on node $Node eth1 after $TimeoutSeconds s$(Why)"
    }
    function Why { "`nnode logs:`n$(Get-VrrpLabLog $h)" }
}

AfterAll {
    if (-not $h) { return }
    Remove-VrrpLab $h
    @(& ip netns list) -match "^$($h.Lab.Tag)-" | Should -BeNullOrEmpty -Because 'the lab leaves no namespace behind'
}

Describe 'vrrp_sync_group: two instances on two interfaces move together' {
    It 'cutting only eth1 of the master moves both VIPs to the other node' {
        $null = Start-VrrpLabNode $h 1 @{} -ConfigPath (New-SyncConfig 150)
        $null = Wait-VrrpLabState $h 1 Master -Name VI_1 -Timeout 15
        $null = Wait-VrrpLabState $h 1 Master -Name VI_2 -Timeout 15
        $null = Start-VrrpLabNode $h 2 @{} -ConfigPath (New-SyncConfig 100)
        $null = Wait-VrrpLabState $h 2 Backup -Name VI_1 -Timeout 15
        $null = Wait-VrrpLabState $h 2 Backup -Name VI_2 -Timeout 15
        $null = Wait-VrrpLabVip $h 1 -Address 198.51.100.100 -Timeout 5
        Wait-Eth1Vip 1 5

        # Bound: node 2's VI_2 hears nothing on eth1 after the cut, so its Master_Down_Timer fires
        # within Master_Down_Interval (+ one interval for an advert in flight); VI_1 released with
        # priority 0 (node 1's group FAULT) already wants Master and is forced with it; plus slack.
        $bound = Get-FailoverBound $T
        $t0 = [DateTime]::UtcNow
        $null = $h.Lab.Exec($h.Lab.BridgeNamespace, [string[]]@('ip', 'link', 'set', 'w-n1', 'down'))
        $v2 = Wait-VrrpLabState $h 2 Master -Name VI_2 -Timeout 10
        $v1 = Wait-VrrpLabState $h 2 Master -Name VI_1 -Timeout 10
        $ms = (@($v1.LastTransition, $v2.LastTransition) | Measure-Object -Maximum).Maximum - $t0
        Write-LabTiming 'sync group: eth1 cut -> both instances Master on node 2' $ms.TotalMilliseconds $bound
        $ms.TotalMilliseconds | Should -BeLessOrEqual $bound -Because (Why)
        $null = Wait-VrrpLabVip $h 2 -Address 198.51.100.100 -Timeout 2
        Wait-Eth1Vip 2 2
        (Get-VrrpLabMasterNode $h -Address 198.51.100.100) -join ',' | Should -Be '2' -Because 'node 1 released the eth0 VIP although eth0 is still up'

        $s1 = Get-VrrpLabState $h 1 -Name VI_1
        $s1.State | Should -Be 'Fault'
        $s1.FaultReason | Should -Match '^sync group G1: VI_2 in fault'
        (Get-VrrpLabState $h 1 -Name VI_2).State | Should -Be 'Fault'

        # Cable back: node 1 (150) preempts both instances again.
        $null = $h.Lab.Exec($h.Lab.BridgeNamespace, [string[]]@('ip', 'link', 'set', 'w-n1', 'up'))
        $null = Wait-VrrpLabState $h 1 Master -Name VI_1 -Timeout 10
        $null = Wait-VrrpLabState $h 1 Master -Name VI_2 -Timeout 10
        $null = Wait-VrrpLabState $h 2 Backup -Name VI_1 -Timeout 10
        $null = Wait-VrrpLabState $h 2 Backup -Name VI_2 -Timeout 10
        Stop-VrrpLabNode $h 1
        Stop-VrrpLabNode $h 2
    }
}

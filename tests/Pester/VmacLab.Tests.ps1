# use_vmac (-UseVirtualMac) in a lab, on the wire: two VrrpPS nodes (VRID 51, 100 ms adverts) put the VIP
# on a macvlan vrrp.51 with the RFC 5798 §7.3 virtual MAC 00:00:5e:00:01:33. A client's ARP for the VIP is
# answered by that MAC and by the Master alone; adverts leave from it; after a failover the client's
# neighbour entry still holds the same MAC. A stale vrrp.51 (a crashed run) is replaced at start, and the
# macvlan is gone after stop. Capture on the lab bridge (tcpdump), decoded by tshark.
BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSupport.ps1')
    $script:h = New-TestLab -Nodes 2 -Client
    $script:Vmac = '00:00:5e:00:01:33'
    function Link([int] $Node, [string] $Name = 'vrrp.51') {
        $r = $h.Lab.Exec($h.Lab.NodeNamespace($Node), 'ip', '-j', '-d', 'addr', 'show', 'dev', $Name)
        if (-not $r.Succeeded) { return $null }
        ($r.StandardOutput | ConvertFrom-Json)[0]
    }
    function Sysctl([int] $Node, [string] $Key) {
        $r = $h.Lab.Exec($h.Lab.NodeNamespace($Node), 'cat', "/proc/sys/net/ipv4/conf/$Key")
        $r.StandardOutput.Trim()
    }
    function ArpRepliesFor([string] $Path, [string] $Address) {
        # Answers to a client's request only: a gratuitous ARP (target = sender, e.g. the Master's second
        # burst 5 s after it took over) is an announcement, not an answer.
        @(& timeout 60 tshark -r $Path -n -Y "arp.opcode == 2 && arp.src.proto_ipv4 == $Address && arp.dst.proto_ipv4 != $Address" -T fields -e eth.src -e arp.src.hw_mac 2>$null |
            Where-Object { $_ })
    }
    function Why { "`nnode logs:`n$(Get-VrrpLabLog $h)" }
    try {
        # A macvlan of that name with another MAC, as a crashed run could leave it.
        $null = $h.Lab.Exec($h.Lab.NodeNamespace(2), 'ip', 'link', 'add', 'vrrp.51', 'link', 'eth0', 'type', 'macvlan')
        $script:StaleMac = (Link 2).address
        $script:cap = Start-VrrpLabCapture $h -Name 'vmac' -Filter @('arp', 'or', 'ip', 'proto', '112')
        Start-VrrpLabNodeSet $h @{
            1 = New-TestInstance -Priority 150 -Extra @{ UseVirtualMac = $true }
            2 = New-TestInstance -Priority 100 -Extra @{ UseVirtualMac = $true }
        }
        $null = Wait-VrrpLabState $h 1 Master -Timeout 15
        $null = Wait-VrrpLabState $h 2 Backup -Timeout 15
    }
    catch { $log = Get-VrrpLabLog $h; Remove-VrrpLab $h; throw "$_`n$log" }
}

AfterAll {
    if ($script:h) { Remove-VrrpLab $script:h }
}

Describe 'Virtual MAC (use_vmac)' -Tag Lab {
    It 'creates vrrp.51 with 00:00:5e:00:01:33 on both nodes; the Master holds the VIP on it, not on eth0' {
        $l1 = Link 1
        $l1 | Should -Not -BeNullOrEmpty -Because (Why)
        "$($l1.address) $($l1.linkinfo.info_kind) $($l1.linkinfo.info_data.mode)" | Should -Be "$Vmac macvlan private"
        @($l1.addr_info | Where-Object family -EQ 'inet' | ForEach-Object { "$($_.local)/$($_.prefixlen)" }) | Should -Be @('198.51.100.100/24')
        Get-VrrpLabVip $h 1 | Should -BeFalse -Because 'the VIP is on the macvlan, not on eth0'
        $l2 = Link 2
        $l2.address | Should -Be $Vmac -Because "the stale vrrp.51 ($StaleMac) is replaced at start$(Why)"
        @($l2.addr_info | Where-Object family -EQ 'inet').Count | Should -Be 0 -Because 'the Backup holds no VIP'
    }

    It 'sets the sysctls keepalived sets (arp_ignore on both, arp_filter on the base, accept_local 1 and rp_filter 0 on the macvlan) and arp_announce 2 on the base' {
        "$(Sysctl 1 'vrrp.51/arp_ignore') $(Sysctl 1 'vrrp.51/accept_local') $(Sysctl 1 'vrrp.51/rp_filter') $(Sysctl 1 'eth0/arp_ignore') $(Sysctl 1 'eth0/arp_filter') $(Sysctl 1 'eth0/arp_announce')" |
            Should -Be '1 1 0 1 1 2'
    }

    It 'a client''s ARP for the VIP is answered by the virtual MAC, once (only the Master answers)' {
        $null = $h.Lab.Exec($h.Lab.ClientNamespace, 'ip', 'neigh', 'flush', 'all')
        @(Invoke-VrrpLabClientPing $h -Count 2) | Should -Contain 'Success' -Because (Why)
        Get-VrrpLabNeighbour $h | Should -Be $Vmac
        Start-Sleep -Milliseconds 300
        Stop-VrrpLabCapture $cap
        $replies = ArpRepliesFor $cap.Path '198.51.100.100'
        # The client may ask more than once (neighbour probes); every request gets exactly one answer, and
        # every answer comes from the virtual MAC: only the Master answers.
        $requests = @(& timeout 60 tshark -r $cap.Path -n -Y "arp.opcode == 1 && arp.dst.proto_ipv4 == 198.51.100.100 && arp.src.proto_ipv4 != 198.51.100.100" -T fields -e eth.src 2>$null | Where-Object { $_ })
        $requests.Count | Should -BeGreaterThan 0 -Because 'the client asked for the VIP'
        @($replies).Count | Should -Be $requests.Count -Because 'one answer per request'
        @($replies | Select-Object -Unique) | Should -Be @("$Vmac`t$Vmac") -Because 'every answer comes from the virtual MAC'
        # ARP requests from the base MAC (to answer the echo) name the node's own address, never the VIP, as sender (gratuitous ARPs come from the virtual MAC).
        @(& timeout 60 tshark -r $cap.Path -n -Y "arp.opcode == 1 && arp.src.proto_ipv4 == 198.51.100.100 && eth.src != $Vmac" -T fields -e eth.src 2>$null | Where-Object { $_ }) |
            Should -BeNullOrEmpty
    }

    It 'sends the Master''s adverts from the virtual MAC' {
        $adverts = @(Read-VrrpLabCapture $cap.Path | Where-Object { $_.VirtualRouterId -eq 51 -and $_.Priority -eq 150 })
        $adverts.Count | Should -BeGreaterThan 5 -Because (Why)
        @($adverts.EthSource | Select-Object -Unique) | Should -Be @($Vmac)
        @($adverts.Source | Select-Object -Unique) | Should -Be @('198.51.100.11') -Because 'the source address is the base interface''s'
    }

    It 'after a failover the client reaches the VIP through the same MAC' {
        $h.Lab.SetLinkUp(1, $false)
        $null = Wait-VrrpLabState $h 2 Master -Timeout 10
        @(Invoke-VrrpLabClientPing $h -Count 2) | Should -Contain 'Success' -Because (Why)
        Get-VrrpLabNeighbour $h | Should -Be $Vmac
        @((Link 2).addr_info | Where-Object family -EQ 'inet' | ForEach-Object local) | Should -Be @('198.51.100.100')
    }

    It 'removes the macvlan on stop and restores the base interface''s sysctls' {
        $h.Lab.SetLinkUp(1, $true)
        Stop-VrrpLabNode $h 1
        Stop-VrrpLabNode $h 2
        Link 1 | Should -BeNullOrEmpty -Because (Why)
        Link 2 | Should -BeNullOrEmpty
        "$(Sysctl 1 'eth0/arp_ignore') $(Sysctl 1 'eth0/arp_filter') $(Sysctl 1 'eth0/arp_announce')" | Should -Be '0 0 0'
    }
}

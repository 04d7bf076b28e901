# VrrpPS's adverts as an independent decoder (tshark, Wireshark's VRRP dissector) sees them on the
# lab bridge: captured with tcpdump in the bridge namespace, decoded with the v3 IPv4 checksum
# over the RFC 5798 §5.2.8 pseudo-header (vrrp.v3_checksum_as_in_v2:FALSE) unless stated. Node 1
# runs three instances from one keepalived.conf (v3 IPv4, v2 IPv4 with PASS, v3 IPv6); node 2 one
# v3 IPv4 instance with -V3ChecksumAsV2 (RFC 9568 §5.2.8 option). Lab removed in AfterAll.

Describe 'VRRP on the wire, decoded by tshark' {
    BeforeAll {
        $h = $null
        . (Join-Path $PSScriptRoot 'LabSupport.ps1')
        $h = New-TestLab -Nodes 2 -IPv6
        $conf = Join-Path $h.Dir 'n1-vrrpps.conf'
        Set-Content -Path $conf -Value @'
global_defs {
    vrrp_version 3
}
vrrp_instance V3_IPV4 {
    state MASTER
    interface eth0
    virtual_router_id 61
    priority 150
    advert_int 0.1
    virtual_ipaddress {
        198.51.100.100/24
    }
}
vrrp_instance V2_IPV4 {
    state MASTER
    version 2
    interface eth0
    virtual_router_id 62
    priority 120
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass vrrpps1
    }
    virtual_ipaddress {
        198.51.100.101/24
        198.51.100.102/24
    }
}
vrrp_instance V3_IPV6 {
    state MASTER
    interface eth0
    virtual_router_id 63
    priority 130
    advert_int 0.5
    virtual_ipaddress {
        2001:db8::100/64
    }
}
'@
        $cap = $null
        try {
            $cap = Start-VrrpLabCapture $h -Name 'wire'
            Start-VrrpLabNodeSet $h @{
                1 = $conf
                2 = New-TestInstance -Priority 140 -VirtualRouterId 64 -Vip '198.51.100.104/24' -Extra @{ Name = 'V3_AS_V2'; V3ChecksumAsV2 = $true }
            }
            foreach ($name in 'V3_IPV4', 'V2_IPV4', 'V3_IPV6') { $null = Wait-VrrpLabState $h 1 Master -Name $name -Timeout 10 }
            $null = Wait-VrrpLabState $h 2 Master -Name 'V3_AS_V2' -Timeout 10
            Start-Sleep -Milliseconds 2200   # at least two 1 s v2 adverts
            Stop-VrrpLabNode $h 1            # priority-0 adverts of all three instances
            Stop-VrrpLabNode $h 2
            Start-Sleep -Milliseconds 200
            Stop-VrrpLabCapture $cap
            $packets = @(Read-VrrpLabCapture $cap.Path)
            $asV2 = @(Read-VrrpLabCapture $cap.Path -V3ChecksumAsV2)
        }
        catch { $log = Get-VrrpLabLog $h; Remove-VrrpLab $h; throw "$_`n$log" }
        $n1 = '198.51.100.11'
        function Of([int] $Vrid, [object[]] $From = $packets) { @($From | Where-Object VirtualRouterId -EQ $Vrid) }
        function Why { "`nnode logs:`n$(Get-VrrpLabLog $h)" }
    }

    AfterAll {
        if (-not $h) { return }   # the lab itself could not be built
        Remove-VrrpLab $h
        @(& ip netns list) -match "^$($h.Lab.Tag)-" | Should -BeNullOrEmpty -Because 'the lab leaves no namespace behind'
    }

    It 'VRRPv3 IPv4 adverts: good pseudo-header checksum and the configured fields (RFC 5798 §5.1.1, §5.2)' {
        $p = Of 61
        $p.Count | Should -BeGreaterThan 5 -Because (Why)
        $live = @($p | Where-Object Priority -NE 0)
        foreach ($x in $live) {
            "$($x.Source) $($x.Destination) ttl=$($x.Ttl) v$($x.Version) type=$($x.Type) prio=$($x.Priority) n=$($x.AddressCount) int=$($x.Interval) $($x.ChecksumStatus) $($x.Addresses -join ',')" |
                Should -Be "$n1 224.0.0.18 ttl=255 v3 type=1 prio=150 n=1 int=10 Good 198.51.100.100"
        }
        # The same packets fail the RFC 9568 no-pseudo-header check: the checksum is really verified.
        ((Of 61 $asV2).ChecksumStatus | Select-Object -Unique) -join ',' | Should -Be 'Bad'
    }

    It 'tshark -V prints the VRRPv3 checksum as [correct] with status Good' {
        $text = & timeout 60 tshark -r $cap.Path -V -n -o 'vrrp.v3_checksum_as_in_v2:FALSE' -Y 'vrrp.virt_rtr_id == 61 && vrrp.prio == 150' 2>$null | Out-String
        $text | Should -Match 'Virtual Router Redundancy Protocol'
        $text | Should -Match 'Checksum: 0x[0-9a-f]{4} \[correct\]'
        $text | Should -Match '\[Checksum Status: Good\]'
        $text | Should -Match 'Virtual Rtr ID: 61'
    }

    It 'VRRPv2 adverts: good checksum, PASS authentication and both addresses (RFC 3768 §5.3)' {
        $live = @(Of 62 | Where-Object Priority -NE 0)
        $live.Count | Should -BeGreaterOrEqual 2 -Because "1 s adverts for over 2 s$(Why)"
        foreach ($x in $live) {
            "$($x.Source) $($x.Destination) ttl=$($x.Ttl) v$($x.Version) type=$($x.Type) prio=$($x.Priority) n=$($x.AddressCount) int=$($x.Interval) $($x.ChecksumStatus) auth=$($x.AuthType)/$($x.AuthString) $($x.Addresses -join ',')" |
                Should -Be "$n1 224.0.0.18 ttl=255 v2 type=1 prio=120 n=2 int=1 Good auth=1/vrrpps1 198.51.100.101,198.51.100.102"
        }
    }

    It 'VRRPv3 IPv6 adverts: from the link-local address to ff02::12, hop limit 255, good checksum (RFC 5798 §5.1.2)' {
        $live = @(Of 63 | Where-Object Priority -NE 0)
        $live.Count | Should -BeGreaterThan 2 -Because (Why)
        foreach ($x in $live) {
            $x.Source | Should -BeLike 'fe80::*'
            "$($x.Destination) ttl=$($x.Ttl) v$($x.Version) type=$($x.Type) prio=$($x.Priority) n=$($x.AddressCount) int=$($x.Interval) $($x.ChecksumStatus) $($x.Addresses -join ',')" |
                Should -Be 'ff02::12 ttl=255 v3 type=1 prio=130 n=1 int=50 Good 2001:db8::100'
        }
    }

    It 'sends every advert, IPv4 and IPv6, with TOS / traffic class 0xc0 (network control, as keepalived and FRR do)' {
        $p = @(Of 61) + @(Of 62) + @(Of 63) + @(Of 64)
        $p.Count | Should -BeGreaterThan 10 -Because (Why)
        (@($p | ForEach-Object { "v$($_.Version) $($_.Destination) tos=$($_.Tos)" } | Select-Object -Unique) | Sort-Object) -join '; ' |
            Should -Be 'v2 224.0.0.18 tos=0xc0; v3 224.0.0.18 tos=0xc0; v3 ff02::12 tos=0xc0'
    }

    It 'sends a priority-0 advert with a good checksum for every instance on shutdown (RFC 5798 §6.4.3)' {
        foreach ($vrid in 61, 62, 63) {
            $zero = @(Of $vrid | Where-Object Priority -EQ 0)
            $zero.Count | Should -BeGreaterThan 0 -Because "VRID $vrid releases$(Why)"
            ($zero.ChecksumStatus | Select-Object -Unique) -join ',' | Should -Be 'Good'
            # Nothing from that instance after it released.
            @(Of $vrid | Where-Object { $_.Time -gt $zero[-1].Time -and $_.Priority -ne 0 }).Count | Should -Be 0
        }
    }

    It 'with -V3ChecksumAsV2 the checksum is good only in Wireshark''s "as in v2" mode (RFC 9568 §5.2.8)' {
        $p = Of 64
        $p.Count | Should -BeGreaterThan 5 -Because (Why)
        ($p.ChecksumStatus | Select-Object -Unique) -join ',' | Should -Be 'Bad' -Because 'no pseudo-header was summed'
        ((Of 64 $asV2).ChecksumStatus | Select-Object -Unique) -join ',' | Should -Be 'Good'
        ((Of 64 $asV2 | Where-Object Priority -NE 0).Priority | Select-Object -Unique) -join ',' | Should -Be '140'
    }
}

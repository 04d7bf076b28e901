# use_vmac on the wire, the two details keepalived takes care of (captured on the lab bridge, decoded by tshark):
# - vmac_xmit_base: the VIP lives on the macvlan (clients reach it through the virtual MAC), but the adverts leave
#   from the base interface, with its MAC and its address;
# - no IGMP/MLD report ever leaves from the virtual MAC (a switch would learn the shared MAC on a Backup's port
#   and send the Master's traffic there): keepalived drops them, or never has IPv6 on an IPv4 macvlan.
# Two VrrpPS nodes (VRID 51, 100 ms adverts), IPv4 and IPv6.
Describe 'use_vmac on the wire (<Family>)' -Tag Lab -ForEach @(
    @{ Family = 'IPv4'; Vip = '198.51.100.100'; Prefix = 24; Vmac = '00:00:5e:00:01:33' }
    @{ Family = 'IPv6'; Vip = '2001:db8::100'; Prefix = 64; Vmac = '00:00:5e:00:02:33' }) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'LabSupport.ps1')
        $h = New-TestLab -Nodes 2 -Client -IPv6:($Family -eq 'IPv6')
        function Why { "`nnode logs:`n$(Get-VrrpLabLog $h)" }
        function VipOnMacvlan([int] $Node) {
            $r = $h.Lab.Exec($h.Lab.NodeNamespace($Node), 'ip', '-j', 'addr', 'show', 'dev', 'vrrp.51')
            $r.Succeeded -and (@(($r.StandardOutput | ConvertFrom-Json)[0].addr_info.local) -contains $Vip)
        }
        # Membership reports: IGMPv1/v2/v3 reports and leaves; MLDv1 report/done (131, 132), MLDv2 report (143).
        function ReportSources([string] $Path) {
            @(& timeout 60 tshark -r $Path -n -Y 'igmp.type == 0x12 || igmp.type == 0x16 || igmp.type == 0x17 || igmp.type == 0x22 || icmpv6.type == 131 || icmpv6.type == 132 || icmpv6.type == 143' -T fields -e eth.src 2>$null |
                Where-Object { $_ })
        }
        try {
            $script:cap = Start-VrrpLabCapture $h -Name 'vmacwire' -Filter @('igmp', 'or', 'icmp6', 'or', 'ip', 'proto', '112', 'or', 'ip6', 'proto', '112')
            Start-VrrpLabNodeSet $h @{
                1 = New-TestInstance -Priority 150 -Vip "$Vip/$Prefix" -Extra @{ UseVirtualMac = $true; VirtualMacTransmitBase = $true }
                2 = New-TestInstance -Priority 100 -Vip "$Vip/$Prefix" -Extra @{ UseVirtualMac = $true }
            }
            $null = Wait-VrrpLabState $h 1 Master -Timeout 15
            $null = Wait-VrrpLabState $h 2 Backup -Timeout 15
        }
        catch { $log = Get-VrrpLabLog $h; Remove-VrrpLab $h; throw "$_`n$log" }
    }

    AfterAll {
        if ($h) { Remove-VrrpLab $h }
    }

    It 'vmac_xmit_base: the Master holds the VIP on vrrp.51 but sends its adverts from the base interface''s MAC and address' {
        VipOnMacvlan 1 | Should -BeTrue -Because (Why)
        Start-Sleep -Milliseconds 600   # a few 100 ms adverts
        $baseMac = Get-VrrpLabMac $h 1
        $adverts = @(Read-VrrpLabCapture $cap.Path | Where-Object { $_.VirtualRouterId -eq 51 -and $_.Priority -eq 150 })
        $adverts.Count | Should -BeGreaterThan 3 -Because (Why)
        @($adverts.EthSource | Select-Object -Unique) | Should -Be @($baseMac)
        $expected = if ($Family -eq 'IPv4') { '198.51.100.11' }
                    elseif ($h.Lab.Exec($h.Lab.NodeNamespace(1), 'ip', '-6', '-o', 'addr', 'show', 'dev', 'eth0', 'scope', 'link').StandardOutput -match 'inet6 (fe80::[0-9a-f:]+)/') { $Matches[1] }
        @($adverts.Source | Select-Object -Unique) | Should -Be @($expected)
    }

    It 'a client still reaches the VIP through the virtual MAC' {
        $null = $h.Lab.Exec($h.Lab.ClientNamespace, 'ip', 'neigh', 'flush', 'all')
        @(Invoke-VrrpLabClientPing $h -Address $Vip -Count 2) | Should -Contain 'Success' -Because (Why)
        Get-VrrpLabNeighbour $h -Address $Vip | Should -Be $Vmac
    }

    It 'no IGMP or MLD report leaves from the virtual MAC, through start, failover and stop' {
        $h.Lab.SetLinkUp(1, $false)
        $null = Wait-VrrpLabState $h 2 Master -Timeout 10
        VipOnMacvlan 2 | Should -BeTrue -Because (Why)
        $h.Lab.SetLinkUp(1, $true)
        $null = Wait-VrrpLabState $h 1 Master -Timeout 10
        Stop-VrrpLabNode $h 1
        Stop-VrrpLabNode $h 2
        Stop-VrrpLabCapture $cap
        $sources = ReportSources $cap.Path
        $vmacAdverts = @(Read-VrrpLabCapture $cap.Path | Where-Object { $_.EthSource -eq $Vmac })
        $vmacAdverts.Count | Should -BeGreaterThan 0 -Because 'node 2 (no vmac_xmit_base) sent its adverts from the virtual MAC while Master: the capture saw that MAC'
        @($sources | Where-Object { $_ -eq $Vmac }).Count | Should -Be 0 -Because "membership reports came from: $(($sources | Group-Object | ForEach-Object { "$($_.Name) x$($_.Count)" }) -join ', ')$(Why)"
    }
}

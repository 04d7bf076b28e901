# use_vmac next to real keepalived: one keepalived.conf with use_vmac runs on keepalived (node 1, priority
# 100) and on VrrpPS (node 2, priority 150, Import-KeepalivedConfig): VRRPv3 and v2 IPv4, VRRPv3 IPv6. Both put the
# VIP on a macvlan vrrp.51 with 00:00:5e:00:01:33 (IPv6 00:00:5e:00:02:33); keepalived follows the VrrpPS Master, a client reaches the
# VIP through the virtual MAC, and when VrrpPS stops keepalived takes over behind the same MAC.
Describe 'use_vmac interop with keepalived (VRRPv<Version> <Vip>)' -Tag Lab -ForEach @(
    @{ Version = 3; Vip = '198.51.100.100'; Prefix = 24; Vmac = '00:00:5e:00:01:33' }
    @{ Version = 2; Vip = '198.51.100.100'; Prefix = 24; Vmac = '00:00:5e:00:01:33' }
    @{ Version = 3; Vip = '2001:db8::100'; Prefix = 64; Vmac = '00:00:5e:00:02:33' }) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'LabSupport.ps1')
        $h = New-TestLab -Nodes 2 -Client -IPv6
        $conf = New-KeepalivedLabConfig -Priority 100 -Version $Version -AdvertisementInterval 1 -Extra 'use_vmac' -VirtualIPAddress "$Vip/$Prefix"
        # keepalived sets arp_ignore/arp_filter on the base interface but not arp_announce; without it the
        # keepalived Master's ARP requests for traffic from the VIP (leaving by eth0) teach hosts the base MAC.
        # A real VMAC deployment sets it, and VrrpPS sets it itself: the lab does what the deployment would.
        $null = $h.Lab.Exec($h.Lab.NodeNamespace(1), 'sysctl', '-qw', 'net.ipv4.conf.eth0.arp_announce=2')
        Start-KeepalivedVrrpPSPair $h $conf
        function Why { "`nnode logs (n1 = keepalived, n2 = VrrpPS):`n$(Get-VrrpLabLog $h)" }
        function VmacOf([int] $Node) {
            $r = $h.Lab.Exec($h.Lab.NodeNamespace($Node), 'ip', '-j', 'addr', 'show', 'dev', 'vrrp.51')
            if (-not $r.Succeeded) { return $null }
            $j = ($r.StandardOutput | ConvertFrom-Json)[0]
            "$($j.address) " + ((@($j.addr_info | Where-Object { $_.scope -eq 'global' } | ForEach-Object local)) -join ',')
        }
    }

    AfterAll {
        if ($h) { Remove-VrrpLab $h }
    }

    It 'VrrpPS is Master with the VIP on its vrrp.51; keepalived is Backup with an empty vrrp.51 of the same MAC' {
        $deadline = [DateTime]::UtcNow.AddSeconds(8)
        while ((VmacOf 1) -ne "$Vmac " -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
        VmacOf 2 | Should -Be "$Vmac $Vip" -Because (Why)
        VmacOf 1 | Should -Be "$Vmac " -Because "keepalived follows the VrrpPS Master$(Why)"
        $log = Get-Content (Join-Path $h.Dir 'n1.log') -Raw
        ([regex]::Matches($log, 'Entering (\w+) STATE') | ForEach-Object { $_.Groups[1].Value })[-1] | Should -Be 'BACKUP' -Because (Why)
    }

    It 'a client reaches the VIP through the virtual MAC' {
        $null = $h.Lab.Exec($h.Lab.ClientNamespace, 'ip', 'neigh', 'flush', 'all')
        @(Invoke-VrrpLabClientPing $h -Address $Vip -Count 2) | Should -Contain 'Success' -Because (Why)
        Get-VrrpLabNeighbour $h -Address $Vip | Should -Be $Vmac
    }

    It 'keepalived takes over behind the same MAC when VrrpPS stops, and VrrpPS leaves no vrrp.51' {
        Stop-VrrpLabNode $h 2
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while ((VmacOf 1) -ne "$Vmac $Vip" -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        VmacOf 1 | Should -Be "$Vmac $Vip" -Because (Why)
        VmacOf 2 | Should -BeNullOrEmpty
        @(Invoke-VrrpLabClientPing $h -Address $Vip -Count 2) | Should -Contain 'Success' -Because (Why)
        Get-VrrpLabNeighbour $h -Address $Vip | Should -Be $Vmac
    }
}

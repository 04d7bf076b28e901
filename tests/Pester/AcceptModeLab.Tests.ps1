# Accept_Mode (RFC 5798 §6.4.3, keepalived accept/no_accept) in a lab: node 1 runs three instances from
# one keepalived.conf — VRID 51 with no_accept, VRID 52 with the default (accept), VRID 53 the owner of its
# address (priority 255) with no_accept — node 2 backs up VRID 51 with no_accept. A client pings each VIP:
# the no_accept Master drops the echo, the accept Master and the owner answer. The filter (nftables table
# vrrpps_noaccept_<instance>) exists only while the instance is a non-owner Master and goes on stop.
BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSupport.ps1')
    $script:h = New-TestLab -Nodes 2 -Client
    function Conf([int] $Priority51, [switch] $WithOthers) {
        $text = New-KeepalivedLabConfig -Name 'VI_NOACC' -VirtualRouterId 51 -Priority $Priority51 -AdvertisementInterval 0.1 -Extra 'no_accept'
        if ($WithOthers) {
            $text += (New-KeepalivedLabConfig -Name 'VI_ACC' -VirtualRouterId 52 -Priority 150 -AdvertisementInterval 0.1 -VirtualIPAddress '198.51.100.101/24') -replace '(?s)^global_defs \{.*?\n\}\n', ''
            $text += (New-KeepalivedLabConfig -Name 'VI_OWNER' -VirtualRouterId 53 -Priority 255 -AdvertisementInterval 0.1 -VirtualIPAddress '198.51.100.102/24' -Extra 'no_accept') -replace '(?s)^global_defs \{.*?\n\}\n', ''
        }
        $text
    }
    $script:Conf1 = Join-Path $h.Dir 'n1-accept.conf'
    $script:Conf2 = Join-Path $h.Dir 'n2-accept.conf'
    Set-Content -Path $Conf1 -Value (Conf 150 -WithOthers) -NoNewline
    Set-Content -Path $Conf2 -Value (Conf 100) -NoNewline
    try {
        Start-VrrpLabNodeSet $h @{ 1 = $Conf1; 2 = $Conf2 }
        foreach ($n in 'VI_NOACC', 'VI_ACC', 'VI_OWNER') { $null = Wait-VrrpLabState $h 1 Master -Name $n -Timeout 15 }
        $null = Wait-VrrpLabState $h 2 Backup -Name 'VI_NOACC' -Timeout 15
    }
    catch { $log = Get-VrrpLabLog $h; Remove-VrrpLab $h; throw "$_`n$log" }
    function Why { "`nnode logs:`n$(Get-VrrpLabLog $h)" }
    function Tables([int] $Node) {
        $r = $h.Lab.Exec($h.Lab.NodeNamespace($Node), 'nft', 'list', 'tables')
        @($r.StandardOutput -split "`n" | Where-Object { $_ -match 'vrrpps_noaccept_' } | ForEach-Object Trim)
    }
}

AfterAll {
    if ($script:h) { Remove-VrrpLab $script:h }
}

Describe 'Accept_Mode (accept / no_accept)' -Tag Lab {
    It 'the accept Master answers a ping to its VIP' {
        @(Invoke-VrrpLabClientPing $h '198.51.100.101' -Count 2) | Should -Be @('Success', 'Success') -Because (Why)
    }

    It 'the no_accept Master holds the VIP but drops a client''s ping to it' {
        Get-VrrpLabVip $h 1 '198.51.100.100' | Should -BeTrue -Because (Why)
        @(Invoke-VrrpLabClientPing $h '198.51.100.100' -Count 2) | Should -Not -Contain 'Success' -Because "no_accept drops traffic to the VIP$(Why)"
    }

    It 'the owner (priority 255) answers although no_accept is set (RFC 5798 §6.4.3 binds non-owners only; keepalived forces accept at 255)' {
        @(Invoke-VrrpLabClientPing $h '198.51.100.102' -Count 2) | Should -Be @('Success', 'Success') -Because (Why)
    }

    It 'only the non-owner no_accept Master has a filter table; the Backup has none' {
        Tables 1 | Should -Be @('table inet vrrpps_noaccept_VI_NOACC') -Because (Why)
        Tables 2 | Should -BeNullOrEmpty
    }

    It 'the filter follows the Master: node 2 drops after the hand-over, node 1 keeps no table after its stop' {
        Stop-VrrpLabNode $h 1
        $null = Wait-VrrpLabState $h 2 Master -Name 'VI_NOACC' -Timeout 10
        Tables 1 | Should -BeNullOrEmpty -Because 'a stopped instance removes its filter'
        Tables 2 | Should -Be @('table inet vrrpps_noaccept_VI_NOACC') -Because (Why)
        @(Invoke-VrrpLabClientPing $h '198.51.100.100' -Count 2) | Should -Not -Contain 'Success' -Because (Why)
    }

    It 'Stop-VrrpInstance on the last Master removes its filter, so nothing stays behind' {
        Stop-VrrpLabNode $h 2
        Tables 2 | Should -BeNullOrEmpty -Because (Why)
    }
}

# virtual_ipaddress_excluded in a lab, next to real keepalived: one keepalived.conf (VRRPv2, IPv4 VIP,
# an IPv6 address and a second IPv4 address excluded) runs on keepalived (node 1, priority 100) and on
# VrrpPS (node 2, priority 150, through Import-KeepalivedConfig). The Master holds all three addresses;
# the adverts carry the VIP only, which keepalived checks against its own virtual_ipaddress list.
BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSupport.ps1')
    $script:h = New-TestLab -Nodes 2
    $extra = @('virtual_ipaddress_excluded {', '    2001:db8::100/64', '    198.51.100.200/24', '}')
    $conf = New-KeepalivedLabConfig -Priority 100 -Version 2 -AdvertisementInterval 1 -Extra $extra
    $script:VrrpPSConf = Join-Path $h.Dir 'n2-excluded.conf'
    Set-Content -Path $VrrpPSConf -Value ($conf -replace 'priority 100', 'priority 150') -NoNewline
    $script:Addresses = '198.51.100.100', '2001:db8::100', '198.51.100.200'
    try {
        $null = Start-KeepalivedLabNode $h 1 $conf
        $null = Start-VrrpLabNode $h 2 @{} -ConfigPath $VrrpPSConf
    }
    catch { Remove-VrrpLab $h; throw }
    function Why { "`nnode logs (n1 = keepalived, n2 = VrrpPS):`n$(Get-VrrpLabLog $h)" }
    function Held([int] $Node) { $Addresses | Where-Object { Get-VrrpLabVip $h $Node -Address $_ } }
}

AfterAll {
    if ($script:h) { Remove-VrrpLab $script:h }
}

Describe 'virtual_ipaddress_excluded (keepalived semantics)' -Tag Lab {
    It 'the VrrpPS Master holds the VIP and the excluded addresses, keepalived the Backup holds none' {
        (Wait-VrrpLabState $h 2 Master -Timeout 15).State | Should -Be 'Master' -Because (Why)
        $deadline = [DateTime]::UtcNow.AddSeconds(5)
        while (@(Held 2).Count -lt 3 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        Held 2 | Should -Be $Addresses
        Held 1 | Should -BeNullOrEmpty
        (Get-VrrpLabState $h 2).ExcludedIPAddress | Should -Be @('2001:db8::100/64', '198.51.100.200/24')
    }

    It 'advertises the VIP only: keepalived accepts the adverts without an address-list complaint' {
        Start-Sleep -Seconds 3   # three adverts at 1 s
        $log = Get-Content (Join-Path $h.Dir 'n1.log') -Raw
        # keepalived 2.2.7 says "received an unexpected ip number count 2, expected 1!" and takes Master when the lists differ.
        $log | Should -Not -Match 'unexpected ip number count|not present in MASTER advert|bogus VRRP packet' -Because (Why)
        # keepalived may have been Master before VrrpPS came up; now it must follow the VrrpPS Master.
        $states = [regex]::Matches($log, 'Entering (\w+) STATE') | ForEach-Object { $_.Groups[1].Value }
        $states[-1] | Should -Be 'BACKUP' -Because (Why)
    }

    It 'moves every address to keepalived when VrrpPS stops, and VrrpPS keeps none' {
        Stop-VrrpLabNode $h 2
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while (@(Held 1).Count -lt 3 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        Held 1 | Should -Be $Addresses -Because (Why)
        Held 2 | Should -BeNullOrEmpty
    }
}

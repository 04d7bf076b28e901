# virtual_routes and virtual_rules next to real keepalived: one keepalived.conf runs on keepalived (node 1,
# priority 100) and on VrrpPS (node 2, priority 150). The Master installs the route and the rule (seen with
# `ip route` / `ip rule`), the Backup has neither; when VrrpPS stops they move to keepalived and leave node 2.
BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSupport.ps1')
    $script:h = New-TestLab -Nodes 2
    $extra = @('virtual_routes {', '    198.18.0.0/16 via 198.51.100.254 dev eth0', '    blackhole 198.19.1.0/24', '}',
               'virtual_rules {', '    from 198.51.100.100 table 100 preference 1000', '}')
    $conf = New-KeepalivedLabConfig -Priority 100 -AdvertisementInterval 1 -Extra $extra
    Start-KeepalivedVrrpPSPair $h $conf
    function Why { "`nnode logs (n1 = keepalived, n2 = VrrpPS):`n$(Get-VrrpLabLog $h)" }
    # The route and rule lines as `ip` prints them, the proto included: both implementations mark theirs proto keepalived.
    function Installed([int] $Node) {
        $ns = $h.Lab.NodeNamespace($Node)
        $r = @($h.Lab.Exec($ns, 'ip', 'route', 'show', 'table', 'all').StandardOutput -split "`n" | Where-Object { $_ -match '^(blackhole )?198\.1[89]\.' })
        $r += @($h.Lab.Exec($ns, 'ip', 'rule', 'show').StandardOutput -split "`n" | Where-Object { $_ -match '198\.51\.100\.100' })
        @($r | ForEach-Object { ($_ -replace '\s+', ' ').Trim() } | Sort-Object)
    }
    $script:Expected = @('1000: from 198.51.100.100 lookup 100 proto keepalived', '198.18.0.0/16 via 198.51.100.254 dev eth0 proto keepalived',
        'blackhole 198.19.1.0/24 proto keepalived')
}

AfterAll {
    if ($script:h) { Remove-VrrpLab $script:h }
}

Describe 'virtual_routes and virtual_rules (keepalived semantics)' -Tag Lab {
    It 'the VrrpPS Master installs the route, the blackhole route and the rule; keepalived the Backup has none' {
        $deadline = [DateTime]::UtcNow.AddSeconds(5)
        while (@(Installed 2).Count -lt 3 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        Installed 2 | Should -Be $Expected -Because (Why)
        Installed 1 | Should -BeNullOrEmpty
    }

    It 'keepalived installs the same routes and rule when VrrpPS stops, and VrrpPS leaves none behind' {
        Stop-VrrpLabNode $h 2
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while (@(Installed 1).Count -lt 3 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        Installed 1 | Should -Be $Expected -Because (Why)
        Installed 2 | Should -BeNullOrEmpty
    }
}

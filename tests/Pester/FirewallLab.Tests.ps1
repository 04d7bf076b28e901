# Issue 7's end-to-end proof with real VrrpPS engines: a host firewall that drops IP protocol 112
# (the usual `policy drop` input chain) gives every node the VIP (split brain); Invoke-FirewallVrrpRule
# on each node restores a single master; -Remove brings the split brain back. With -Peer, a node
# outside the peer list is not heard. Everything runs in the lab's namespaces only.
BeforeAll {
    Import-Module $env:VRRPPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot '../../tools/VrrpLab.psm1') -Force
    $script:Pwsh = Join-Path $PSHOME 'pwsh'
    $script:Instance = @{ Name = 'VI_1'; Interface = 'eth0'; VirtualRouterId = 61; VirtualIPAddress = '198.51.100.100/24'; AdvertisementInterval = 0.1 }
    # v3, 100 ms, priority 100: Master_Down_Interval = 300 + 156*100/256 = 360.9 ms; + one interval of
    # phase + 150 ms scheduling slack on this shared 2-core host.
    $script:Bound = 0.611

    function Set-UserDropFirewall([int] $Node) {
        # The issue's shape: a user inet filter input chain with policy drop (nothing VrrpPS made).
        # No `ct state established accept`: with it, unicast VRRP between two nodes that both send
        # passes as conntrack "replies" and the drop would not be unconditional.
        $rules = "table inet filter {`n chain input {`n  type filter hook input priority 0; policy drop;`n  iif lo accept`n }`n}`n"
        $file = Join-Path $H.Dir "n$Node-nft.conf"
        Set-Content -Path $file -Value $rules -NoNewline
        $r = $H.Lab.Exec($H.Lab.NodeNamespace($Node), 'nft', '-f', $file)
        $r.ExitCode | Should -Be 0 -Because $r.StandardError
    }

    function Invoke-RuleInNode([int] $Node, [string] $Extra = '') {
        $r = $H.Lab.Exec($H.Lab.NodeNamespace($Node), $script:Pwsh, '-NoProfile', '-NonInteractive', '-Command',
            "`$ErrorActionPreference='Stop'; Import-Module '$env:VRRPPS_MODULE_PATH'; Invoke-FirewallVrrpRule -Provider Nftables -Interface eth0 $Extra -PassThru -Confirm:`$false | ConvertTo-Json -Compress -EnumsAsStrings")
        $r.ExitCode | Should -Be 0 -Because $r.StandardError
        $r.StandardOutput | ConvertFrom-Json
    }

    function Get-Masters {
        # Running nodes (control socket present) that are Master.
        @(1..$H.Lab.NodeCount | Where-Object { (Test-Path (Get-VrrpLabSocket $H $_)) -and (Get-VrrpLabState $H $_).State -eq 'Master' })
    }

    function Wait-Masters([int] $Count, [double] $Seconds) {
        $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
        do { $m = Get-Masters; if ($m.Count -eq $Count) { return $m }; Start-Sleep -Milliseconds 20 } while ([DateTime]::UtcNow -lt $deadline)
        $m
    }
}

Describe 'Invoke-FirewallVrrpRule against a policy-drop host firewall, proven by VRRP elections' -Tag 'Lab' {
    BeforeAll { $script:H = New-VrrpLab -Nodes 3 -ModulePath $env:VRRPPS_MODULE_PATH }
    AfterAll {
        if ($script:H) {
            $tag = $H.Lab.Tag
            Remove-VrrpLab $script:H
            @([VrrpPS.Lab.NamespaceLab]::ListNamespaces() | Where-Object { $_ -like "$tag-*" }).Count | Should -Be 0
        }
    }

    It 'multicast: policy drop ⇒ split brain; the rule ⇒ one master; -Remove ⇒ split brain again' {
        Set-UserDropFirewall 1; Set-UserDropFirewall 2
        $null = Start-VrrpLabNode $H 1 ($Instance + @{ Priority = 150 })
        $null = Start-VrrpLabNode $H 2 ($Instance + @{ Priority = 100 })
        (Wait-Masters 2 3).Count | Should -Be 2 -Because 'each node drops the other''s adverts, so both take the VIP'
        @(Get-VrrpLabMasterNode $H).Count | Should -Be 2

        $r1 = Invoke-RuleInNode 1
        $r2 = Invoke-RuleInNode 2
        $r1.Changed | Should -BeTrue
        $r2.Provider | Should -Be 'Nftables'
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $m = Wait-Masters 1 5
        $m | Should -Be @(1)
        # Node 2 hears node 1's higher priority at once and steps down (RFC 5798 §6.4.3) — well within the bound.
        $sw.Elapsed.TotalSeconds | Should -BeLessThan $Bound
        Start-Sleep -Milliseconds 800
        Get-Masters | Should -Be @(1) -Because 'the single master is stable'
        @(Get-VrrpLabMasterNode $H) | Should -Be @(1)

        (Invoke-RuleInNode 1).Changed | Should -BeFalse -Because 'a second run adds nothing (idempotent)'

        (Invoke-RuleInNode 1 '-Remove').Changed | Should -BeTrue
        (Invoke-RuleInNode 2 '-Remove').Changed | Should -BeTrue
        (Wait-Masters 2 3).Count | Should -Be 2 -Because 'without the accept rule the drop policy splits the cluster again'
        Stop-VrrpLabNode $H 1; Stop-VrrpLabNode $H 2
    }

    It 'unicast with -Peer: the peers elect one master, a third node outside the peer list is not heard' {
        foreach ($n in 1..3) { Stop-VrrpLabNode $H $n } # whatever the previous test left
        Set-UserDropFirewall 3
        $a = $H.Lab.NodeAddresses(1)[0] -replace '/.*'; $b = $H.Lab.NodeAddresses(2)[0] -replace '/.*'; $c = $H.Lab.NodeAddresses(3)[0] -replace '/.*'
        $null = Start-VrrpLabNode $H 1 ($Instance + @{ Priority = 150; UnicastPeer = @($b, $c); UnicastSourceAddress = $a })
        $null = Start-VrrpLabNode $H 2 ($Instance + @{ Priority = 100; UnicastPeer = @($a, $c); UnicastSourceAddress = $b })
        $null = Start-VrrpLabNode $H 3 ($Instance + @{ Priority = 200; UnicastPeer = @($a, $b); UnicastSourceAddress = $c })
        # Nodes 1 and 2 still drop everything (rules removed above); node 3 drops too.
        (Wait-Masters 3 3).Count | Should -Be 3
        foreach ($n in 1, 2) { (Invoke-RuleInNode $n "-Peer $(@($a, $b) | Where-Object { $_ -ne ($H.Lab.NodeAddresses($n)[0] -replace '/.*') })").Changed | Should -BeTrue }
        (Invoke-RuleInNode 3 "-Peer $a,$b").Changed | Should -BeTrue
        $null = Wait-Masters 2 5
        Start-Sleep -Milliseconds 800
        # Nodes 1 and 2 accept VRRP only from each other, so node 3 (priority 200, which the engines'
        # own peer lists would accept) is never heard there: node 1 wins between them. If node 3's
        # adverts got through, both would follow node 3.
        (Get-VrrpLabState $H 1).State | Should -Be 'Master'
        (Get-VrrpLabState $H 2).State | Should -Be 'Backup'
        (Get-VrrpLabState $H 2).MasterAddress | Should -Be $a
        (Get-VrrpLabState $H 3).State | Should -Be 'Master' -Because 'node 3 hears 150 from node 1 and keeps its higher 200'
        foreach ($n in 1..3) { Stop-VrrpLabNode $H $n }
    }
}

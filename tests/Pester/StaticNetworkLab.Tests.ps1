# static_ipaddress / static_routes / static_rules next to real keepalived: one keepalived.conf runs on keepalived
# (node 1, Backup) and on VrrpPS (node 2, Master). keepalived 2.2.7 (checked in a namespace) installs the static
# entries at start whatever the VRRP state, reconciles them on SIGHUP (new ones added, dropped ones removed, the
# rest untouched) and removes them at stop; an unknown interface stops it from starting at all. VrrpPS must leave
# the same `ip addr` / `ip route` / `ip rule` lines (an address already present at start included).
BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSupport.ps1')
    . (Join-Path $PSScriptRoot 'DaemonSupport.ps1')
    function StaticText([string] $Host4, [string] $Blackhole, [string] $RuleTo) {
        @"
static_ipaddress {
    $Host4 dev lo scope host
    2001:db8:5::1/128 dev lo
}
static_routes {
    198.18.0.0/16 via 198.51.100.254 dev eth0
    blackhole $Blackhole
    blackhole 2001:db8:6::/48
}
static_rules {
    from 203.0.113.5 table 100 preference 1000
    to $RuleTo table 101 priority 1001
    from 2001:db8:5::1 table 102 preference 1002
}
"@
    }
    $script:h = New-TestLab -Nodes 2
    $script:conf = (New-KeepalivedLabConfig -Priority 100 -AdvertisementInterval 1) + (StaticText '203.0.113.5/32' '198.19.1.0/24' '198.18.5.0/24')
    # One static address is already there before start (as an admin may have left it): keepalived leaves it at
    # start and still removes it at stop, like every other static address.
    foreach ($n in 1, 2) { $null = $h.Lab.Exec($h.Lab.NodeNamespace($n), 'ip', 'addr', 'add', '203.0.113.5/32', 'dev', 'lo', 'scope', 'host') }
    # The admin's own route and rule, identical to a static entry, are there before start too. keepalived adds
    # its own entry next to each (marked proto keepalived) and at stop removes only its own: the admin's stay.
    $script:AdminEntries = @('198.18.0.0/16 via 198.51.100.254 dev eth0', '1000: from 203.0.113.5 lookup 100')
    foreach ($n in 1, 2) {
        $ns = $h.Lab.NodeNamespace($n)
        $null = $h.Lab.Exec($ns, 'ip', 'route', 'add', '198.18.0.0/16', 'via', '198.51.100.254', 'dev', 'eth0')
        $null = $h.Lab.Exec($ns, 'ip', 'rule', 'add', 'from', '203.0.113.5', 'table', '100', 'preference', '1000')
    }
    Start-KeepalivedVrrpPSPair $h $conf
    function Why { "`nnode logs (n1 = keepalived, n2 = VrrpPS):`n$(Get-VrrpLabLog $h)" }
    # The static entries as `ip` prints them, the proto included (keepalived marks its own as proto keepalived).
    function Installed([int] $Node) {
        $ns = $h.Lab.NodeNamespace($Node)
        $lines = @()
        foreach ($f in '-4', '-6') {
            $lines += @($h.Lab.Exec($ns, 'ip', $f, '-o', 'addr', 'show', 'dev', 'lo').StandardOutput -split "`n" |
                Where-Object { $_ -match '203\.0\.113\.|2001:db8:5::' } | ForEach-Object { ($_ -replace '^\d+:\s+', '' -replace '\\.*$', '') })
            $lines += @($h.Lab.Exec($ns, 'ip', $f, 'route', 'show', 'table', 'all').StandardOutput -split "`n" | Where-Object { $_ -match '198\.1[89]\.|2001:db8:6:' })
            $lines += @($h.Lab.Exec($ns, 'ip', $f, 'rule', 'show').StandardOutput -split "`n" | Where-Object { $_ -match 'lookup 10[0-2]' })
        }
        @($lines | ForEach-Object { ($_ -replace '\s+', ' ').Trim() } | Where-Object { $_ } | Sort-Object)
    }
    function Wait-Installed([int] $Node, [string[]] $Expected, [double] $Timeout = 10) {
        $deadline = [DateTime]::UtcNow.AddSeconds($Timeout)
        while ([DateTime]::UtcNow -lt $deadline -and (Compare-Object @(Installed $Node) $Expected)) { Start-Sleep -Milliseconds 100 }
        Installed $Node
    }
    $script:Expected = @(
        '1000: from 203.0.113.5 lookup 100 proto keepalived', '1001: from all to 198.18.5.0/24 lookup 101 proto keepalived',
        '1002: from 2001:db8:5::1 lookup 102 proto keepalived',
        '198.18.0.0/16 via 198.51.100.254 dev eth0 proto keepalived', 'blackhole 198.19.1.0/24 proto keepalived',
        'blackhole 2001:db8:6::/48 dev lo proto keepalived metric 1024 pref medium',
        'lo inet 203.0.113.5/32 scope host lo', 'lo inet6 2001:db8:5::1/128 scope global nodad deprecated') + $AdminEntries | Sort-Object
}

AfterAll {
    if ($script:h) { Remove-VrrpLab $script:h }
}

Describe 'static_ipaddress, static_routes and static_rules (keepalived semantics)' -Tag Lab {
    It 'VrrpPS (Master) installs at start exactly what keepalived (Backup) installs' {
        Wait-Installed 1 $Expected | Should -Be $Expected -Because "keepalived itself: $(Why)"
        Wait-Installed 2 $Expected | Should -Be $Expected -Because (Why)
        (Get-VrrpLabState $h 2).State | Should -Be 'Master'
    }

    It 'reconciles them on SIGHUP like keepalived: a changed line is replaced, the others stay' {
        $new = (New-KeepalivedLabConfig -Priority 100 -AdvertisementInterval 1) + (StaticText '203.0.113.6/32' '198.19.2.0/24' '198.18.6.0/24')
        Set-Content -Path (Join-Path $h.Dir 'n1-keepalived.conf') -Value $new -NoNewline
        Set-Content -Path (Join-Path $h.Dir 'n2-pair.conf') -Value ($new -replace 'priority 100\n', "priority 150`n") -NoNewline
        Send-DaemonSignal $h 1 HUP
        Send-DaemonSignal $h 2 HUP
        $reloaded = @($Expected | Where-Object { $_ -notin $AdminEntries }) -replace '203\.0\.113\.5/32', '203.0.113.6/32' -replace '198\.19\.1\.0', '198.19.2.0' -replace '198\.18\.5\.0', '198.18.6.0'
        $reloaded = @($reloaded + $AdminEntries | Sort-Object)
        Wait-Installed 1 $reloaded | Should -Be $reloaded -Because "keepalived itself: $(Why)"
        Wait-Installed 2 $reloaded | Should -Be $reloaded -Because (Why)
        (Get-VrrpLabState $h 2).State | Should -Be 'Master'
    }

    It 'removes them at stop, as keepalived does, and leaves the admin''s identical route and rule alone' {
        Stop-VrrpLabNode $h 2
        $h.Processes['n2'].HasExited | Should -BeTrue
        Installed 2 | Should -Be ($AdminEntries | Sort-Object) -Because (Why)
        Stop-KeepalivedLabNode $h 1
        Installed 1 | Should -Be ($AdminEntries | Sort-Object) -Because "keepalived itself: $(Why)"
        foreach ($n in 1, 2) {
            $ns = $h.Lab.NodeNamespace($n)
            $null = $h.Lab.Exec($ns, 'ip', 'route', 'del', '198.18.0.0/16', 'via', '198.51.100.254', 'dev', 'eth0')
            $null = $h.Lab.Exec($ns, 'ip', 'rule', 'del', 'from', '203.0.113.5', 'table', '100', 'preference', '1000')
        }
    }
}

Describe 'static entries: bad input and the in-process engine' -Tag Lab {
    BeforeAll {
        function Invoke-InNode([int] $Node, [string] $Script) {
            # A short-lived pwsh in the node's namespace. Not Lab.Exec: its 15 s limit is less than a pwsh start-up
            # takes on this shared 2-core machine at its worst; no timing is asserted here, the wait is only bounded.
            $log = Join-Path $h.Dir "inproc-$([guid]::NewGuid().ToString('N')).log"
            $p = $h.Lab.StartLoggedProcess($h.Lab.NodeNamespace($Node), $log, (Join-Path $PSHOME 'pwsh'), '-NoProfile', '-NonInteractive', '-Command',
                "`$ErrorActionPreference='Stop'; Import-Module '$env:VRRPPS_MODULE_PATH'; $Script`n'END-OF-RUN'")
            if (-not $p.WaitForExit(90000)) { $p.Kill($true); throw "pwsh in node $Node did not finish in 90 s: $(Get-Content $log -Raw)" }
            $deadline = [DateTime]::UtcNow.AddSeconds(5)   # the log is written by a pump task: its last lines may trail the exit
            while (-not ((Get-Content $log -Raw) -match 'END-OF-RUN') -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            [pscustomobject]@{ Exit = $p.ExitCode; Out = (Get-Content $log -Raw) }
        }
    }

    It 'an unknown interface stops the start with file:line, and nothing is installed (keepalived refuses to start too)' {
        $bad = Join-Path $h.Dir 'bad.conf'
        $text = $conf -replace '198\.18\.0\.0/16 via 198\.51\.100\.254 dev eth0', '198.18.0.0/16 via 198.51.100.254 dev nosuch0'
        Set-Content -Path $bad -Value $text -NoNewline
        $line = ($text -split "`n").IndexOf(($text -split "`n" | Where-Object { $_ -match 'nosuch0' })) + 1
        $r = Invoke-InNode 2 "try { Import-KeepalivedConfig '$bad' | Start-VrrpInstance } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }; 'instances=' + @(Get-VrrpState).Count"
        $r.Out | Should -Match 'VrrpStaticInterfaceNotFound,VrrpPS\.Cmdlets\.StartVrrpInstanceCommand'
        $r.Out | Should -Match ([regex]::Escape("bad.conf:$line"))
        $r.Out | Should -Match 'nosuch0'
        $r.Out | Should -Match 'instances=0'
        Installed 2 | Should -BeNullOrEmpty
    }

    It 'Start-VrrpInstance without -Wait installs them in its engine; they go when the engine stops (Remove-Module)' {
        $file = Join-Path $h.Dir 'inproc.conf'
        Set-Content -Path $file -Value $conf -NoNewline
        $r = Invoke-InNode 2 @"
Import-KeepalivedConfig '$file' | Start-VrrpInstance
'held=' + [bool](ip -o -4 addr show dev lo | Select-String '203.0.113.5/32')
Stop-VrrpInstance -Name VI_1
'afterstop=' + [bool](ip -o -4 addr show dev lo | Select-String '203.0.113.5/32')
Remove-Module VrrpPS
'removed=' + [bool](ip -o -4 addr show dev lo | Select-String '203.0.113.5/32')
"@
        $r.Out | Should -Match 'held=True' -Because $r.Out
        $r.Out | Should -Match 'afterstop=True' -Because 'statics belong to the engine (keepalived: the daemon), not to an instance'
        $r.Out | Should -Match 'removed=False' -Because $r.Out
        Installed 2 | Should -BeNullOrEmpty
    }
}

Describe 'static blocks round-trip through Import/Export' {
    It 'Import-KeepalivedConfig emits them and Export-KeepalivedConfig writes them back' {
        $file = Join-Path $h.Dir 'rt.conf'
        Set-Content -Path $file -Value $conf -NoNewline
        $objects = @(Import-KeepalivedConfig $file)
        @($objects | Where-Object { $_ -is [VrrpPS.Config.KeepalivedStaticConfig] }).Section | Should -Be @('static_ipaddress', 'static_routes', 'static_rules')
        $text = ($objects | Export-KeepalivedConfig) -join "`n"
        $text | Should -Match '(?s)static_routes \{\s+198\.18\.0\.0/16 via 198\.51\.100\.254 dev eth0\s+blackhole 198\.19\.1\.0/24'
        $text | Should -Match '(?s)static_rules \{\s+from 203\.0\.113\.5 table 100 preference 1000'
        $text | Should -Match '(?s)static_ipaddress \{\s+203\.0\.113\.5/32 dev lo scope host'
    }
}

# Lab (root): Watch-VrrpAdvertisement in a client namespace sees VrrpPS and keepalived adverts with
# the right fields, and -Summary flags a split brain (nft drop of IP protocol 112 on one node) and
# an interval mismatch (a hand-over between nodes with different advert_int).

BeforeAll {
    Import-Module $env:VRRPPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot '../../tools/VrrpLab.psm1') -Force
    $script:Pwsh = Join-Path $PSHOME 'pwsh'

    function Invoke-LabWatch($Harness, [string] $Arguments, [int] $TimeoutSeconds = 40) {
        # Runs Watch-VrrpAdvertisement inside the client namespace; returns the objects from JSON.
        $out = Join-Path $Harness.Dir "watch-$([guid]::NewGuid().ToString('n')).json"
        # A short first watch loads and compiles the capture path, then "<out>.started" marks the start of the real one
        # (Wait-LabWatchStarted): on a loaded machine pwsh's start alone can take seconds.
        $cmd = "Import-Module '$($Harness.ModulePath)'; `$null = Watch-VrrpAdvertisement -Interface eth0 -Duration 00:00:00.2; " +
               "Set-Content '$out.started' 1; @(Watch-VrrpAdvertisement -Interface eth0 $Arguments) | ConvertTo-Json -Depth 4 -AsArray | Set-Content '$out'"
        $p = $Harness.Lab.StartLoggedProcess($Harness.Lab.ClientNamespace, "$out.log", $script:Pwsh, '-NoProfile', '-NonInteractive', '-Command', $cmd)
        $p
        [pscustomobject]@{ Process = $p; Out = $out }
    }
    function Wait-LabWatchStarted($Job, [int] $TimeoutSeconds = 60) {
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
        while (-not (Test-Path "$($Job.Out).started")) {
            if ($Job.Process.HasExited -or [DateTime]::UtcNow -gt $deadline) { throw "Watch did not start: $(Get-Content "$($Job.Out).log" -Raw -ErrorAction Ignore)" }
            Start-Sleep -Milliseconds 50
        }
    }
    function Receive-LabWatch($Job, [int] $TimeoutSeconds = 40) {
        if (-not $Job.Process.WaitForExit($TimeoutSeconds * 1000)) { $Job.Process.Kill($true); throw 'Watch did not finish' }
        if (-not (Test-Path $Job.Out)) { throw "Watch failed: $(Get-Content "$($Job.Out).log" -Raw)" }
        Get-Content $Job.Out -Raw | ConvertFrom-Json
    }
}

Describe 'Watch-VrrpAdvertisement in a lab' -Tag Lab {
    BeforeAll {
        $h = New-VrrpLab -Nodes 3 -Client -ModulePath $env:VRRPPS_MODULE_PATH
    }
    AfterAll { if ($h) { Remove-VrrpLab $h } }

    It 'reports VrrpPS v3 and keepalived v2 adverts with their fields (RFC 5798 §5.1, RFC 3768 §5.1)' {
        $null = Start-VrrpLabNode $h 1 @{ Name = 'VI_1'; Interface = 'eth0'; VirtualRouterId = 51; Priority = 150; VirtualIPAddress = '198.51.100.100/24'; AdvertisementInterval = 0.1 }
        $null = Start-KeepalivedLabNode $h 3 (New-KeepalivedLabConfig -Name VK -VirtualRouterId 70 -Priority 200 -Version 2 -VirtualIPAddress '198.51.100.170/24' -AuthenticationPassword 'secret12')
        $null = Wait-VrrpLabState $h 1 Master -Timeout 10
        Start-Sleep -Seconds 4 # keepalived: Master_Down_Interval of 3 s + skew before it advertises
        $job = Invoke-LabWatch $h '-Duration 00:00:03' | Select-Object -Last 1
        $adverts = Receive-LabWatch $job
        $v3 = @($adverts | Where-Object VirtualRouterId -eq 51)
        $v3.Count | Should -BeGreaterThan 10
        $v3[0].Source | Should -Be '198.51.100.11'
        $v3[0].Version | Should -Be 3
        $v3[0].Priority | Should -Be 150
        $v3[0].Addresses | Should -Be @('198.51.100.100')
        $v3[0].ChecksumValid | Should -BeTrue
        $v3[0].ChecksumMode | Should -Be 0   # PseudoHeader, as keepalived/FRR send it
        $v3[0].Ttl | Should -Be 255
        $v3[0].Valid | Should -BeTrue
        $v2 = @($adverts | Where-Object VirtualRouterId -eq 70)
        $v2.Count | Should -BeGreaterThan 0
        $v2[0].Source | Should -Be '198.51.100.13'
        $v2[0].Version | Should -Be 2
        $v2[0].HasPassword | Should -BeTrue
        $v2[0].Password | Should -BeNullOrEmpty
        $v2[0].ChecksumValid | Should -BeTrue
        $v2[0].AdvertisementInterval.TotalSeconds | Should -Be 1
        Stop-KeepalivedLabNode $h 3
        Stop-VrrpLabNode $h 1
    }

    It '-Summary flags a split brain created by dropping VRRP on one node' {
        $ns2 = $h.Lab.NodeNamespace(2)
        $null = Start-VrrpLabNode $h 1 @{ Name = 'VI_1'; Interface = 'eth0'; VirtualRouterId = 52; Priority = 150; VirtualIPAddress = '198.51.100.101/24'; AdvertisementInterval = 0.1 }
        $null = Start-VrrpLabNode $h 2 @{ Name = 'VI_1'; Interface = 'eth0'; VirtualRouterId = 52; Priority = 100; VirtualIPAddress = '198.51.100.101/24'; AdvertisementInterval = 0.1 }
        $null = Wait-VrrpLabState $h 2 Backup -Timeout 10
        $h.Lab.Exec($ns2, 'nft', 'add', 'table', 'inet', 't').Succeeded | Should -BeTrue
        $h.Lab.Exec($ns2, 'nft', 'add', 'chain', 'inet', 't', 'in', '{ type filter hook input priority 0 ; }').Succeeded | Should -BeTrue
        $h.Lab.Exec($ns2, 'nft', 'add', 'rule', 'inet', 't', 'in', 'meta', 'l4proto', 'vrrp', 'drop').Succeeded | Should -BeTrue
        $null = Wait-VrrpLabState $h 2 Master -Timeout 10
        $job = Invoke-LabWatch $h '-Duration 00:00:02 -Summary -VirtualRouterId 52' | Select-Object -Last 1
        $s = Receive-LabWatch $job
        $s.Count | Should -Be 1
        $s[0].SplitBrain | Should -BeTrue -Because ($s[0].Findings -join " ")
        $s[0].MastersSeen | Sort-Object | Should -Be @('198.51.100.11', '198.51.100.12')
        $s[0].Findings -join ' ' | Should -Match 'split brain'
        $null = $h.Lab.Exec($ns2, 'nft', 'delete', 'table', 'inet', 't')
        Stop-VrrpLabNode $h 1; Stop-VrrpLabNode $h 2
    }

    It '-Summary flags an interval mismatch seen across a hand-over, without calling it split brain' {
        $null = Start-VrrpLabNode $h 1 @{ Name = 'VI_1'; Interface = 'eth0'; VirtualRouterId = 53; Priority = 150; VirtualIPAddress = '198.51.100.102/24'; AdvertisementInterval = 0.1 }
        $null = Start-VrrpLabNode $h 2 @{ Name = 'VI_1'; Interface = 'eth0'; VirtualRouterId = 53; Priority = 100; VirtualIPAddress = '198.51.100.102/24'; AdvertisementInterval = 0.3 }
        $null = Wait-VrrpLabState $h 1 Master -Timeout 10
        $job = Invoke-LabWatch $h '-Duration 00:00:06 -Summary -VirtualRouterId 53' | Select-Object -Last 1
        Wait-LabWatchStarted $job
        Start-Sleep -Seconds 1  # the watcher hears n1 (0.1 s) about 10 times
        Stop-VrrpLabNode $h 1   # graceful: n2 (0.3 s) takes over
        $s = Receive-LabWatch $job
        $s[0].IntervalMismatch | Should -BeTrue
        $s[0].SplitBrain | Should -BeFalse
        ($s[0].Speakers | Sort-Object Source).AdvertisementInterval.TotalSeconds | Should -Be @(0.1, 0.3)
        Stop-VrrpLabNode $h 2
    }

    It '-Summary flags an interval mismatch between two Masters advertising at the same time (VRRPv2)' {
        # RFC 3768 §7.1: a v2 router discards adverts whose interval differs from its own, so n1 (1 s)
        # and n2 (2 s) never hear each other and both advertise as Master at once.
        $null = Start-VrrpLabNode $h 1 @{ Name = 'VI_1'; Interface = 'eth0'; VirtualRouterId = 54; Version = 2; Priority = 150; VirtualIPAddress = '198.51.100.103/24'; AdvertisementInterval = 1 }
        $null = Start-VrrpLabNode $h 2 @{ Name = 'VI_1'; Interface = 'eth0'; VirtualRouterId = 54; Version = 2; Priority = 100; VirtualIPAddress = '198.51.100.103/24'; AdvertisementInterval = 2 }
        $null = Wait-VrrpLabState $h 1 Master -Timeout 10
        $null = Wait-VrrpLabState $h 2 Master -Timeout 15   # n2's Master_Down_Interval: 3 × 2 s + skew
        $job = Invoke-LabWatch $h '-Duration 00:00:06 -Summary -VirtualRouterId 54' | Select-Object -Last 1
        # 6 s: the split-brain rule needs two of n2's 2 s adverts bracketed by n1's (AdvertisementSummaryAnalyzer).
        $s = Receive-LabWatch $job
        $s.Count | Should -Be 1
        $s[0].IntervalMismatch | Should -BeTrue
        $s[0].SplitBrain | Should -BeTrue -Because ($s[0].Findings -join " ")
        $s[0].MastersSeen | Sort-Object | Should -Be @('198.51.100.11', '198.51.100.12')
        ($s[0].Speakers | Sort-Object Source).AdvertisementInterval.TotalSeconds | Should -Be @(1, 2)
        $s[0].Findings -join ' ' | Should -Match 'intervals differ'
        Stop-VrrpLabNode $h 1; Stop-VrrpLabNode $h 2
    }
}

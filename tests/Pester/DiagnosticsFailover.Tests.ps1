# Lab (root): Test-VrrpFailover live on a 3-node VrrpPS lab (run inside the Master node's own pwsh,
# where the instance lives), and -Lab sandboxes built from the how-to's configs (shared/seed, 10.x
# addresses mapped into 198.18.0.0/15) and from a deliberately broken set.

BeforeAll {
    Import-Module $env:VRRPPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot '../../tools/VrrpLab.psm1') -Force
    $script:Pwsh = Join-Path $PSHOME 'pwsh'
    $script:Master = @'
vrrp_instance Postgres_VIP {
state MASTER
interface ens18
virtual_router_id 51
priority 255
advert_int 1
unicast_src_ip 10.0.1.62
unicast_peer {
10.0.1.63
10.0.1.64
}
authentication {
auth_type PASS
auth_pass PostgresReplication
}
virtual_ipaddress {
10.0.2.100/8
}
}
'@
    $script:Backup = $Master -replace 'state MASTER', 'state BACKUP' -replace 'priority 255', 'priority 254' -replace '(?s)unicast_src_ip.*?\}\n', ''
    $script:Dir = (New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "vrrpps-fo-$([guid]::NewGuid().ToString('n'))")).FullName
    function Write-Conf([string] $Name, [string] $Text) { $p = Join-Path $Dir $Name; Set-Content -Path $p -Value $Text; $p }
    # Tracked master (150) over a backup (100): chk_svc is the check the sandbox fails; chk_gw probes
    # something absent from the lab and is pinned to pass with -TrackOverride.
    $script:Tracked = @'
vrrp_script chk_svc {
script "/usr/local/bin/check_svc"
interval 1
fall 2
weight -60
}
vrrp_script chk_gw {
script "/usr/local/bin/check_gw"
interval 1
weight -60
}
vrrp_instance VI_T {
state MASTER
interface eth0
virtual_router_id 61
priority 150
advert_int 1
virtual_ipaddress {
10.0.2.100/8
}
track_script {
chk_svc
chk_gw
}
}
'@
    $script:TrackedBackup = $Tracked -replace 'state MASTER', 'state BACKUP' -replace 'priority 150', 'priority 100'
}
AfterAll { Remove-Item $Dir -Recurse -Force -ErrorAction Ignore }

Describe 'Test-VrrpFailover live' -Tag Lab {
    BeforeAll { $h = New-VrrpLab -Nodes 3 -ModulePath $env:VRRPPS_MODULE_PATH }
    AfterAll { if ($h) { Remove-VrrpLab $h } }

    It 'hands over within Skew_Time and comes back within Master_Down_Interval (RFC 5798 §6.4.2, §6.1)' {
        foreach ($n in 2, 3) {
            $null = Start-VrrpLabNode $h $n @{ Name = 'VI_1'; Interface = 'eth0'; VirtualRouterId = 51; Priority = (200 - 50 * $n); VirtualIPAddress = '198.51.100.100/24'; AdvertisementInterval = 0.1 }
        }
        $out = Join-Path $h.Dir 'live.json'
        $cmd = "`$ErrorActionPreference='Stop'; Import-Module '$($h.ModulePath)'; " +
            "Start-VrrpInstance -Name VI_1 -Interface eth0 -VirtualRouterId 51 -Priority 150 -VirtualIPAddress 198.51.100.100/24 -AdvertisementInterval 0.1; " +
            "`$null = Wait-VrrpState -Name VI_1 -State Master -Timeout 10; " +
            "Test-VrrpFailover -Name VI_1 -Confirm:`$false -ProgressAction SilentlyContinue | ConvertTo-Json -AsArray | Set-Content '$out'; Stop-VrrpInstance -Name VI_1"
        $p = $h.Lab.StartLoggedProcess($h.Lab.NodeNamespace(1), (Join-Path $h.Dir 'live.log'), $script:Pwsh, '-NoProfile', '-NonInteractive', '-Command', $cmd)
        $p.WaitForExit(60000) | Should -BeTrue
        if (-not (Test-Path $out)) { throw (Get-Content (Join-Path $h.Dir 'live.log') -Raw) }
        $r = Get-Content $out -Raw | ConvertFrom-Json
        $r.Count | Should -Be 2
        $r[0].Scenario | Should -Be 'Release'
        $r[0].To | Should -Be '198.51.100.12'   # priority 100 beats 50
        $r[0].Passed | Should -BeTrue -Because $r[0].Details
        # Bound: Skew_Time for priority 100 at 100 ms = 156/256 × 100 ms.
        $r[0].Bound.TotalMilliseconds | Should -BeGreaterThan 60
        $r[0].Bound.TotalMilliseconds | Should -BeLessThan 61
        $r[1].Scenario | Should -Be 'Restore'
        $r[1].To | Should -Be '198.51.100.11'
        $r[1].Passed | Should -BeTrue -Because $r[1].Details
    }
}

Describe 'Test-VrrpFailover live, VrrpPS Master with a keepalived Backup' -Tag Lab {
    BeforeAll {
        function Invoke-MixedFailover([double] $KeepalivedInterval) {
            # VrrpPS (150, 100 ms) on node 1 runs the test; real keepalived (100) is the Backup on node 2.
            $h = New-VrrpLab -Nodes 2 -ModulePath $env:VRRPPS_MODULE_PATH
            try {
                $null = Start-KeepalivedLabNode $h 2 (New-KeepalivedLabConfig -Priority 100 -VirtualRouterId 51 -AdvertisementInterval $KeepalivedInterval)
                $out = Join-Path $h.Dir 'mixed.json'
                $cmd = "`$ErrorActionPreference='Stop'; Import-Module '$($h.ModulePath)'; " +
                    "Start-VrrpInstance -Name VI_1 -Interface eth0 -VirtualRouterId 51 -Priority 150 -VirtualIPAddress 198.51.100.100/24 -AdvertisementInterval 0.1; " +
                    "`$null = Wait-VrrpState -Name VI_1 -State Master -Timeout 10; Start-Sleep -Milliseconds 500; " +
                    "Test-VrrpFailover -Name VI_1 -Confirm:`$false -ProgressAction SilentlyContinue | ConvertTo-Json -AsArray | Set-Content '$out'; Stop-VrrpInstance -Name VI_1"
                $p = $h.Lab.StartLoggedProcess($h.Lab.NodeNamespace(1), (Join-Path $h.Dir 'mixed.log'), $script:Pwsh, '-NoProfile', '-NonInteractive', '-Command', $cmd)
                $p.WaitForExit(60000) | Should -BeTrue
                if (-not (Test-Path $out)) { throw (Get-Content (Join-Path $h.Dir 'mixed.log') -Raw) }
                Get-Content $out -Raw | ConvertFrom-Json
            }
            finally { Remove-VrrpLab $h }
        }
    }

    It 'hands over to keepalived within Skew_Time and preempts back (RFC 5798 §6.4.2)' {
        $r = Invoke-MixedFailover 0.1
        $r[0].Scenario | Should -Be 'Release'
        $r[0].To | Should -Be '198.51.100.12'
        $r[0].Passed | Should -BeTrue -Because $r[0].Details
        $r[0].Elapsed.TotalMilliseconds | Should -BeLessOrEqual ($r[0].Bound.TotalMilliseconds + $r[0].Tolerance.TotalMilliseconds)
        $r[1].Scenario | Should -Be 'Restore'
        $r[1].Passed | Should -BeTrue -Because $r[1].Details
    }

    It 'fails and names the advert_int mismatch when keepalived advertises every 1 s against 100 ms' {
        # keepalived (v3) follows the Master's 100 ms as Backup, then advertises its own 1 s as Master.
        $r = Invoke-MixedFailover 1
        $r[0].Scenario | Should -Be 'Release'
        $r[0].To | Should -Be '198.51.100.12'
        $r[0].Passed | Should -BeFalse
        $r[0].Details | Should -Match 'interval mismatch: 198\.51\.100\.12 advertises VRID 51 every 1 s, this node every 0\.1 s'
    }
}

Describe 'Test-VrrpFailover -Lab' -Tag Lab {
    It 'passes the how-to''s master/backup configs with their 10.x addresses mapped into the lab range' {
        # The how-to: a backup is "mostly identical to the master node" with its own addresses, so each
        # backup is unicast too (src = its own address, peers = the others). Its printed backup block,
        # multicast against a unicast master, splits brain on keepalived 2.2.7 as well (a multicast
        # instance ignores unicast adverts); Test-VrrpConfig reports that as UnicastPeerMismatch.
        function Get-UnicastBackup([string] $Src, [string[]] $Peers, [int] $Priority) {
            $Master -replace 'state MASTER', 'state BACKUP' -replace 'priority 255', "priority $Priority" `
                -replace 'unicast_src_ip 10\.0\.1\.62', "unicast_src_ip $Src" -replace '(?s)unicast_peer \{.*?\}', "unicast_peer {`n$($Peers -join "`n")`n}"
        }
        $files = (Write-Conf n1.conf $Master), (Write-Conf n2.conf (Get-UnicastBackup 10.0.1.63 10.0.1.62, 10.0.1.64 254)),
            (Write-Conf n3.conf (Get-UnicastBackup 10.0.1.64 10.0.1.62, 10.0.1.63 253))
        $r = Test-VrrpFailover -Lab -Path $files -Scenario MasterCrash, GracefulStop -Confirm:$false -ProgressAction SilentlyContinue
        $r.Scenario | Should -Be @('Election', 'MasterCrash', 'GracefulStop')
        $r[0].Details | Should -Match '10\.0\.2\.100 -> 198\.18\.2\.100'
        foreach ($x in $r) { $x.Passed | Should -BeTrue -Because $x.Details }
        $r[1].To | Should -Be 'n2'
        $r[1].Elapsed | Should -BeLessOrEqual ($r[1].Bound + $r[1].Tolerance)
    }

    It 'fails with the cause named when two nodes have priority 255' {
        $files = (Write-Conf a1.conf $Master), (Write-Conf a2.conf ($Backup -replace 'priority 254', 'priority 255'))
        $r = Test-VrrpFailover -Lab -Path $files -Scenario GracefulStop -Confirm:$false -ProgressAction SilentlyContinue
        $r[0].Scenario | Should -Be 'Election'
        $r[0].Passed | Should -BeFalse
        $r[0].Details | Should -Match 'n1 and n2 have the same priority 255'
    }

    It 'fails MasterReturn with the cause named when nopreempt sits on the highest-priority node' {
        # Both multicast (the seed's backups have no unicast_peer, so a unicast master would not hear them).
        $hi = $Backup -replace 'priority 254', "priority 150`nnopreempt"
        $files = (Write-Conf b1.conf $hi), (Write-Conf b2.conf ($Backup -replace 'priority 254', 'priority 100'))
        $r = Test-VrrpFailover -Lab -Path $files -Scenario MasterReturn -Confirm:$false -ProgressAction SilentlyContinue
        $ret = $r | Where-Object Scenario -eq 'MasterReturn'
        $ret.Passed | Should -BeFalse
        $ret.ExpectedTo | Should -Be 'n1'
        $ret.Details | Should -Match 'n1 has the highest priority \(150\) but nopreempt'
    }

    It 'moves the VIP when a tracked script fails on the Master, within fall × interval + timeout + Master_Down_Interval' {
        $files = (Write-Conf t1.conf $Tracked), (Write-Conf t2.conf $TrackedBackup)
        $r = Test-VrrpFailover -Lab -Path $files -Scenario TrackFailure -TrackOverride @{ chk_gw = 'pass' } -Confirm:$false -ProgressAction SilentlyContinue
        $t = $r | Where-Object Scenario -eq 'TrackFailure'
        $t.From | Should -Be 'n1'
        $t.To | Should -Be 'n2'
        $t.Passed | Should -BeTrue -Because $t.Details
        # chk_svc: fall 2 × 1 s + timeout (defaults to the interval) 1 s; v2 MDI for priority 100 at 1 s = 3 + 156/256 s.
        $t.Bound.TotalMilliseconds | Should -Be 6609.375
        $t.Elapsed | Should -BeLessOrEqual ($t.Bound + $t.Tolerance)
    }

    It 'fails TrackFailure and names the weight when master 150 with weight -20 can never drop below backup 100' {
        $weak = ([regex] 'weight -60').Replace($Tracked, 'weight -20', 1)   # chk_svc only
        $files = (Write-Conf w1.conf $weak), (Write-Conf w2.conf $TrackedBackup)
        $r = Test-VrrpFailover -Lab -Path $files -Scenario TrackFailure -TrackOverride @{ chk_gw = 'pass' } -Confirm:$false -ProgressAction SilentlyContinue
        $t = $r | Where-Object Scenario -eq 'TrackFailure'
        $t.Passed | Should -BeFalse
        $t.To | Should -BeNullOrEmpty
        $t.Details | Should -Match 'track weight is too small: with chk_svc weight -20 failing, n1 drops only from priority 150 to 130, not below n2''s 100'
    }
}

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

Describe 'Test-VrrpFailover -Lab' -Tag Lab {
    It 'passes the how-to''s master/backup configs with their 10.x addresses mapped into the lab range' {
        $files = (Write-Conf n1.conf $Master), (Write-Conf n2.conf $Backup), (Write-Conf n3.conf ($Backup -replace 'priority 254', 'priority 253'))
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
}

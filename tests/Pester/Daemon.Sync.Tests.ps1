# Sync-VrrpConfiguration against a real daemon (pwsh itself, in a lab namespace): what Ansible and the
# DSC resource rely on. The first sync of a new file reports Changed and the per-instance action; the
# same sync again reports Changed = False and touches nothing (no transition, no ping lost to the VIP
# of an unchanged instance); -WhatIf reports and touches nothing; a broken file is refused here with
# file:line and a file the daemon cannot run is refused there, both leaving the daemon as it was; the
# synced file becomes the daemon's configuration (SIGHUP re-reads it).

Describe 'Sync-VrrpConfiguration: converge a running daemon to a keepalived.conf' {
    BeforeAll {
        $h = $null
        . (Join-Path $PSScriptRoot 'LabSupport.ps1')
        . (Join-Path $PSScriptRoot 'DaemonSupport.ps1')
        function Write-Conf([string] $Path, [hashtable[]] $Instances) {
            $lines = @('global_defs {', '    vrrp_version 3', '    script_user root', '    enable_script_security', '}')
            foreach ($i in $Instances) {
                $lines += "vrrp_instance $($i.Name) {", '    state BACKUP', "    interface $(if ($i.ContainsKey('Interface')) { $i.Interface } else { 'eth0' })",
                          "    virtual_router_id $($i.Vrid)", "    priority $($i.Priority)", '    advert_int 0.1',
                          '    virtual_ipaddress {', "        $($i.Vip)", '    }', '}'
            }
            Set-Content -Path $Path -Value ($lines -join "`n") -NoNewline
            $Path
        }
        $vi1 = @{ Name = 'VI_1'; Vrid = 51; Priority = 150; Vip = '198.51.100.100/24' }
        $vi2 = @{ Name = 'VI_2'; Vrid = 52; Priority = 150; Vip = '198.51.100.101/24' }
        $h = New-TestLab -Nodes 1 -Client
        try {
            $dir = Get-DaemonDir $h 1
            $null = New-Item -ItemType Directory -Path $dir -Force
            $confA = Write-Conf (Join-Path $dir 'keepalived.conf') @($vi1)
            $confB = Join-Path $h.Dir 'converged.conf'
            $p = Start-DaemonNode $h 1 $confA
            $sock = Get-DaemonSocket $h 1
            $null = Wait-VrrpState -Name VI_1 -State Master -Timeout 15 -ControlSocket $sock
            $null = Wait-VrrpLabVip $h 1 -Timeout 5
        }
        catch { if ($h) { Remove-VrrpLab $h }; $h = $null; throw }
        function Why { "`nnode log:`n$(Get-VrrpLabLog $h)" }
        function State([string] $Name) { Get-VrrpState -ControlSocket $sock | Where-Object Name -eq $Name }
    }

    AfterAll {
        if (-not $h) { return }
        Remove-VrrpLab $h
    }

    It 'the file the daemon already runs: Changed = False, every instance Unchanged' {
        $r = Sync-VrrpConfiguration -Path $confA -ControlSocket $sock
        $r | Should -HaveCount 1
        $r.GetType().FullName | Should -Be 'VrrpPS.Hosting.VrrpSyncResult'
        $r.Changed | Should -BeFalse
        $r.WhatIf | Should -BeFalse
        $r.Path | Should -Be $confA
        @($r.Instances).Count | Should -Be 1
        $r.Instances[0].Name | Should -Be 'VI_1'
        "$($r.Instances[0].Action)" | Should -Be 'Unchanged'
    }

    It '-WhatIf reports what would change and touches nothing' {
        $null = Write-Conf $confB @($vi1, $vi2)
        $r = Sync-VrrpConfiguration -Path $confB -ControlSocket $sock -WhatIf
        $r.Changed | Should -BeTrue
        $r.WhatIf | Should -BeTrue
        ($r.Instances | Where-Object Name -eq 'VI_2').Action | Should -Be 'Started'
        ($r.Instances | Where-Object Name -eq 'VI_1').Action | Should -Be 'Unchanged'
        Start-Sleep -Milliseconds 300
        State 'VI_2' | Should -BeNullOrEmpty -Because 'a dry run starts nothing'
        Get-VrrpLabVip $h 1 -Address 198.51.100.101 | Should -BeFalse
    }

    It 'a new instance: Started, Changed; the unchanged instance keeps its state and loses no ping' {
        $before = State 'VI_1'
        $ping = (Get-Command ping -CommandType Application | Select-Object -First 1).Source
        $pinger = $h.Lab.StartProcess($h.Lab.ClientNamespace, $ping, '-n', '-i', '0.02', '-c', '100', '-W', '1', '198.51.100.100')
        try {
            Start-Sleep -Milliseconds 300
            $r = Sync-VrrpConfiguration -Path $confB -ControlSocket $sock -Confirm:$false
            $null = $pinger.WaitForExit(20000)
            $out = $pinger.StandardOutput.ReadToEnd()
        }
        finally { if (-not $pinger.HasExited) { $pinger.Kill() } }
        $r.Changed | Should -BeTrue
        $r.WhatIf | Should -BeFalse
        ($r.Instances | Where-Object Name -eq 'VI_2').Action | Should -Be 'Started'
        ($r.Instances | Where-Object Name -eq 'VI_1').Action | Should -Be 'Unchanged'
        $out | Should -Match '100 packets transmitted, 100 received, 0% packet loss' -Because "the VIP of an unchanged instance never flaps$(Why)"
        $after = State 'VI_1'
        $after.State | Should -Be 'Master'
        $after.LastTransition | Should -Be $before.LastTransition -Because 'no transition for an unchanged instance'
        $null = Wait-VrrpState -Name VI_2 -State Master -Timeout 15 -ControlSocket $sock
        $null = Wait-VrrpLabVip $h 1 -Address 198.51.100.101 -Timeout 5
    }

    It 'the same sync again: Changed = False and nothing is touched' {
        $before = Get-VrrpState -ControlSocket $sock | Sort-Object Name
        $r = Sync-VrrpConfiguration -Path $confB -ControlSocket $sock
        $r.Changed | Should -BeFalse
        @($r.Instances | Where-Object Action -ne 'Unchanged') | Should -HaveCount 0
        $after = Get-VrrpState -ControlSocket $sock | Sort-Object Name
        $after.LastTransition | Should -Be $before.LastTransition
    }

    It 'a priority-only change is applied in place: PriorityChanged, no flap' {
        $before = State 'VI_2'
        $vi2b = $vi2.Clone(); $vi2b.Priority = 140
        $null = Write-Conf $confB @($vi1, $vi2b)
        $r = Sync-VrrpConfiguration -Path $confB -ControlSocket $sock
        ($r.Instances | Where-Object Name -eq 'VI_2').Action | Should -Be 'PriorityChanged'
        $after = State 'VI_2'
        $after.Priority | Should -Be 140
        $after.State | Should -Be 'Master'
        $after.LastTransition | Should -Be $before.LastTransition
    }

    It 'a file with errors is refused here with file:line, nothing sent to the daemon' {
        $bad = Join-Path $h.Dir 'bad.conf'
        $vi2c = $vi2.Clone(); $vi2c.Priority = 300
        $null = Write-Conf $bad @($vi1, $vi2c)
        $err = $null
        try { Sync-VrrpConfiguration -Path $bad -ControlSocket $sock -ErrorAction Stop } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'VrrpSyncInvalidConfig,*'
        $err.Exception.Message | Should -Match ([regex]::Escape($bad) + ':\d+:\d+: ')
        (State 'VI_2').Priority | Should -Be 140
    }

    It 'a file the daemon cannot run (no such interface) is refused by the daemon as a whole: nothing applied' {
        $bad = Join-Path $h.Dir 'noif.conf'
        $vi3 = @{ Name = 'VI_3'; Vrid = 53; Priority = 150; Vip = '198.51.100.102/24'; Interface = 'nosuch0' }
        $null = Write-Conf $bad @($vi3)
        $err = $null
        try { Sync-VrrpConfiguration -Path $bad -ControlSocket $sock -ErrorAction Stop } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.Exception.Message | Should -Match 'nosuch0'
        (Get-VrrpState -ControlSocket $sock).Name | Sort-Object | Should -Be @('VI_1', 'VI_2') -Because 'VI_1 and VI_2 were not stopped'
        Get-VrrpLabVip $h 1 -Address 198.51.100.101 | Should -BeTrue
    }

    It 'the synced file is now the daemon''s configuration: SIGHUP re-reads it' {
        $vi2d = $vi2.Clone(); $vi2d.Priority = 130
        $null = Write-Conf $confB @($vi1, $vi2d)
        Send-DaemonSignal $h 1 HUP
        $deadline = [DateTime]::UtcNow.AddSeconds(15)
        while ((State 'VI_2').Priority -ne 130 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        (State 'VI_2').Priority | Should -Be 130 -Because "SIGHUP reads $confB, not the start-up file$(Why)"
    }

    It 'an instance gone from the file is Stopped and its VIP removed' {
        $null = Write-Conf $confB @($vi1)
        $r = Sync-VrrpConfiguration -Path $confB -ControlSocket $sock
        ($r.Instances | Where-Object Name -eq 'VI_2').Action | Should -Be 'Stopped'
        State 'VI_2' | Should -BeNullOrEmpty
        $null = Wait-VrrpLabVip $h 1 -Address 198.51.100.101 -Absent -Timeout 5
        $p.HasExited | Should -BeFalse
    }

    It 'no daemon behind the socket: VrrpControlSocketUnavailable' {
        $err = $null
        try { Sync-VrrpConfiguration -Path $confB -ControlSocket (Join-Path $h.Dir 'none.sock') -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'VrrpControlSocketUnavailable,*'
    }
}

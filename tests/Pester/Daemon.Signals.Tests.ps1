# Signals sent to a running daemon (started as the systemd unit starts it: pwsh itself, in a lab
# namespace). No signal may end it without releasing its VIPs: USR1/USR2 write the state/stats dumps
# (keepalived's habit), HUP reloads, the others commonly sent are harmless; TERM/INT/QUIT release
# (priority 0, VIP removed) and exit. Three nodes, each Master of its own VRID and VIP.

Describe 'Daemon signals' {
    BeforeAll {
        $h = $null
        . (Join-Path $PSScriptRoot 'LabSupport.ps1')
        . (Join-Path $PSScriptRoot 'DaemonSupport.ps1')
        $h = New-TestLab -Nodes 3
        try {
            foreach ($n in 1..3) { $null = Start-DaemonNode $h $n (New-DaemonConfig $h $n) -NoWait }
            foreach ($n in 1..3) { Wait-DaemonSocket $h $n }
            foreach ($n in 1..3) {
                $null = Wait-VrrpState -Name VI_1 -State Master -Timeout 15 -ControlSocket (Get-DaemonSocket $h $n)
                $null = Wait-VrrpLabVip $h $n -Address "198.51.100.$(99 + $n)" -Timeout 5
            }
        }
        catch { if ($h) { Remove-VrrpLab $h }; $h = $null; throw }
        function Why { "`nnode logs:`n$(Get-VrrpLabLog $h)" }
        function Assert-StillServing([int] $Node, [string] $Signal) {
            $p = $h.Processes["n$Node"]
            $p.WaitForExit(500) | Should -BeFalse -Because "SIG$Signal must not end the daemon $(Why)"
            (Get-VrrpState -Name VI_1 -ControlSocket (Get-DaemonSocket $h $Node)).State | Should -Be 'Master' -Because "the daemon still answers after SIG$Signal $(Why)"
            Get-VrrpLabVip $h $Node -Address "198.51.100.$(99 + $Node)" | Should -BeTrue -Because "the VIP is still held after SIG$Signal $(Why)"
        }
    }

    AfterAll {
        if (-not $h) { return }
        Remove-VrrpLab $h
        @(& ip netns list) -match "^$($h.Lab.Tag)-" | Should -BeNullOrEmpty -Because 'the lab leaves no namespace behind'
    }

    It '<Signal> writes the <What> dump (JSON) to the runtime directory as <File> and keeps running' -ForEach @(
        @{ Signal = 'USR1'; What = 'state'; File = 'vrrpps.data.json' }
        @{ Signal = 'USR2'; What = 'stats'; File = 'vrrpps.stats.json' }
    ) {
        $t0 = [DateTime]::UtcNow.AddSeconds(-1)
        Send-DaemonSignal $h 1 $Signal
        Assert-StillServing 1 $Signal
        $dump = Wait-DaemonFile (Join-Path (Get-DaemonDir $h 1) $File) -NewerThan $t0 | ConvertFrom-Json
        $dump.processId | Should -Be $h.Processes['n1'].Id
        $dump.instances[0].name | Should -Be 'VI_1'
        $dump.instances[0].state | Should -Be 'Master'
        if ($What -eq 'state') { $dump.instances[0].virtualIPAddress | Should -Contain '198.51.100.100/24' }
        else { $dump.instances[0].counters.advertisementsSent | Should -BeGreaterThan 0 }
    }

    It 'SIG<_> is harmless: the daemon keeps its VIP and answers' -ForEach @('HUP', 'PIPE', 'ALRM', 'VTALRM', 'IO', 'PWR', 'STKFLT', 'TSTP', 'TTIN', 'TTOU', 'CONT', 'WINCH', 'URG', 'CHLD') {
        Send-DaemonSignal $h 1 $_
        Assert-StillServing 1 $_
    }

    It 'SIG<Signal> releases the VIP and exits' -ForEach @(
        @{ Signal = 'TERM'; Node = 1; Code = 0 }
        # INT/QUIT: pwsh's own Ctrl+C handling races ours; it may report the interrupted command (exit 1)
        # after our release, or not (0). Either way the VIP is released first; systemd stops with TERM (0).
        @{ Signal = 'INT'; Node = 2; Code = 0, 1 }
        @{ Signal = 'QUIT'; Node = 3; Code = 0, 1 }
    ) {
        $p = $h.Processes["n$Node"]
        Send-DaemonSignal $h $Node $Signal
        $p.WaitForExit(15000) | Should -BeTrue -Because "SIG$Signal stops the daemon $(Why)"
        $p.ExitCode | Should -BeIn $Code
        Get-VrrpLabVip $h $Node -Address "198.51.100.$(99 + $Node)" | Should -BeFalse -Because "SIG$Signal releases the VIP $(Why)"
        (Get-Content (Join-Path $h.Dir "n$Node.log") -Raw) | Should -Match "Received SIG$Signal|Received $Signal"
    }
}

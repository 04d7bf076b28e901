# The daemon as systemd runs it (module/vrrpps.service: pwsh itself, Type=notify, stderr to journald):
# the exact sd_notify sequence for start, a good reload, a broken reload (the running configuration
# is kept: instances and VIPs stay) and stop, on our own NOTIFY_SOCKET; journald priorities "<N>" on
# every warning/error and no ANSI escape sequence anywhere in the daemon's output.

Describe 'Daemon under systemd: notify protocol, reload results, journald' {
    BeforeAll {
        $h = $null
        . (Join-Path $PSScriptRoot 'LabSupport.ps1')
        . (Join-Path $PSScriptRoot 'DaemonSupport.ps1')
        $h = New-TestLab -Nodes 1
        try {
            # 'smtp_alert' draws Start-VrrpInstance's "not acted on" warning, 'no_such_keyword' Import-KeepalivedConfig's.
            $conf = New-DaemonConfig $h 1 -Extra @('smtp_alert', 'no_such_keyword 1')
            $notifyPath = Join-Path $h.Dir 'notify.sock'
            $notify = New-NotifyListener $notifyPath
            $p = Start-DaemonNode $h 1 $conf -Journal -Environment @{ NOTIFY_SOCKET = $notifyPath }
            $sock = Get-DaemonSocket $h 1
            $null = Wait-VrrpState -Name VI_1 -State Master -Timeout 15 -ControlSocket $sock
            $null = Wait-VrrpLabVip $h 1 -Timeout 5
        }
        catch { if ($h) { Remove-VrrpLab $h }; $h = $null; throw }
        function Why { "`nnode log:`n$(Get-VrrpLabLog $h)" }
        function Log { Get-Content (Join-Path $h.Dir 'n1.log') -Raw }
    }

    AfterAll {
        if ($notify) { $notify.Dispose() }
        if (-not $h) { return }
        Remove-VrrpLab $h
    }

    It 'sends READY=1 with MAINPID and a STATUS naming the instance counts once started' {
        $m = Receive-NotifyMessage $notify
        $m | Should -Match "^READY=1`nMAINPID=$($p.Id)`nSTATUS=running 1 instance\(s\): \d Master, \d Backup, 0 Fault$"
    }

    It 'a good reload: RELOADING=1 + MONOTONIC_USEC, then READY=1 with the result in STATUS' {
        (Get-Content $conf -Raw).Replace('priority 150', 'priority 140') | Set-Content $conf -NoNewline
        $before = [long]((Get-Content /proc/uptime -Raw).Split(' ')[0] -as [double]) * 1000000
        Send-DaemonSignal $h 1 HUP
        $m1 = Receive-NotifyMessage $notify
        $m1 -match "^RELOADING=1`nMONOTONIC_USEC=(\d+)$" | Should -BeTrue -Because $m1
        [long]$Matches[1] | Should -BeGreaterThan ($before - 5000000) -Because 'MONOTONIC_USEC is CLOCK_MONOTONIC in microseconds'
        $m2 = Receive-NotifyMessage $notify
        $m2 | Should -Match "^READY=1`nSTATUS=reload done: started \[\], stopped \[\], restarted \[\], priority changed \[VI_1\], unchanged \[\]; running 1 instance"
        (Get-VrrpState -Name VI_1 -ControlSocket $sock).Priority | Should -Be 140
    }

    It 'a broken reload (include conf.d/[z-a].conf) keeps the running configuration, its instance and its VIP' {
        Add-Content $conf "`ninclude conf.d/[z-a].conf`n"
        Send-DaemonSignal $h 1 HUP
        (Receive-NotifyMessage $notify) | Should -Match "^RELOADING=1`nMONOTONIC_USEC=\d+$"
        $m = Receive-NotifyMessage $notify
        $m | Should -Match "^READY=1`nSTATUS=reload failed: .*; running configuration kept; running 1 instance\(s\): 1 Master"
        $p.HasExited | Should -BeFalse -Because "a failed reload must not end the daemon $(Why)"
        (Get-VrrpState -Name VI_1 -ControlSocket $sock).State | Should -Be 'Master'
        Get-VrrpLabVip $h 1 | Should -BeTrue -Because "the VIP stays $(Why)"
        Log | Should -Match '(?m)^<3>reload failed: .*keepalived\.conf.*; running configuration kept'
    }

    It 'a reload over the control socket returns the result; a failed one is an error (what ExecReload runs)' {
        $r = [VrrpPS.Hosting.EngineClient]::Connect($sock).Reload()
        $r.Succeeded | Should -BeFalse
        $r.Message | Should -Match 'running configuration kept'
        $null = Receive-NotifyMessage $notify; $null = Receive-NotifyMessage $notify   # RELOADING, READY
        (Get-Content $conf -Raw).Replace('include conf.d/[z-a].conf', '') | Set-Content $conf -NoNewline
        $r = [VrrpPS.Hosting.EngineClient]::Connect($sock).Reload()
        $r.Succeeded | Should -BeTrue -Because $r.Message
        $null = Receive-NotifyMessage $notify; $null = Receive-NotifyMessage $notify
    }

    It 'journald: warnings at priority 4, errors at 3, info at 6; no ANSI escape sequence anywhere' {
        $log = Log
        $log | Should -Match '(?m)^<4>.*smtp_alert' -Because "Start-VrrpInstance's config warning reaches the journal as a warning $(Why)"
        $log | Should -Match '(?m)^<4>.*no_such_keyword' -Because "Import-KeepalivedConfig's warning reaches the journal as a warning $(Why)"
        $log | Should -Match '(?m)^<6>\(VI_1\) Entering MASTER STATE'
        $log | Should -Not -Match 'WARNING:' -Because 'no warning goes through the pwsh host (journald would record it at info priority)'
        $log.Contains([char]27) | Should -BeFalse -Because 'no ANSI escape sequences in daemon output'
    }

    It 'SIGTERM: STOPPING=1, then the instance is released and the daemon exits 0' {
        Send-DaemonSignal $h 1 TERM
        (Receive-NotifyMessage $notify) | Should -Match "^STOPPING=1`nSTATUS=stopping: releasing 1 instance\(s\)$"
        $p.WaitForExit(15000) | Should -BeTrue
        $p.ExitCode | Should -Be 0
        Get-VrrpLabVip $h 1 | Should -BeFalse
    }
}

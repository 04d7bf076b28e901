# The control socket under abuse (issue 11 item 13), against a real daemon in a lab namespace:
# -ControlSocket naming a regular file never deletes it; over-long requests and connection floods
# are bounded and answered with stable ErrorIds; the accept loop does not spin when the daemon runs
# out of file descriptors (EMFILE); the daemon keeps its instance through all of it.

Describe 'Daemon control socket bounds' {
    BeforeAll {
        $h = $null; $held = [System.Collections.Generic.List[System.Net.Sockets.Socket]]::new()
        . (Join-Path $PSScriptRoot 'LabSupport.ps1')
        . (Join-Path $PSScriptRoot 'DaemonSupport.ps1')
        $h = New-TestLab -Nodes 2
        try {
            $p = Start-DaemonNode $h 1 (New-DaemonConfig $h 1)
            $sock = Get-DaemonSocket $h 1
            $null = Wait-VrrpState -Name VI_1 -State Master -Timeout 15 -ControlSocket $sock
        }
        catch { if ($h) { Remove-VrrpLab $h }; $h = $null; throw }
        function Why { "`nnode logs:`n$(Get-VrrpLabLog $h)" }
        function Connect-Control {
            $s = [System.Net.Sockets.Socket]::new([System.Net.Sockets.AddressFamily]::Unix, [System.Net.Sockets.SocketType]::Stream, [System.Net.Sockets.ProtocolType]::Unspecified)
            $s.ReceiveTimeout = 5000; $s.SendTimeout = 5000
            $s.Connect([System.Net.Sockets.UnixDomainSocketEndPoint]::new($sock))
            $s
        }
        function Read-Line($s) {
            # One response line (bounded: 1 MiB, the socket's 5 s receive timeout); $null on EOF.
            $buf = [byte[]]::new(65536); $ms = [IO.MemoryStream]::new()
            while ($ms.Length -lt 1MB) {
                $n = $s.Receive($buf)
                if ($n -eq 0) { break }
                $ms.Write($buf, 0, $n)
                if ([Array]::IndexOf($buf, [byte]10, 0, $n) -ge 0) { break }
            }
            if ($ms.Length -eq 0) { return $null }
            [Text.Encoding]::UTF8.GetString($ms.ToArray()).Trim()
        }
        function Get-CpuTicks([int] $ProcessId) {
            $f = (Get-Content "/proc/$ProcessId/stat" -Raw) -replace '^.*\) ', '' -split ' '
            [long]$f[11] + [long]$f[12]   # utime + stime (fields 14, 15)
        }
    }

    AfterAll {
        foreach ($s in $held) { $s.Dispose() }
        if ($h) { if ($env:VRRPPS_KEEP_LOG) { Copy-Item (Join-Path $h.Dir 'n1.log') $env:VRRPPS_KEEP_LOG -ErrorAction Ignore }; Remove-VrrpLab $h }
    }

    It '-ControlSocket naming an existing regular file leaves that file alone' {
        $dir = Get-DaemonDir $h 2
        $null = New-Item -ItemType Directory $dir -Force
        $victim = Join-Path $dir 'important.txt'
        Set-Content $victim 'keep me'
        $conf = New-DaemonConfig $h 2 -VirtualRouterId 60 -Vip '198.51.100.150/24'
        $script = "Import-Module '$($h.ModulePath)'; Import-KeepalivedConfig '$conf' | Start-VrrpInstance -Wait -ControlSocket '$victim'"
        $p2 = $h.Lab.StartLoggedProcess($h.Lab.NodeNamespace(2), (Join-Path $h.Dir 'n2.log'), $script:DotnetHost, $script:PwshDll, '-NoProfile', '-NonInteractive', '-Command', $script)
        $h.Processes['n2'] = $p2
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (-not ((Get-Content (Join-Path $h.Dir 'n2.log') -Raw -ErrorAction Ignore) -match 'Control socket') -and [DateTime]::UtcNow -lt $deadline -and -not $p2.HasExited) { Start-Sleep -Milliseconds 100 }
        Get-Content $victim -Raw -ErrorAction Ignore | Should -Be "keep me`n" -Because "the file is not a socket $(Why)"
        (Get-Content (Join-Path $h.Dir 'n2.log') -Raw) | Should -Match 'is not a socket'
        & kill -TERM $p2.Id; $null = $p2.WaitForExit(15000)
    }

    It 'a request longer than 64 KiB is refused with VrrpControlRequestTooLarge; the daemon goes on' {
        $s = Connect-Control
        try {
            $big = '{"command":"state","name":"' + ('a' * 200000) + '"}' + "`n"
            try { $null = $s.Send([Text.Encoding]::UTF8.GetBytes($big)) } catch { }   # the server may close before reading it all
            $line = Read-Line $s
            $line | Should -Match '"errorId":"VrrpControlRequestTooLarge"' -Because "$line $(Why)"
        }
        finally { $s.Dispose() }
        (Get-VrrpState -Name VI_1 -ControlSocket $sock).State | Should -Be 'Master'
    }

    It 'connections beyond the cap are answered VrrpControlBusy; a request after the flood is served' {
        for ($i = 0; $i -lt 16; $i++) { $held.Add((Connect-Control)) }
        $extra = Connect-Control
        try {
            $null = $extra.Send([Text.Encoding]::UTF8.GetBytes("{`"command`":`"state`"}`n"))
            $line = Read-Line $extra
            $line | Should -Match '"errorId":"VrrpControlBusy"' -Because "$line $(Why)"
        }
        finally { $extra.Dispose() }
        foreach ($s in $held) { $s.Dispose() }
        $held.Clear()
        $deadline = [DateTime]::UtcNow.AddSeconds(10); $state = $null
        while (-not $state -and [DateTime]::UtcNow -lt $deadline) {
            try { $state = Get-VrrpState -Name VI_1 -ControlSocket $sock } catch { Start-Sleep -Milliseconds 100 }
        }
        $state.State | Should -Be 'Master'
    }

    It 'out of file descriptors (EMFILE), the accept loop backs off instead of spinning a core' {
        $open = @(Get-ChildItem "/proc/$($p.Id)/fd").Count
        & prlimit --pid $p.Id --nofile="$($open + 4):$($open + 4)"
        try {
            for ($i = 0; $i -lt 12; $i++) { $held.Add((Connect-Control)) }   # more than the daemon can accept
            $p.WaitForExit(500) | Should -BeFalse -Because "the daemon survives running out of descriptors $(Why)"
            $t0 = Get-CpuTicks $p.Id
            Start-Sleep -Seconds 2
            $ticks = (Get-CpuTicks $p.Id) - $t0
            Write-Host "    [cpu] daemon used $ticks ticks (1/100 s) in 2 s with accept() failing EMFILE"
            $ticks | Should -BeLessThan 60 -Because "a spinning accept loop burns ~200 ticks (a whole core) in 2 s $(Why)"
        }
        finally {
            foreach ($s in $held) { $s.Dispose() }
            $held.Clear()
            & prlimit --pid $p.Id --nofile=65536:65536
        }
        $p.HasExited | Should -BeFalse
        Get-VrrpLabVip $h 1 | Should -BeTrue
    }
}

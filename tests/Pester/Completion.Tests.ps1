# Tab completion (issue 13, "Interactive use"), through TabExpansion2 as the console calls it:
# -Name completes the instances of this process's engine or of the daemon behind -ControlSocket
# (never throwing, never hanging on a socket that does not answer), -Interface the interfaces of
# the current network namespace, -Provider and -Scenario their enum values. The instances and the
# interface names come from a lab namespace whose interface has a real-world name (enp129s0f1).

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSupport.ps1')
    $h = $null
    $opts = [VrrpPS.Lab.LabOptions]::new()
    $opts.InterfaceName = 'enp129s0f1'
    $lab = [VrrpPS.Lab.NamespaceLab]::Create(2, $opts)
    $h = [pscustomobject]@{ Lab = $lab; Dir = (Join-Path ([IO.Path]::GetTempPath()) "vrrpps-$($lab.Tag)")
                            ModulePath = (Resolve-Path $env:VRRPPS_MODULE_PATH).Path; Processes = @{} }
    $null = New-Item -ItemType Directory -Path $h.Dir -Force
    try {
        # Node 1: a daemon with two instances, reached through its control socket.
        $conf = Join-Path $h.Dir 'n1.conf'
        Set-Content $conf -Value @'
vrrp_instance VI_WEB {
    interface enp129s0f1
    virtual_router_id 51
    priority 150
    advert_int 0.1
    virtual_ipaddress {
        198.51.100.100/24
    }
}
vrrp_instance VI_DB {
    interface enp129s0f1
    virtual_router_id 52
    priority 150
    advert_int 0.1
    virtual_ipaddress {
        198.51.100.101/24
    }
}
'@
        $null = Start-VrrpLabNode $h 1 @{} -ConfigPath $conf
        $sock = Get-VrrpLabSocket $h 1
        # The daemon answers (both instances started) before completion is asked: the completer gives up after 1 s,
        # and a daemon still starting on a loaded machine, or this process's first JSON round trip, can take longer.
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (@(Get-VrrpState -ControlSocket $sock -ErrorAction SilentlyContinue).Count -lt 2 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
    }
    catch { Remove-VrrpLab $h; $h = $null; throw }

    function Get-Completion([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText)
    }

    function Invoke-InNamespace([string] $Script) {
        # A fresh pwsh inside node 2's namespace (ip netns exec: its own /sys too); returns its JSON answer.
        $full = "`$ErrorActionPreference = 'Stop'; Import-Module '$($h.ModulePath)'; $Script"
        $r = $h.Lab.Exec($h.Lab.NodeNamespace(2), (Join-Path $PSHOME 'pwsh'), '-NoProfile', '-NonInteractive', '-Command', $full)
        $r.ExitCode | Should -Be 0 -Because "$r"
        $json = ($r.StandardOutput -split "`n" | Where-Object { $_.StartsWith('{') } | Select-Object -Last 1)
        $json | ConvertFrom-Json
    }
}

AfterAll {
    if ($h) { Remove-VrrpLab $h }
}

Describe '-Name completion' {
    It 'completes the daemon''s instances behind -ControlSocket on <_>' -ForEach 'Get-VrrpState', 'Stop-VrrpInstance', 'Set-VrrpInstance', 'Wait-VrrpState' {
        Get-Completion "$_ -ControlSocket '$sock' -Name " | Should -Be @('VI_DB', 'VI_WEB')
        Get-Completion "$_ -ControlSocket '$sock' -Name VI_W" | Should -Be @('VI_WEB')
    }

    It 'completes the positional name of Test-VrrpFailover (live set) from the daemon' {
        Get-Completion "Test-VrrpFailover -ControlSocket '$sock' -Name vi_d" | Should -Be @('VI_DB')
    }

    It 'completes the instances of this process''s own engine (Start-VrrpInstance without -Wait, in a lab namespace)' {
        $answer = Invoke-InNamespace @'
$null = Start-VrrpInstance -Name VI_LOCAL -Interface enp129s0f1 -VirtualRouterId 61 -Priority 100 -VirtualIPAddress 198.51.100.120/24
$null = Start-VrrpInstance -Name VI_LOCAL6 -Interface enp129s0f1 -VirtualRouterId 62 -Priority 100 -VirtualIPAddress 198.51.100.121/24
$line = 'Stop-VrrpInstance -Name VI_LOC'
$names = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)
Stop-VrrpInstance -Name * | Out-Null
@{ Names = $names } | ConvertTo-Json -Compress
'@
        $answer.Names | Should -Be @('VI_LOCAL', 'VI_LOCAL6')
    }

    It 'offers nothing and raises no error when no engine runs and the socket does not exist' {
        $Error.Clear()
        Get-Completion "Get-VrrpState -ControlSocket '$($h.Dir)/none.sock' -Name " | Should -BeNullOrEmpty
        $Error.Count | Should -Be 0
    }

    It 'gives up within 2 s on a control socket that accepts but never answers' {
        $silent = Join-Path $h.Dir 'silent.sock'
        $listener = [System.Net.Sockets.Socket]::new([System.Net.Sockets.AddressFamily]::Unix, [System.Net.Sockets.SocketType]::Stream, [System.Net.Sockets.ProtocolType]::Unspecified)
        try {
            $listener.Bind([System.Net.Sockets.UnixDomainSocketEndPoint]::new($silent))
            $listener.Listen(4)
            $sw = [Diagnostics.Stopwatch]::StartNew()
            Get-Completion "Get-VrrpState -ControlSocket '$silent' -Name " | Should -BeNullOrEmpty
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 2
        }
        finally { $listener.Dispose() }
    }
}

Describe '-Interface completion' {
    It 'completes the interfaces of the current namespace on <_>' -ForEach 'Start-VrrpInstance', 'Watch-VrrpAdvertisement', 'Invoke-FirewallVrrpRule' {
        $answer = Invoke-InNamespace @"
`$all = '$_ -Interface '; `$enp = '$_ -Interface enp'
@{ All = @((TabExpansion2 -inputScript `$all -cursorColumn `$all.Length).CompletionMatches.CompletionText)
   Enp = @((TabExpansion2 -inputScript `$enp -cursorColumn `$enp.Length).CompletionMatches.CompletionText) } | ConvertTo-Json -Compress
"@
        $answer.All | Should -Be @('enp129s0f1', 'lo')
        $answer.Enp | Should -Be @('enp129s0f1')
    }
}

Describe 'Enum parameters complete without a completer of ours' {
    It '-Provider offers Auto, Nftables, Iptables, Firewalld' {
        Get-Completion 'Invoke-FirewallVrrpRule -Provider ' | Sort-Object | Should -Be @('Auto', 'Firewalld', 'Iptables', 'Nftables')
        Get-Completion 'Invoke-FirewallVrrpRule -Provider nf' | Should -Be @('Nftables')
    }

    It '-Scenario offers every failover scenario' {
        Get-Completion 'Test-VrrpFailover -Lab -Path a.conf -Scenario ' | Sort-Object |
            Should -Be @('GracefulStop', 'LinkLoss', 'MasterCrash', 'MasterReturn', 'TrackFailure')
        Get-Completion 'Test-VrrpFailover -Lab -Path a.conf -Scenario LinkLoss, Master' | Should -Be @('MasterCrash', 'MasterReturn')
    }
}

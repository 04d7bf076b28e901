# Monitoring a daemon without root: a member of the -ControlSocketGroup reads state (read-only; its
# control requests are refused), another user gets a PermissionDenied error — never an empty,
# all-clear result — also when the socket's mode would let it connect (SO_PEERCRED decides). The
# users are real (useradd, removed in AfterAll); their pwsh runs through runuser from a copy of
# $PSHOME they can read. Metrics: the opt-in HTTP listener inside the lab namespace, validated by
# python3-prometheus-client's OpenMetrics parser.

Describe 'Daemon monitoring without root, and metrics' {
    BeforeAll {
        $h = $null; $users = @(); $group = $null
        . (Join-Path $PSScriptRoot 'LabSupport.ps1')
        . (Join-Path $PSScriptRoot 'DaemonSupport.ps1')
        $h = New-TestLab -Nodes 1
        try {
            $tag = $h.Lab.Tag
            $group = "vrrpg-$tag"; $member = "vrrpm-$tag"; $other = "vrrpo-$tag"
            & groupadd $group; if ($LASTEXITCODE) { throw 'groupadd failed' }
            & useradd -M -N -s /usr/sbin/nologin -G $group $member; if ($LASTEXITCODE) { throw 'useradd failed' }
            $users += $member
            & useradd -M -N -s /usr/sbin/nologin $other; if ($LASTEXITCODE) { throw 'useradd failed' }
            $users += $other
            # pwsh for the users: $PSHOME lives under /root (0700) here, so they get a readable copy.
            $userPwsh = Join-Path $h.Dir 'pwsh'
            Copy-Item $PSHOME $userPwsh -Recurse
            & chmod -R a+rX $h.Dir
            $conf = New-DaemonConfig $h 1
            $p = Start-DaemonNode $h 1 $conf -StartArguments "-ControlSocketGroup '$group' -MetricsAddress '198.51.100.11:9650'"
            $sock = Get-DaemonSocket $h 1
            $null = Wait-VrrpState -Name VI_1 -State Master -Timeout 15 -ControlSocket $sock
        }
        catch { if ($h) { Remove-VrrpLab $h }; $h = $null; throw }
        function Why { "`nnode log:`n$(Get-VrrpLabLog $h)" }
        function Invoke-AsUser([string] $User, [string] $Command) {
            # pwsh as a real non-root user; the monitoring check finds the socket as a monitoring script would.
            $homeDir = Join-Path $h.Dir "home-$User"
            $null = New-Item -ItemType Directory $homeDir -Force; & chown $User $homeDir
            $script = "`$ErrorActionPreference='Stop'; Import-Module '$($h.ModulePath)'; $Command"
            $out = & runuser -u $User -- /usr/bin/env "HOME=$homeDir" "VRRPPS_CONTROL_SOCKET=$sock" DOTNET_CLI_TELEMETRY_OPTOUT=1 `
                $script:DotnetHost (Join-Path $userPwsh 'pwsh.dll') -NoProfile -NonInteractive -Command $script 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($out | Out-String) }
        }
    }

    AfterAll {
        foreach ($u in $users) { & userdel $u 2>$null }
        if ($group) { & groupdel $group 2>$null }
        if ($h) { Remove-VrrpLab $h }
    }

    It 'the socket is 0660 and its directory 0750, both in the monitoring group' {
        (& stat -c '%a %G' $sock) | Should -Be "660 $group"
        (& stat -c '%a %G' (Split-Path $sock)) | Should -Be "750 $group"
    }

    It 'a group member reads the state (Get-VrrpState, no parameters, as a monitoring check runs it)' {
        $r = Invoke-AsUser $member "Get-VrrpState | ForEach-Object { 'STATE=' + `$_.Name + ':' + `$_.State }"
        $r.Output | Should -Match 'STATE=VI_1:Master' -Because $r.Output
        $r.ExitCode | Should -Be 0
    }

    It 'a group member may not control the daemon: PermissionDenied, and the instance keeps running' {
        $r = Invoke-AsUser $member "try { Stop-VrrpInstance -Name VI_1 -ControlSocket `$env:VRRPPS_CONTROL_SOCKET -Confirm:`$false; 'STOPPED' } catch { 'ERR=' + `$_.FullyQualifiedErrorId + '|' + `$_.CategoryInfo.Category }"
        $r.Output | Should -Match 'ERR=VrrpControlPermissionDenied,.*\|PermissionDenied' -Because $r.Output
        (Get-VrrpState -Name VI_1 -ControlSocket $sock).State | Should -Be 'Master'
    }

    It 'another user gets a PermissionDenied error from Get-VrrpState, never an empty result' {
        $r = Invoke-AsUser $other "try { `$s = @(Get-VrrpState); 'COUNT=' + `$s.Count } catch { 'ERR=' + `$_.FullyQualifiedErrorId + '|' + `$_.CategoryInfo.Category }"
        $r.Output | Should -Match 'ERR=VrrpControlPermissionDenied,VrrpPS.Cmdlets.GetVrrpStateCommand\|PermissionDenied' -Because $r.Output
    }

    It 'SO_PEERCRED: even with a socket mode that lets anyone connect, another user is refused' {
        & chmod 0755 (Split-Path $sock); & chmod 0666 $sock
        try {
            $r = Invoke-AsUser $other "try { `$s = @(Get-VrrpState); 'COUNT=' + `$s.Count } catch { 'ERR=' + `$_.FullyQualifiedErrorId }"
            $r.Output | Should -Match 'ERR=VrrpControlPermissionDenied' -Because $r.Output
        }
        finally { & chmod 0750 (Split-Path $sock); & chmod 0660 $sock }
    }

    It 'metrics: GET /metrics inside the namespace is OpenMetrics that a real parser accepts, with the instance' {
        $r = $h.Lab.Exec($h.Lab.NodeNamespace(1), 'curl', '-s', '-f', '-m', '10', '-D', '-', 'http://198.51.100.11:9650/metrics')
        $r.Succeeded | Should -BeTrue -Because "$r $(Why)"
        $r.StandardOutput | Should -Match 'Content-Type: application/openmetrics-text; version=1.0.0'
        $body = ($r.StandardOutput -split "`r`n`r`n", 2)[1]
        $body | Should -Match '(?m)^vrrpps_vrrp_state\{iname="VI_1",intf="eth0",vrid="51"\} 2$'
        $body | Should -Match '(?m)^vrrpps_vrrp_advertisements_sent_total\{iname="VI_1",intf="eth0",vrid="51"\} [1-9]'
        $body | Should -Match '(?m)^vrrpps_vrrp_errors_total\{iname="VI_1",intf="eth0",vrid="51",reason="checksum"\} 0$'
        $file = Join-Path $h.Dir 'metrics.txt'
        Set-Content -Path $file -Value $body -NoNewline
        $py = 'import sys; from prometheus_client.openmetrics.parser import text_string_to_metric_families as p; ' +
              'fams = list(p(open(sys.argv[1]).read())); print(len(fams)); print(" ".join(sorted(f.name for f in fams)))'
        $out = & /usr/bin/python3 -c $py $file 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($out | Out-String)
        ($out | Select-Object -Last 1) | Should -Match 'vrrpps_vrrp_state'
    }

    It 'metrics are read-only: a group member gets them over the control socket too' {
        $r = Invoke-AsUser $member "[VrrpPS.Hosting.EngineClient]::Connect(`$env:VRRPPS_CONTROL_SOCKET).Metrics()"
        $r.Output | Should -Match 'vrrpps_vrrp_state\{iname="VI_1"' -Because $r.Output
    }
}

# Lab harness shared by the Pester lab tests, build.ps1 Demo and bench/: a NamespaceLab plus one
# VrrpPS (or keepalived) node process per namespace, each VrrpPS node reachable through its own
# control socket. Every lab is torn down by Remove-VrrpLab, which the callers run in finally.
Set-StrictMode -Version 3.0

$script:Pwsh = Join-Path $PSHOME 'pwsh'

function New-VrrpLab {
    param(
        [int] $Nodes = 3,
        [switch] $IPv6,
        [switch] $Client,
        [Parameter(Mandatory)][string] $ModulePath
    )
    $opts = [VrrpPS.Lab.LabOptions]::new()
    $opts.IPv6 = [bool]$IPv6
    $opts.Client = [bool]$Client
    $lab = [VrrpPS.Lab.NamespaceLab]::Create($Nodes, $opts)
    $dir = Join-Path ([IO.Path]::GetTempPath()) "vrrpps-$($lab.Tag)"
    $null = New-Item -ItemType Directory -Path $dir -Force
    [pscustomobject]@{
        PSTypeName = 'VrrpPS.LabHarness'
        Lab        = $lab
        Dir        = $dir
        ModulePath = (Resolve-Path $ModulePath).Path
        Processes  = @{}
    }
}

function Get-VrrpLabSocket([Parameter(Mandatory)] $Harness, [Parameter(Mandatory)][int] $Node) {
    Join-Path $Harness.Dir "n$Node.sock"
}

function Start-VrrpLabNode {
    # Runs Start-VrrpInstance -Wait with the given parameters inside node N's namespace.
    param(
        [Parameter(Mandatory)] $Harness,
        [Parameter(Mandatory)][int] $Node,
        [Parameter(Mandatory)][hashtable] $Instance,
        [string] $ConfigPath,
        [int] $TimeoutSeconds = 30
    )
    $sock = Get-VrrpLabSocket $Harness $Node
    Remove-Item $sock -ErrorAction Ignore
    $argText = ($Instance.GetEnumerator() | ForEach-Object {
            $v = $_.Value
            if ($v -is [bool] -or $v -is [switch]) { if ($v) { "-$($_.Key)" } }
            elseif ($v -is [array]) { "-$($_.Key) " + (($v | ForEach-Object { "'$_'" }) -join ',') }
            else { "-$($_.Key) '$v'" }
        }) -join ' '
    $start = if ($ConfigPath) { "Import-KeepalivedConfig -Path '$ConfigPath' -ConfigId n$Node | Start-VrrpInstance" } else { "Start-VrrpInstance $argText" }
    $script = "`$ErrorActionPreference='Stop'; Import-Module '$($Harness.ModulePath)'; $start -Wait -ControlSocket '$sock'"
    $log = Join-Path $Harness.Dir "n$Node.log"
    $p = $Harness.Lab.StartLoggedProcess($Harness.Lab.NodeNamespace($Node), $log, $script:Pwsh, '-NoProfile', '-NonInteractive', '-Command', $script)
    $Harness.Processes["n$Node"] = $p
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (-not (Test-Path $sock)) {
        if ($p.HasExited -or [DateTime]::UtcNow -gt $deadline) {
            throw "Node $Node did not start (exit $(if ($p.HasExited) { $p.ExitCode })): $(Get-Content $log -Raw -ErrorAction Ignore)"
        }
        Start-Sleep -Milliseconds 50
    }
    $p
}

function Get-VrrpLabState([Parameter(Mandatory)] $Harness, [Parameter(Mandatory)][int] $Node, [string] $Name = 'VI_1') {
    Get-VrrpState -Name $Name -ControlSocket (Get-VrrpLabSocket $Harness $Node)
}

function Wait-VrrpLabState {
    param([Parameter(Mandatory)] $Harness, [Parameter(Mandatory)][int] $Node, [Parameter(Mandatory)][string] $State,
          [string] $Name = 'VI_1', [double] $Timeout = 10)
    Wait-VrrpState -Name $Name -State $State -Timeout $Timeout -ControlSocket (Get-VrrpLabSocket $Harness $Node)
}

function Stop-VrrpLabNode([Parameter(Mandatory)] $Harness, [Parameter(Mandatory)][int] $Node) {
    # Graceful: the daemon releases (priority 0, VIPs removed) and exits.
    $sock = Get-VrrpLabSocket $Harness $Node
    $p = $Harness.Processes["n$Node"]
    if ($p -and -not $p.HasExited -and (Test-Path $sock)) {
        try { Stop-VrrpInstance -Name '*' -ControlSocket $sock } catch { Write-Verbose "stop n${Node}: $_" }
        $null = $p.WaitForExit(10000)
    }
}

function Get-VrrpLabVip([Parameter(Mandatory)] $Harness, [Parameter(Mandatory)][int] $Node, [string] $Address = '198.51.100.100') {
    # True when node N's interface carries the address.
    [bool]($Harness.Lab.AddressesOf($Harness.Lab.NodeNamespace($Node), $Harness.Lab.InterfaceName) -match "^$([regex]::Escape($Address))/")
}

function Remove-VrrpLab([Parameter(Mandatory)] $Harness) {
    foreach ($k in @($Harness.Processes.Keys)) {
        $p = $Harness.Processes[$k]
        if (-not $p.HasExited) { try { $p.Kill($true) } catch { } }
    }
    $Harness.Lab.Dispose()
    Remove-Item $Harness.Dir -Recurse -Force -ErrorAction Ignore
}

function New-KeepalivedLabConfig {
    # keepalived.conf text for one lab node (keepalived 2.2 syntax).
    param(
        [string] $Name = 'VI_1', [string] $Interface = 'eth0', [int] $VirtualRouterId = 51,
        [Parameter(Mandatory)][int] $Priority, [string[]] $VirtualIPAddress = @('198.51.100.100/24'),
        [double] $AdvertisementInterval = 1, [ValidateSet(2, 3)][int] $Version = 3,
        [string[]] $UnicastPeer, [string] $UnicastSourceAddress, [string] $AuthenticationPassword,
        [switch] $NoPreempt, [string] $State = 'BACKUP', [string[]] $Extra
    )
    $lines = @(
        'global_defs {'
        "    vrrp_version $Version"
        '    script_user root'
        '    enable_script_security'
        '    vrrp_garp_master_delay 5'
        '}'
        "vrrp_instance $Name {"
        "    state $State"
        "    interface $Interface"
        "    virtual_router_id $VirtualRouterId"
        "    priority $Priority"
        "    advert_int $AdvertisementInterval"
    )
    if ($NoPreempt) { $lines += '    nopreempt' }
    if ($UnicastSourceAddress) { $lines += "    unicast_src_ip $UnicastSourceAddress" }
    if ($UnicastPeer) { $lines += '    unicast_peer {'; $lines += $UnicastPeer | ForEach-Object { "        $_" }; $lines += '    }' }
    if ($AuthenticationPassword) { $lines += '    authentication {', '        auth_type PASS', "        auth_pass $AuthenticationPassword", '    }' }
    $lines += '    virtual_ipaddress {'
    $lines += $VirtualIPAddress | ForEach-Object { "        $_" }
    $lines += '    }'
    if ($Extra) { $lines += $Extra | ForEach-Object { "    $_" } }
    $lines += '}'
    ($lines -join "`n") + "`n"
}

function Start-KeepalivedLabNode {
    # Runs real keepalived (VRRP only, foreground, logging to the console) in node N's namespace.
    param([Parameter(Mandatory)] $Harness, [Parameter(Mandatory)][int] $Node, [Parameter(Mandatory)][string] $ConfigText)
    $conf = Join-Path $Harness.Dir "n$Node-keepalived.conf"
    Set-Content -Path $conf -Value $ConfigText -NoNewline
    $log = Join-Path $Harness.Dir "n$Node.log"
    $keepalived = (Get-Command keepalived -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source
    $p = $Harness.Lab.StartLoggedProcess($Harness.Lab.NodeNamespace($Node), $log, $keepalived,
        '--dont-fork', '--log-console', '--log-detail', '--vrrp', '--use-file', $conf,
        '--pid', (Join-Path $Harness.Dir "n$Node-k.pid"), '--vrrp_pid', (Join-Path $Harness.Dir "n$Node-kv.pid"))
    $Harness.Processes["n$Node"] = $p
    Start-Sleep -Milliseconds 200
    if ($p.HasExited) { throw "keepalived on node $Node exited at once: $(Get-Content $log -Raw -ErrorAction Ignore)" }
    $p
}

function Stop-KeepalivedLabNode([Parameter(Mandatory)] $Harness, [Parameter(Mandatory)][int] $Node) {
    # SIGTERM: keepalived releases (priority 0) and removes its VIPs, like a service stop.
    $p = $Harness.Processes["n$Node"]
    if ($p -and -not $p.HasExited) {
        $null = & kill -TERM $p.Id
        if (-not $p.WaitForExit(10000)) { $p.Kill($true) }
    }
}

function Get-VrrpLabMasterNode {
    # The node numbers whose interface currently carries the VIP (works for keepalived and VrrpPS nodes).
    param([Parameter(Mandatory)] $Harness, [string] $Address = '198.51.100.100')
    @(1..$Harness.Lab.NodeCount | Where-Object { Get-VrrpLabVip $Harness $_ $Address })
}

Export-ModuleMember -Function New-VrrpLab, Start-VrrpLabNode, Get-VrrpLabState, Wait-VrrpLabState, Stop-VrrpLabNode,
    Get-VrrpLabVip, Remove-VrrpLab, Get-VrrpLabSocket, New-KeepalivedLabConfig, Start-KeepalivedLabNode,
    Stop-KeepalivedLabNode, Get-VrrpLabMasterNode

function Start-VrrpLabCluster {
    # Starts one VrrpPS node per hashtable (node 1 = first) at once and waits for every control
    # socket: on a small machine the pwsh start-ups overlap instead of queueing.
    param([Parameter(Mandatory)] $Harness, [Parameter(Mandatory)][hashtable[]] $Instances, [int] $TimeoutSeconds = 60)
    $pending = @{}
    for ($n = 1; $n -le $Instances.Count; $n++) {
        $sock = Get-VrrpLabSocket $Harness $n
        Remove-Item $sock -ErrorAction Ignore
        $argText = ($Instances[$n - 1].GetEnumerator() | ForEach-Object {
                $v = $_.Value
                if ($v -is [bool] -or $v -is [switch]) { if ($v) { "-$($_.Key)" } }
                elseif ($v -is [array]) { "-$($_.Key) " + (($v | ForEach-Object { "'$_'" }) -join ',') }
                else { "-$($_.Key) '$v'" }
            }) -join ' '
        $script = "`$ErrorActionPreference='Stop'; Import-Module '$($Harness.ModulePath)'; Start-VrrpInstance $argText -Wait -ControlSocket '$sock'"
        $log = Join-Path $Harness.Dir "n$n.log"
        $p = $Harness.Lab.StartLoggedProcess($Harness.Lab.NodeNamespace($n), $log, $script:Pwsh, '-NoProfile', '-NonInteractive', '-Command', $script)
        $Harness.Processes["n$n"] = $p
        $pending[$n] = $sock
    }
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ($pending.Count -gt 0) {
        foreach ($n in @($pending.Keys)) {
            $p = $Harness.Processes["n$n"]
            if (Test-Path $pending[$n]) { $pending.Remove($n); continue }
            if ($p.HasExited -or [DateTime]::UtcNow -gt $deadline) {
                throw "Node $n did not start (exit $(if ($p.HasExited) { $p.ExitCode })): $(Get-Content (Join-Path $Harness.Dir "n$n.log") -Raw -ErrorAction Ignore)"
            }
        }
        Start-Sleep -Milliseconds 50
    }
    1..$Instances.Count | ForEach-Object { $Harness.Processes["n$_"] }
}

function Get-VrrpMasterDownInterval {
    # RFC 5798/9568 §6.1 (v3): 3 x interval + (256 - priority) x interval / 256; v2 (RFC 3768): skew (256 - priority)/256 s.
    param([Parameter(Mandatory)][double] $AdvertisementInterval, [int] $Priority = 100, [ValidateSet(2, 3)][int] $Version = 3)
    $skew = if ($Version -eq 3) { (256 - $Priority) * $AdvertisementInterval / 256 } else { (256 - $Priority) / 256 }
    [TimeSpan]::FromSeconds(3 * $AdvertisementInterval + $skew)
}

Export-ModuleMember -Function Start-VrrpLabCluster, Get-VrrpMasterDownInterval

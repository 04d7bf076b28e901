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
    $p = Start-VrrpLabNodeProcess $Harness $Node $Instance $ConfigPath
    Wait-VrrpLabNodeSocket $Harness $Node $TimeoutSeconds
    $p
}

function Start-VrrpLabNodeProcess($Harness, [int] $Node, [hashtable] $Instance, [string] $ConfigPath) {
    # Launches the node's daemon without waiting for its control socket.
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
    $p
}

function Wait-VrrpLabNodeSocket($Harness, [int] $Node, [int] $TimeoutSeconds) {
    $sock = Get-VrrpLabSocket $Harness $Node
    $p = $Harness.Processes["n$Node"]
    $log = Join-Path $Harness.Dir "n$Node.log"
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (-not (Test-Path $sock)) {
        if ($p.HasExited -or [DateTime]::UtcNow -gt $deadline) {
            throw "Node $Node did not start (exit $(if ($p.HasExited) { $p.ExitCode })): $(Get-Content $log -Raw -ErrorAction Ignore)"
        }
        Start-Sleep -Milliseconds 50
    }
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

function Start-VrrpLabNodeSet {
    # Starts several VrrpPS nodes at once (their pwsh start-ups overlap), then waits for every
    # control socket. $Instances maps node number -> Start-VrrpInstance parameter hashtable, or
    # -> the path of a keepalived.conf for that node (Import-KeepalivedConfig | Start-VrrpInstance).
    param([Parameter(Mandatory)] $Harness, [Parameter(Mandatory)][hashtable] $Instances, [int] $TimeoutSeconds = 60)
    $nodes = @($Instances.Keys | Sort-Object)
    foreach ($n in $nodes) {
        $v = $Instances[$n]
        if ($v -is [string]) { $null = Start-VrrpLabNodeProcess $Harness $n @{} $v }
        else { $null = Start-VrrpLabNodeProcess $Harness $n $v $null }
    }
    foreach ($n in $nodes) { Wait-VrrpLabNodeSocket $Harness $n $TimeoutSeconds }
}

function Get-VrrpLabLog {
    # Every node log and capture log of the lab as one text, for test failure messages.
    param([Parameter(Mandatory)] $Harness, [int] $Tail = 40)
    if (-not (Test-Path $Harness.Dir)) { return '(lab directory gone)' }
    $parts = Get-ChildItem $Harness.Dir -Filter '*.log' | Sort-Object Name | ForEach-Object {
        "--- $($_.Name) ---`n" + ((Get-Content $_.FullName -Tail $Tail -ErrorAction Ignore) -join "`n")
    }
    $parts -join "`n"
}

function Get-VrrpLabMac([Parameter(Mandatory)] $Harness, [Parameter(Mandatory)][int] $Node) {
    # MAC address of node N's lab interface (lowercase, colon separated).
    $ns = $Harness.Lab.NodeNamespace($Node)
    $json = & timeout 10 ip -n $ns -j link show dev $Harness.Lab.InterfaceName | ConvertFrom-Json
    [string]$json[0].address
}

function Get-VrrpLabNeighbour {
    # The client's neighbour (ARP/NDP) entry for Address: lladdr or $null when there is none.
    param([Parameter(Mandatory)] $Harness, [string] $Address = '198.51.100.100')
    $ns = $Harness.Lab.ClientNamespace
    if (-not $ns) { throw 'The lab has no client namespace (New-VrrpLab -Client).' }
    $entries = @(& timeout 10 ip -n $ns -j neigh show to $Address | ConvertFrom-Json)
    $e = $entries | Where-Object { $_.dst -eq $Address -and $_.PSObject.Properties['lladdr'] } | Select-Object -First 1
    if ($e) { [string]$e.lladdr } else { $null }
}

function Invoke-VrrpLabClientPing {
    # ICMP echo from the client namespace, one 'ping -c 1 -W 1' each (iputils-ping, installed by
    # Install-LabPrerequisites; much lighter than a pwsh per call on a loaded machine). Returns one
    # IPStatus-like name per echo: 'Success' or 'TimedOut'.
    param([Parameter(Mandatory)] $Harness, [string] $Address = '198.51.100.100', [int] $Count = 3)
    $ns = $Harness.Lab.ClientNamespace
    if (-not $ns) { throw 'The lab has no client namespace (New-VrrpLab -Client).' }
    $ping = (Get-Command ping -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source
    foreach ($i in 1..$Count) {
        $r = $Harness.Lab.Exec($ns, $ping, '-n', '-c', '1', '-W', '1', $Address)
        if ($r.Succeeded) { 'Success' } else { 'TimedOut' }
    }
}

function Wait-VrrpLabVip {
    # Polls node N's interface until the VIP is present (or, with -Absent, gone); returns the UTC
    # time it was first seen so, or throws after Timeout seconds. Works for keepalived nodes too.
    param([Parameter(Mandatory)] $Harness, [Parameter(Mandatory)][int] $Node, [string] $Address = '198.51.100.100',
          [double] $Timeout = 10, [switch] $Absent)
    $deadline = [DateTime]::UtcNow.AddSeconds($Timeout)
    while ($true) {
        if ((Get-VrrpLabVip $Harness $Node $Address) -ne [bool]$Absent) { return [DateTime]::UtcNow }
        if ([DateTime]::UtcNow -gt $deadline) {
            throw "VIP $Address $(if ($Absent) { 'still' } else { 'not' }) on node $Node after $Timeout s"
        }
        Start-Sleep -Milliseconds 10
    }
}

function Start-VrrpLabCapture {
    # tcpdump on the lab bridge (in the bridge namespace), packets written unbuffered (-U) to
    # $Harness.Dir/<Name>.pcap. --immediate-mode: without it libpcap hands packets over in blocks
    # (up to 1 s late) and a stop loses the last block. Returns once tcpdump listens.
    param([Parameter(Mandatory)] $Harness, [string] $Name = 'capture', [string[]] $Filter = @('ip', 'proto', '112', 'or', 'ip6', 'proto', '112'))
    $pcap = Join-Path $Harness.Dir "$Name.pcap"
    $log = Join-Path $Harness.Dir "$Name.tcpdump.log"
    $tcpdump = (Get-Command tcpdump -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source
    [string[]] $argv = @($tcpdump, '-i', [VrrpPS.Lab.NamespaceLab]::BridgeName, '-n', '-U', '--immediate-mode', '-w', $pcap) + $Filter
    $p = $Harness.Lab.StartLoggedProcess($Harness.Lab.BridgeNamespace, $log, $argv)
    $Harness.Processes["tcpdump-$Name"] = $p
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    while (-not ((Get-Content $log -Raw -ErrorAction Ignore) -match 'listening on')) {
        if ($p.HasExited -or [DateTime]::UtcNow -gt $deadline) { throw "tcpdump did not start: $(Get-Content $log -Raw -ErrorAction Ignore)" }
        Start-Sleep -Milliseconds 50
    }
    [pscustomobject]@{ Process = $p; Path = $pcap }
}

function Stop-VrrpLabCapture([Parameter(Mandatory)] $Capture) {
    # SIGINT: tcpdump flushes and closes the file.
    if (-not $Capture.Process.HasExited) {
        $null = & kill -INT $Capture.Process.Id
        if (-not $Capture.Process.WaitForExit(5000)) { $Capture.Process.Kill() }
    }
}

function Read-VrrpLabCapture {
    # tshark's decoding of the VRRP packets in a pcap, one object per packet. v3 IPv4 checksums are
    # verified with the RFC 5798 pseudo-header unless -V3ChecksumAsV2 (RFC 9568 §5.2.8 option).
    param([Parameter(Mandatory)][string] $Path, [switch] $V3ChecksumAsV2)
    $fields = 'frame.time_epoch', 'ip.src', 'ipv6.src', 'ip.dst', 'ipv6.dst', 'ip.ttl', 'ipv6.hlim', 'vrrp.version', 'vrrp.type',
        'vrrp.virt_rtr_id', 'vrrp.prio', 'vrrp.addr_count', 'vrrp.adver_int', 'vrrp.short_adver_int', 'vrrp.checksum.status',
        'vrrp.auth_type', 'vrrp.auth_string', 'vrrp.ip_addr', 'vrrp.ipv6_addr', 'ip.dsfield', 'ipv6.tclass', 'eth.src'
    $pref = "vrrp.v3_checksum_as_in_v2:$(if ($V3ChecksumAsV2) { 'TRUE' } else { 'FALSE' })"
    [string[]] $argv = @('-r', $Path, '-n', '-o', $pref, '-Y', 'vrrp', '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,')
    foreach ($f in $fields) { $argv += '-e', $f }
    $lines = & timeout 60 tshark @argv 2>$null
    if ($LASTEXITCODE -ne 0) { throw "tshark -r $Path failed (exit $LASTEXITCODE)" }
    foreach ($line in @($lines | Where-Object { $_ })) {
        $c = $line -split "`t"
        $v = [int]$c[7]
        [pscustomobject]@{
            PSTypeName     = 'VrrpPS.LabPacket'
            Time           = [DateTime]::UnixEpoch.AddTicks([long]([decimal]$c[0] * 10000000))
            Source         = if ($c[1]) { $c[1] } else { $c[2] }
            Destination    = if ($c[3]) { $c[3] } else { $c[4] }
            Ttl            = if ($c[5]) { [int]$c[5] } else { [int]$c[6] }
            Version        = $v
            Type           = [int]$c[8]
            VirtualRouterId = [int]$c[9]
            Priority       = [int]$c[10]
            AddressCount   = [int]$c[11]
            # v2: seconds; v3: centiseconds (RFC 5798 §5.2.7)
            Interval       = if ($v -eq 2) { [int]$c[12] } else { [int]$c[13] }
            ChecksumStatus = switch ($c[14]) { '0' { 'Bad' } '1' { 'Good' } '2' { 'Unverified' } default { $c[14] } }
            AuthType       = $c[15]
            AuthString     = $c[16]
            Addresses      = @((($c[17], $c[18]) -join ',') -split ',' | Where-Object { $_ })
            # IPv4 TOS byte / IPv6 traffic class as 0xNN (tshark prints the latter as 0x000000NN), and the frame's source MAC
            Tos            = '0x{0:x2}' -f [Convert]::ToInt32($(if ($c[19]) { $c[19] } else { $c[20] }), 16)
            EthSource      = $c[21]
        }
    }
}

function Get-VrrpLabTiming {
    # RFC timers in milliseconds for a backup of the given priority: Skew_Time and
    # Master_Down_Interval = 3 * Advertisement_Interval + Skew_Time. RFC 5798 §6.1 (v3):
    # Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256; RFC 3768 §6.1 (v2):
    # Skew_Time = (256 - Priority) / 256 seconds, whatever the interval.
    param([Parameter(Mandatory)][int] $Priority, [Parameter(Mandatory)][double] $AdvertisementInterval, [ValidateSet(2, 3)][int] $Version = 3)
    $intervalMs = $AdvertisementInterval * 1000
    $skew = if ($Version -eq 2) { (256 - $Priority) * 1000 / 256 } else { (256 - $Priority) * $intervalMs / 256 }
    [pscustomobject]@{ IntervalMs = $intervalMs; SkewMs = $skew; MasterDownMs = 3 * $intervalMs + $skew }
}

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

Export-ModuleMember -Function New-VrrpLab, Start-VrrpLabNode, Get-VrrpLabState, Wait-VrrpLabState, Stop-VrrpLabNode,
    Get-VrrpLabVip, Remove-VrrpLab, Get-VrrpLabSocket, New-KeepalivedLabConfig, Start-KeepalivedLabNode,
    Stop-KeepalivedLabNode, Get-VrrpLabMasterNode, Start-VrrpLabNodeSet, Get-VrrpLabLog, Get-VrrpLabMac,
    Get-VrrpLabNeighbour, Invoke-VrrpLabClientPing, Wait-VrrpLabVip, Start-VrrpLabCapture, Stop-VrrpLabCapture,
    Read-VrrpLabCapture, Get-VrrpLabTiming, Start-VrrpLabCluster,
    Get-VrrpMasterDownInterval

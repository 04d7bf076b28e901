# FRR vrrpd in a lab namespace (dot-sourced by Interop.Frr.Tests.ps1 after LabSupport.ps1). zebra and vrrpd run
# as user frr in node N's namespace with a pathspace of their own under the lab directory (config, pid files,
# zserv socket and vty sockets), never /etc/frr or /run/frr; Remove-VrrpLab kills them with the namespaces.
# The node is set up as FRR's documentation asks: one macvlan per VRID and family (mode bridge, addrgenmode random,
# MAC 00:00:5e:00:01:VRID / 00:00:5e:00:02:VRID) carrying the VIP, which vrrpd keeps in protodown while Backup.

$script:FrrDaemons = '/usr/lib/frr'

function Test-FrrAvailable {
    (Test-Path "$script:FrrDaemons/zebra") -and (Test-Path "$script:FrrDaemons/vrrpd") -and
        [bool](Get-Command vtysh -CommandType Application -ErrorAction Ignore) -and ((& id -u frr 2>$null) -match '^\d+$')
}

function Get-FrrMacvlanName([int] $Family, [int] $Vrid) { "vrrp$Family-2-$Vrid" }

function Start-FrrLabNode {
    # Creates the macvlan(s) for the VIPs on node N, writes the vrrpd config and starts zebra, then vrrpd.
    param([Parameter(Mandatory)] $Harness, [Parameter(Mandatory)][int] $Node, [Parameter(Mandatory)][int] $Vrid,
          [Parameter(Mandatory)][int] $Priority, [Parameter(Mandatory)][string[]] $VirtualIPAddress,
          [ValidateSet(2, 3)][int] $Version = 3, [int] $IntervalMs = 1000)
    $lab = $Harness.Lab
    $ns = $lab.NodeNamespace($Node)
    function Run([string[]] $argv) {
        $r = $lab.Exec($ns, [string[]]$argv)
        if (-not $r.Succeeded) { throw "node ${Node}: '$($argv -join ' ')' failed: $($r.StandardError)" }
    }
    # What a real deployment sets on the base interface: it answers ARP only for its own addresses (not for the
    # VIP, which lives on the macvlan: a weak-host answer would teach clients the base MAC) and announces from it.
    Run @('sysctl', '-qw', 'net.ipv4.conf.all.arp_ignore=1', 'net.ipv4.conf.eth0.arp_ignore=1', 'net.ipv4.conf.eth0.arp_announce=2')
    $lines = @('interface eth0', " vrrp $Vrid version $Version", " vrrp $Vrid priority $Priority", " vrrp $Vrid advertisement-interval $IntervalMs")
    foreach ($cidr in $VirtualIPAddress) {
        $v6 = $cidr.Contains(':')
        $family = if ($v6) { 6 } else { 4 }
        $link = Get-FrrMacvlanName $family $Vrid
        Run @('ip', 'link', 'add', $link, 'link', 'eth0', 'type', 'macvlan', 'mode', 'bridge')
        Run @('ip', 'link', 'set', 'dev', $link, 'addrgenmode', 'random')
        Run @('ip', 'link', 'set', 'dev', $link, 'address', ('00:00:5e:00:{0:x2}:{1:x2}' -f ($v6 ? 2 : 1), $Vrid))
        Run @('ip', 'addr', 'add', $cidr, 'dev', $link)
        Run @('ip', 'link', 'set', 'dev', $link, 'up')
        $lines += " vrrp $Vrid $($v6 ? 'ipv6' : 'ip') $($cidr.Split('/')[0])"
    }
    $dir = Join-Path $Harness.Dir "frr-n$Node"
    $null = New-Item -ItemType Directory -Path $dir -Force
    Set-Content -Path (Join-Path $dir 'zebra.conf') -Value ''
    Set-Content -Path (Join-Path $dir 'vrrpd.conf') -Value (($lines -join "`n") + "`n")
    & chown -R frr:frr $dir
    $common = @('-u', 'frr', '-g', 'frr', '-z', (Join-Path $dir 'zserv.api'), '--vty_socket', $dir, '--log', 'stdout')
    $Harness.Processes["frr-zebra-n$Node"] = $lab.StartLoggedProcess($ns, (Join-Path $Harness.Dir "n$Node-zebra.log"),
        ([string[]](@("$script:FrrDaemons/zebra", '-f', (Join-Path $dir 'zebra.conf'), '-i', (Join-Path $dir 'zebra.pid')) + $common)))
    $deadline = [DateTime]::UtcNow.AddSeconds(15)
    while (-not (Test-Path (Join-Path $dir 'zserv.api'))) {
        if ([DateTime]::UtcNow -gt $deadline -or $Harness.Processes["frr-zebra-n$Node"].HasExited) { throw "zebra did not start: $(Get-VrrpLabLog $Harness)" }
        Start-Sleep -Milliseconds 50
    }
    $Harness.Processes["frr-vrrpd-n$Node"] = $lab.StartLoggedProcess($ns, (Join-Path $Harness.Dir "n$Node-vrrpd.log"),
        ([string[]](@("$script:FrrDaemons/vrrpd", '-f', (Join-Path $dir 'vrrpd.conf'), '-i', (Join-Path $dir 'vrrpd.pid')) + $common)))
    [pscustomobject]@{ Dir = $dir; Node = $Node; Vrid = $Vrid }
}

function Invoke-FrrVtysh {
    # vtysh against the node's own vty sockets; each argument is one -c command.
    param([Parameter(Mandatory)] $Frr, [Parameter(Mandatory)][string[]] $Command)
    $argv = @('--vty_socket', $Frr.Dir) + @($Command | ForEach-Object { '-c', $_ })
    $out = & timeout 10 vtysh @argv 2>&1
    if ($LASTEXITCODE -ne 0) { throw "vtysh $($Command -join ' | ') failed ($LASTEXITCODE): $out" }
    $out -join "`n"
}

function Get-FrrVrrpStatus {
    # The vrrpd status of the family (v4 or v6): status (Initialize/Backup/Master), stats, masterDownInterval…
    param([Parameter(Mandatory)] $Frr, [ValidateSet('v4', 'v6')][string] $Family = 'v4')
    $j = Invoke-FrrVtysh $Frr "show vrrp $($Frr.Vrid) json" | ConvertFrom-Json
    @($j)[0].$Family
}

function Wait-FrrVrrpStatus {
    param([Parameter(Mandatory)] $Frr, [Parameter(Mandatory)][string] $Status, [string] $Family = 'v4', [double] $Timeout = 10)
    $deadline = [DateTime]::UtcNow.AddSeconds($Timeout)
    do {
        $s = Get-FrrVrrpStatus $Frr $Family
        if ($s.status -eq $Status) { return $s }
        Start-Sleep -Milliseconds 20
    } while ([DateTime]::UtcNow -lt $deadline)
    throw "FRR vrrpd ($Family) is '$($s.status)', not '$Status', after $Timeout s"
}

function Set-FrrVrrpPriority([Parameter(Mandatory)] $Frr, [Parameter(Mandatory)][int] $Priority) {
    $null = Invoke-FrrVtysh $Frr 'configure terminal', 'interface eth0', "vrrp $($Frr.Vrid) priority $Priority"
}

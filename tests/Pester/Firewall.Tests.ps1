# Invoke-FirewallVrrpRule against real nftables and iptables, always inside network namespaces this
# file creates (random tag) and deletes — never the root namespace's firewall. The traffic proof
# sends raw IP protocol 112 packets between two namespaces through a user "policy drop" firewall.
# Helpers: Invoke-FirewallVrrpRuleInNamespace runs the cmdlet in a fresh pwsh inside a namespace
# (reuse it for the engine split-brain test: same namespace, same module).

BeforeDiscovery {
    $script:IsRoot = (& id -u) -eq '0'
}

BeforeAll {
    $ModulePath = if ($env:VRRPPS_MODULE_PATH) { $env:VRRPPS_MODULE_PATH } else {
        # Local runs before build.ps1 Build works: the plain build output (Firewall needs no Tmds.LibC).
        Join-Path $PSScriptRoot '../../src/VrrpPS/bin/Debug/net8.0/VrrpPS.dll' | Resolve-Path | ForEach-Object Path
    }
    $Tag = 'fw' + [Guid]::NewGuid().ToString('N').Substring(0, 6)
    $script:Namespaces = [System.Collections.Generic.List[string]]::new()
    $Fqid = ',VrrpPS.Cmdlets.InvokeFirewallVrrpRule'

    function Invoke-Ns([string] $Namespace, [string[]] $Command, [switch] $AllowFailure, [string] $InputText) {
        # One program in the namespace, argument array, bounded in time.
        $out = if ($InputText) { $InputText | & timeout 30 ip netns exec $Namespace @Command 2>&1 } else { & timeout 30 ip netns exec $Namespace @Command 2>&1 }
        if ($LASTEXITCODE -ne 0 -and -not $AllowFailure) { throw "ip netns exec $Namespace $($Command -join ' ') failed ($LASTEXITCODE): $out" }
        return (@($out | ForEach-Object ToString) -join "`n")
    }

    function New-FwNamespace([string] $Name) {
        $ns = "$Tag-$Name"
        & timeout 10 ip netns add $ns
        if ($LASTEXITCODE -ne 0) { throw "ip netns add $ns failed" }
        $script:Namespaces.Add($ns)
        $null = Invoke-Ns $ns @('sysctl', '-qw', 'net.ipv6.conf.default.accept_dad=0')
        $null = Invoke-Ns $ns @('ip', 'link', 'set', 'lo', 'up')
        $null = Invoke-Ns $ns @('ip', 'link', 'add', 'vrrp0', 'type', 'veth', 'peer', 'name', 'vrrp0p')
        return $ns
    }

    function Invoke-FirewallVrrpRuleInNamespace([string] $Namespace, [hashtable] $Parameters = @{}, [int] $EnterPid) {
        # Runs Invoke-FirewallVrrpRule -PassThru in a fresh pwsh inside the namespace. Returns
        # Result (the result object as parsed JSON), ErrorIds, and Host (what -WhatIf printed).
        $script = Join-Path ([IO.Path]::GetTempPath()) "$Tag-run.ps1"
        Set-Content -Path $script -Value @'
param([string] $ModulePath, [string] $ParamJson)
Import-Module $ModulePath
$p = @{}
($ParamJson | ConvertFrom-Json -AsHashtable).GetEnumerator() | ForEach-Object {
    $p[$_.Key] = if ($_.Value -is [bool]) { [switch]$_.Value } else { $_.Value } }
# ConfigPath: pipe Import-KeepalivedConfig's objects in, as a user would.
$config = $p['ConfigPath']; $p.Remove('ConfigPath')
$in = if ($config) { Import-KeepalivedConfig $config -WarningAction SilentlyContinue } else { $null }
$errors = @(); $result = $null
try { $result = $in | Invoke-FirewallVrrpRule @p -PassThru -ErrorVariable +errs -ErrorAction SilentlyContinue -WarningAction SilentlyContinue }
catch { $errors += $_.FullyQualifiedErrorId }
$errors += @($errs | ForEach-Object FullyQualifiedErrorId)
'##RESULT##' + (@{ Result = @($result); ErrorIds = $errors } | ConvertTo-Json -Depth 4 -Compress -EnumsAsStrings)
'@
        $exe = [Environment]::ProcessPath
        [string[]] $prefix = if ((Split-Path $exe -Leaf) -like 'dotnet*') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }
        $json = $Parameters | ConvertTo-Json -Compress
        # -EnterPid: join that process's network and mount namespaces (firewalld's private D-Bus).
        [string[]] $enter = if ($EnterPid) { @('nsenter', '-t', "$EnterPid", '-m', '-n') } else { @('ip', 'netns', 'exec', $Namespace) }
        $lines = @(& timeout 120 @enter $exe @prefix -NoProfile -NonInteractive -File $script -ModulePath $ModulePath -ParamJson $json 2>&1 |
            ForEach-Object { $_.ToString() -replace "\e\[[0-9;]*[A-Za-z]", '' })
        $marker = $lines | Where-Object { $_.StartsWith('##RESULT##') } | Select-Object -Last 1
        if (-not $marker) { throw "No result from the child pwsh: $($lines -join "`n")" }
        $parsed = $marker.Substring(10) | ConvertFrom-Json
        $res = @($parsed.Result); $res = if ($res.Count -eq 1) { $res[0] } elseif ($res.Count -eq 0) { $null } else { $res }
        [pscustomobject]@{ Result = $res; ErrorIds = @($parsed.ErrorIds); Host = @($lines | Where-Object { -not $_.StartsWith('##RESULT##') }) }
    }

    $UserNft = @'
table inet filter {
    chain input {
        type filter hook input priority filter; policy drop;
        iifname "lo" accept
        tcp dport 22 accept comment "user ssh"
        tcp dport 112 accept comment "the wrong vrrp rule"
    }
}
'@
    function Set-UserNftables([string] $Namespace) {
        $null = Invoke-Ns $Namespace @('nft', '-f', '-') -InputText $UserNft
    }
    function Get-NftRuleset([string] $Namespace) { Invoke-Ns $Namespace @('nft', 'list', 'ruleset') }
    function Set-UserIptables([string] $Namespace) {
        foreach ($tool in 'iptables', 'ip6tables') {
            $null = Invoke-Ns $Namespace @($tool, '-w', '-A', 'INPUT', '-i', 'lo', '-j', 'ACCEPT')
            $null = Invoke-Ns $Namespace @($tool, '-w', '-A', 'INPUT', '-p', 'tcp', '--dport', '22', '-j', 'ACCEPT')
            $null = Invoke-Ns $Namespace @($tool, '-w', '-P', 'INPUT', 'DROP')
        }
    }
    function Get-IptablesRules([string] $Namespace) {
        (Invoke-Ns $Namespace @('iptables', '-w', '-S')) + "`n" + (Invoke-Ns $Namespace @('ip6tables', '-w', '-S'))
    }

    # Raw IP protocol 112 sender/receiver (no VRRP engine needed). The receiver's raw socket sees a
    # packet only after the input hook accepted it, so its count is what the firewall let through.
    $Probe = Join-Path ([IO.Path]::GetTempPath()) "$Tag-probe.py"
    Set-Content -Path $Probe -Value @'
import json, socket, struct, sys, time
mode, fam, addr, ifname = sys.argv[1:5]
af = socket.AF_INET if fam == "4" else socket.AF_INET6
s = socket.socket(af, socket.SOCK_RAW, 112)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
idx = socket.if_nametoindex(ifname)
if mode == "recv":
    if af == socket.AF_INET:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(addr) + socket.inet_aton("0.0.0.0") + struct.pack("@i", idx))
    else:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, socket.inet_pton(af, addr) + struct.pack("@I", idx))
    deadline, seen = time.monotonic() + float(sys.argv[5]), []
    while time.monotonic() < deadline:
        s.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            seen.append(s.recvfrom(2048)[1][0])
        except socket.timeout:
            pass
    print(json.dumps(seen))
else:
    count, src = int(sys.argv[5]), (sys.argv[6] if len(sys.argv) > 6 else None)
    if af == socket.AF_INET:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
        if src: s.bind((src, 0))
        dst = (addr, 0)
    else:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
        dst = (addr, 0, 0, idx)
    advert = bytes([0x21, 51, 100, 1, 0, 1, 0, 0, 198, 51, 100, 100])  # VRRPv2-shaped; content is irrelevant here
    for _ in range(count):
        s.sendto(advert, dst)
        time.sleep(0.05)
'@
    function Measure-VrrpArrival([string] $From, [string] $To, [string] $Family = '4', [string] $Destination = '224.0.0.18', [string] $Source) {
        # Sends 5 protocol-112 packets From -> To over the veth and returns how many arrived.
        $group = if ($Destination -in '224.0.0.18', 'ff02::12') { $Destination } elseif ($Family -eq '4') { '224.0.0.18' } else { 'ff02::12' }
        $psi = [System.Diagnostics.ProcessStartInfo]::new('timeout')
        foreach ($a in '10', 'ip', 'netns', 'exec', $To, 'python3', $Probe, 'recv', $Family, $group, 'vb', '1.5') { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardOutput = $true
        $receiver = [System.Diagnostics.Process]::Start($psi)
        Start-Sleep -Milliseconds 500
        [string[]] $send = @('python3', $Probe, 'send', $Family, $Destination, 'va', '5') + @($Source | Where-Object { $_ })
        $null = Invoke-Ns $From $send
        $out = $receiver.StandardOutput.ReadToEnd()
        $receiver.WaitForExit(10000) | Should -BeTrue
        return @($out | ConvertFrom-Json).Count
    }

    function New-FwLab([string] $Suffix) {
        # Sender A (va: 198.51.100.1 and .3, 2001:db8::1) and receiver B (vb: 198.51.100.2, 2001:db8::2).
        $a = New-FwNamespace "a$Suffix"; $b = New-FwNamespace "b$Suffix"
        $null = Invoke-Ns $a @('ip', 'link', 'add', 'va', 'type', 'veth', 'peer', 'name', 'vb', 'netns', $b)
        foreach ($x in @(@($a, 'va', '198.51.100.1/24', '2001:db8::1/64'), @($b, 'vb', '198.51.100.2/24', '2001:db8::2/64'))) {
            $null = Invoke-Ns $x[0] @('ip', 'addr', 'add', $x[2], 'dev', $x[1])
            $null = Invoke-Ns $x[0] @('ip', 'addr', 'add', $x[3], 'dev', $x[1], 'nodad')
            $null = Invoke-Ns $x[0] @('ip', 'link', 'set', $x[1], 'up')
        }
        $null = Invoke-Ns $a @('ip', 'addr', 'add', '198.51.100.3/24', 'dev', 'va')
        return @($a, $b)
    }
}

AfterAll {
    foreach ($ns in $script:Namespaces) { & timeout 10 ip netns del $ns 2>$null }
    Remove-Item (Join-Path ([IO.Path]::GetTempPath()) "$Tag-*") -ErrorAction Ignore
}

Describe 'Invoke-FirewallVrrpRule with nftables (user table inet filter, policy drop)' -Skip:(-not $IsRoot) {
    BeforeAll {
        $ns = New-FwNamespace 'nft'
        Set-UserNftables $ns
        $Original = Get-NftRuleset $ns
    }

    It '-WhatIf prints exactly the rules and changes nothing' {
        $r = Invoke-FirewallVrrpRuleInNamespace $ns @{ Provider = 'Nftables'; Interface = 'vrrp0'; WhatIf = $true }
        $r.ErrorIds | Should -BeNullOrEmpty
        $r.Result.Changed | Should -BeFalse
        $whatIf = @($r.Host | Where-Object { $_ -like 'What if:*' })
        $whatIf.Count | Should -Be 2
        $whatIf[0] | Should -Match '^What if: nft insert rule inet filter input iifname "vrrp0" ip daddr 224\.0\.0\.18 ip protocol 112 counter accept comment "vrrpps:v4:vrrp0:[0-9a-f]{8}"$'
        Get-NftRuleset $ns | Should -BeExactly $Original
    }

    It 'adds the accept at the top of the user chain, warns about the tcp port 112 rule, and is idempotent' {
        $first = Invoke-FirewallVrrpRuleInNamespace $ns @{ Provider = 'Nftables'; Interface = 'vrrp0' }
        $first.Result.Changed | Should -BeTrue
        $first.Result.Action | Should -Be 'Added'
        $first.Result.Provider | Should -Be 'Nftables'
        $first.Result.Warnings -join "`n" | Should -Match 'tcp/udp port 112'
        $after = Get-NftRuleset $ns
        ($after -split "`n" | Where-Object { $_ -match '\S' })[3] | Should -Match 'comment "vrrpps:v[46]:vrrp0:'
        $second = Invoke-FirewallVrrpRuleInNamespace $ns @{ Provider = 'Nftables'; Interface = 'vrrp0' }
        $second.Result.Changed | Should -BeFalse
        $second.Result.Rules.Count | Should -Be 2
        Get-NftRuleset $ns | Should -BeExactly $after
    }

    It '-Remove deletes exactly what was added: the user ruleset is restored byte for byte' {
        $r = Invoke-FirewallVrrpRuleInNamespace $ns @{ Provider = 'Nftables'; Interface = 'vrrp0'; Remove = $true }
        $r.Result.Action | Should -Be 'Removed'
        Get-NftRuleset $ns | Should -BeExactly $Original
        (Invoke-FirewallVrrpRuleInNamespace $ns @{ Provider = 'Nftables'; Interface = 'vrrp0'; Remove = $true }).Result.Changed | Should -BeFalse
    }

    It 'IPv6 only adds only the ff02::12 rule; Auto picks nftables here' {
        $r = Invoke-FirewallVrrpRuleInNamespace $ns @{ AddressFamily = 'IPv6' }
        $r.Result.Provider | Should -Be 'Nftables'
        $r.Result.Rules | Should -HaveCount 1
        $r.Result.Rules[0] | Should -Match 'ip6 daddr ff02::12 meta l4proto 112'
        $null = Invoke-FirewallVrrpRuleInNamespace $ns @{ AddressFamily = 'IPv6'; Remove = $true }
        Get-NftRuleset $ns | Should -BeExactly $Original
    }

    It 'takes interface, unicast peers and family from Import-KeepalivedConfig objects; vrrp_script objects are skipped' {
        $conf = Join-Path ([IO.Path]::GetTempPath()) "$Tag-keepalived.conf"
        Set-Content -Path $conf -Value @"
vrrp_script chk {
    script "/bin/true"
}
vrrp_instance VI_1 {
    interface vrrp0
    virtual_router_id 51
    priority 100
    unicast_peer {
        198.51.100.7
    }
    virtual_ipaddress {
        198.51.100.10/24
    }
}
vrrp_instance VI_6 {
    interface vrrp0
    virtual_router_id 52
    priority 100
    virtual_ipaddress {
        2001:db8::10/64
    }
}
"@
        $r = Invoke-FirewallVrrpRuleInNamespace $ns @{ Provider = 'Nftables'; ConfigPath = $conf; WhatIf = $true }
        $r.ErrorIds | Should -BeNullOrEmpty
        @($r.Result).Count | Should -Be 2
        @($r.Host | Where-Object { $_ -like 'What if:*' }) | Should -Match '^What if: nft insert rule inet filter input iifname "vrrp0" (ip saddr 198\.51\.100\.7 ip protocol 112|ip6 daddr ff02::12 meta l4proto 112) '
        @($r.Result)[0].AddressFamily | Should -Be 'IPv4'
        @($r.Result)[1].AddressFamily | Should -Be 'IPv6'
        Get-NftRuleset $ns | Should -BeExactly $Original
    }

    It 'bad input <Name> is <Id> and nothing is applied' -ForEach @(
        @{ Name = 'injection in the interface'; Params = @{ Interface = 'eth0; rm -rf /' }; Id = 'InvalidInterfaceName' }
        @{ Name = 'unknown interface'; Params = @{ Interface = 'nosuch0' }; Id = 'InterfaceNotFound' }
        @{ Name = 'malformed peer'; Params = @{ Peer = @('198.51.100.300') }; Id = 'InvalidPeerAddress' }
        @{ Name = 'injection in a peer'; Params = @{ Peer = @('198.51.100.1 accept; flush ruleset') }; Id = 'InvalidPeerAddress' }
    ) {
        $Params.Provider = 'Nftables'
        $r = Invoke-FirewallVrrpRuleInNamespace $ns $Params
        $r.ErrorIds | Should -Be @("$Id$Fqid")
        $r.Result | Should -BeNullOrEmpty
        Get-NftRuleset $ns | Should -BeExactly $Original
    }
}

Describe 'Invoke-FirewallVrrpRule with iptables/ip6tables (INPUT policy DROP)' -Skip:(-not $IsRoot) {
    BeforeAll {
        $ns = New-FwNamespace 'ipt'
        Set-UserIptables $ns
        $Original = Get-IptablesRules $ns
    }

    It '-WhatIf lists the exact commands and changes nothing' {
        $r = Invoke-FirewallVrrpRuleInNamespace $ns @{ Provider = 'Iptables'; Interface = 'vrrp0'; WhatIf = $true }
        $whatIf = @($r.Host | Where-Object { $_ -like 'What if:*' })
        $whatIf[0] | Should -BeExactly 'What if: iptables -w -N VRRPPS'
        $whatIf[1] | Should -Match '^What if: iptables -w -A VRRPPS -i vrrp0 -d 224\.0\.0\.18 -p 112 -m comment --comment vrrpps:v4:vrrp0:[0-9a-f]{8} -j ACCEPT$'
        $whatIf[2] | Should -BeExactly 'What if: iptables -w -I INPUT 1 -j VRRPPS'
        $whatIf[4] | Should -Match '^What if: ip6tables -w -A VRRPPS -i vrrp0 -d ff02::12 -p 112 '
        Get-IptablesRules $ns | Should -BeExactly $Original
    }

    It 'adds the VRRPPS chain jumped from the top of INPUT (both families), idempotently' {
        (Invoke-FirewallVrrpRuleInNamespace $ns @{ Provider = 'Iptables'; Interface = 'vrrp0' }).Result.Changed | Should -BeTrue
        $after = Get-IptablesRules $ns
        (Invoke-Ns $ns @('iptables', '-w', '-S', 'INPUT')) -split "`n" | Select-Object -Index 1 | Should -BeExactly '-A INPUT -j VRRPPS'
        (Invoke-Ns $ns @('ip6tables', '-w', '-S', 'INPUT')) -split "`n" | Select-Object -Index 1 | Should -BeExactly '-A INPUT -j VRRPPS'
        (Invoke-FirewallVrrpRuleInNamespace $ns @{ Provider = 'Iptables'; Interface = 'vrrp0' }).Result.Changed | Should -BeFalse
        Get-IptablesRules $ns | Should -BeExactly $after
    }

    It '-Remove restores the user rules exactly' {
        (Invoke-FirewallVrrpRuleInNamespace $ns @{ Provider = 'Iptables'; Interface = 'vrrp0'; Remove = $true }).Result.Action | Should -Be 'Removed'
        Get-IptablesRules $ns | Should -BeExactly $Original
    }
}

Describe 'Traffic proof: VRRP through a user drop firewall (<Provider>)' -Skip:(-not $IsRoot) -ForEach @(
    @{ Provider = 'Nftables' }, @{ Provider = 'Iptables' }
) {
    BeforeAll {
        $a, $b = New-FwLab $Provider.Substring(0, 3).ToLowerInvariant()
        if ($Provider -eq 'Nftables') { Set-UserNftables $b } else { Set-UserIptables $b }
    }

    It 'multicast 224.0.0.18 is dropped by the user firewall, accepted after the rule, dropped again after -Remove' {
        Measure-VrrpArrival $a $b | Should -Be 0
        (Invoke-FirewallVrrpRuleInNamespace $b @{ Provider = $Provider; Interface = 'vb' }).Result.Changed | Should -BeTrue
        Measure-VrrpArrival $a $b | Should -Be 5
        (Invoke-FirewallVrrpRuleInNamespace $b @{ Provider = $Provider; Interface = 'vb'; Remove = $true }).Result.Changed | Should -BeTrue
        Measure-VrrpArrival $a $b | Should -Be 0
    }

    It 'IPv6 multicast ff02::12 passes only with the rule' {
        Measure-VrrpArrival $a $b -Family 6 -Destination 'ff02::12' | Should -Be 0
        $null = Invoke-FirewallVrrpRuleInNamespace $b @{ Provider = $Provider; Interface = 'vb'; AddressFamily = 'IPv6' }
        Measure-VrrpArrival $a $b -Family 6 -Destination 'ff02::12' | Should -Be 5
        $null = Invoke-FirewallVrrpRuleInNamespace $b @{ Provider = $Provider; Interface = 'vb'; AddressFamily = 'IPv6'; Remove = $true }
    }

    It 'with -Peer, unicast from the listed peer passes and a third address is not heard' {
        $r = Invoke-FirewallVrrpRuleInNamespace $b @{ Provider = $Provider; Interface = 'vb'; Peer = @('198.51.100.1') }
        $r.Result.AddressFamily | Should -Be 'IPv4'
        Measure-VrrpArrival $a $b -Destination '198.51.100.2' -Source '198.51.100.1' | Should -Be 5
        Measure-VrrpArrival $a $b -Destination '198.51.100.2' -Source '198.51.100.3' | Should -Be 0
        Measure-VrrpArrival $a $b -Source '198.51.100.3' | Should -Be 0 # nor multicast from a non-peer
        $null = Invoke-FirewallVrrpRuleInNamespace $b @{ Provider = $Provider; Interface = 'vb'; Peer = @('198.51.100.1'); Remove = $true }
    }
}

Describe 'Invoke-FirewallVrrpRule with firewalld (own D-Bus inside the namespace)' -Skip:(-not $IsRoot -or -not (Get-Command firewalld -ErrorAction Ignore)) {
    BeforeAll {
        # firewalld needs the system bus: the namespace gets its own dbus-daemon on a tmpfs /run/dbus,
        # its own /etc/firewalld copy and /var/log (mount namespace of `ip netns exec`); nothing
        # reaches the root namespace. Commands join it with nsenter -t <firewalld pid> -m -n.
        $a, $b = New-FwLab 'fwd'
        $pidFile = Join-Path ([IO.Path]::GetTempPath()) "$Tag-fwd.pids"
        $starter = Join-Path ([IO.Path]::GetTempPath()) "$Tag-fwd.sh"
        Set-Content -Path $starter -Value @"
set -e
mount -t tmpfs tmpfs /run/dbus
mount -t tmpfs tmpfs /var/log
E=`$(mktemp -d); cp -a /etc/firewalld/. `$E/; mount --bind `$E /etc/firewalld
DBUSPID=`$(dbus-daemon --system --fork --nopidfile --print-pid)
echo "`$DBUSPID `$`$" > $pidFile
exec firewalld --nofork --nopid
"@
        $psi = [System.Diagnostics.ProcessStartInfo]::new('ip')
        foreach ($x in 'netns', 'exec', $b, 'sh', $starter) { $psi.ArgumentList.Add($x) }
        $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true
        $script:Firewalld = [System.Diagnostics.Process]::Start($psi)
        $deadline = [DateTime]::UtcNow.AddSeconds(40)
        do { Start-Sleep -Milliseconds 500 } until ((Test-Path $pidFile) -or [DateTime]::UtcNow -gt $deadline)
        $script:DbusPid, $script:FwPid = [int[]]((Get-Content $pidFile -Raw).Trim() -split ' ')
        do { Start-Sleep -Milliseconds 500; $null = & timeout 10 nsenter -t $FwPid -m -n firewall-cmd --state 2>&1 }
        until ($LASTEXITCODE -eq 0 -or [DateTime]::UtcNow -gt $deadline)
        $LASTEXITCODE | Should -Be 0 -Because 'firewalld must come up inside the namespace'
        function Invoke-Fwd([string[]] $Arguments) { & timeout 30 nsenter -t $FwPid -m -n firewall-cmd @Arguments 2>&1 }
    }
    AfterAll {
        # Only the processes this block started, by id.
        if ($script:FwPid) { Stop-Process -Id $script:FwPid -ErrorAction Ignore }
        if ($script:DbusPid) { Stop-Process -Id $script:DbusPid -ErrorAction Ignore }
        if ($script:Firewalld) { $null = $script:Firewalld.WaitForExit(15000) }
    }

    It 'Auto picks firewalld; -WhatIf prints the firewall-cmd rich rules and changes nothing' {
        $r = Invoke-FirewallVrrpRuleInNamespace $b @{ Interface = 'vb'; AddressFamily = 'IPv4'; WhatIf = $true } -EnterPid $FwPid
        $r.Result.Provider | Should -Be 'Firewalld'
        @($r.Host | Where-Object { $_ -like 'What if:*' }) | Should -Be @(
            "What if: firewall-cmd --add-rich-rule='rule family=`"ipv4`" destination address=`"224.0.0.18`" protocol value=`"vrrp`" accept'")
        Invoke-Fwd @('--list-rich-rules') | Should -BeNullOrEmpty
    }

    It 'port 112/tcp (the usual advice) lets nothing through and is warned about; the rich rule lets VRRP through' {
        $null = Invoke-Fwd @('--add-port=112/tcp')
        Measure-VrrpArrival $a $b | Should -Be 0
        $r = Invoke-FirewallVrrpRuleInNamespace $b @{ Provider = 'Firewalld'; Interface = 'vb'; AddressFamily = 'IPv4' } -EnterPid $FwPid
        $r.Result.Changed | Should -BeTrue
        $r.Result.Warnings -join "`n" | Should -Match 'port 112/tcp'
        Measure-VrrpArrival $a $b | Should -Be 5
        (Invoke-FirewallVrrpRuleInNamespace $b @{ Provider = 'Firewalld'; Interface = 'vb'; AddressFamily = 'IPv4' } -EnterPid $FwPid).Result.Changed | Should -BeFalse
        (Invoke-FirewallVrrpRuleInNamespace $b @{ Provider = 'Firewalld'; Interface = 'vb'; AddressFamily = 'IPv4'; Remove = $true } -EnterPid $FwPid).Result.Action | Should -Be 'Removed'
        Measure-VrrpArrival $a $b | Should -Be 0
        Invoke-Fwd @('--list-ports') | Should -Be '112/tcp' # the user's own (wrong) rule is left alone
    }

    It '-Permanent writes runtime and permanent rules; -Remove -Permanent removes both' {
        $p = @{ Provider = 'Firewalld'; Peer = @('198.51.100.1'); Permanent = $true }
        (Invoke-FirewallVrrpRuleInNamespace $b $p -EnterPid $FwPid).Result.Rules.Count | Should -Be 2
        Invoke-Fwd @('--permanent', '--list-rich-rules') | Should -Be 'rule family="ipv4" source address="198.51.100.1" protocol value="vrrp" accept'
        Measure-VrrpArrival $a $b -Destination '198.51.100.2' -Source '198.51.100.1' | Should -Be 5
        Measure-VrrpArrival $a $b -Destination '198.51.100.2' -Source '198.51.100.3' | Should -Be 0
        $p.Remove = $true
        $null = Invoke-FirewallVrrpRuleInNamespace $b $p -EnterPid $FwPid
        Invoke-Fwd @('--permanent', '--list-rich-rules') | Should -BeNullOrEmpty
        Invoke-Fwd @('--list-rich-rules') | Should -BeNullOrEmpty
    }
}

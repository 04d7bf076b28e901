# Issue 16, the receive path at scale: one VrrpPS node Master for 50 virtual routers on one interface and a
# second node Backup for all of them, mixed side by side — VRRPv3 and VRRPv2, IPv4 and IPv6 (the same VRIDs in
# both families), multicast and unicast. Every router elects exactly one Master, the VIPs sit only on it, and a
# priority change on one router moves that router only. Also: global_defs vrrp_rt_priority puts the engine
# thread (and only it) in SCHED_RR. Nodes are `Import-KeepalivedConfig | Start-VrrpInstance -Wait` processes in
# their own namespaces; the lab is removed in AfterAll.

Describe 'VrrpPS lab: 50 virtual routers on one interface, v2/v3, IPv4/IPv6, multicast/unicast' {
    BeforeAll {
        $h = $null
        . (Join-Path $PSScriptRoot 'LabSupport.ps1')
        # name prefix -> VRIDs, version, family, unicast; the IPv6 multicast routers reuse the IPv4 VRIDs 1-10
        $groups = @(
            @{ Prefix = 'm4v3'; Vrids = 1..10; Version = 3; V6 = $false; Unicast = $false }
            @{ Prefix = 'm4v2'; Vrids = 11..20; Version = 2; V6 = $false; Unicast = $false }
            @{ Prefix = 'm6v3'; Vrids = 1..10; Version = 3; V6 = $true; Unicast = $false }
            @{ Prefix = 'u4v3'; Vrids = 21..30; Version = 3; V6 = $false; Unicast = $true }
            @{ Prefix = 'u6v3'; Vrids = 31..40; Version = 3; V6 = $true; Unicast = $true }
        )
        function Get-Vip($g, [int] $vrid) { if ($g.V6) { "2001:db8:1::$($vrid):$([int]$g.Unicast)/128" } else { "198.18.$(1 + [int]$g.Unicast).$vrid/32" } }
        function New-ReceivePathConfig([int] $Node, [int] $Priority, [string[]] $Global) {
            $self = 10 + $Node; $peer = if ($Node -eq 1) { 12 } else { 11 }
            $lines = @('global_defs {') + $Global + @('}')
            foreach ($g in $groups) {
                foreach ($v in $g.Vrids) {
                    $lines += "vrrp_instance $($g.Prefix)_$v {", '    state BACKUP', '    interface eth0', "    virtual_router_id $v",
                        "    priority $Priority", "    version $($g.Version)", "    advert_int $(if ($g.Version -eq 2) { 1 } else { 0.1 })",
                        '    virtual_ipaddress {', "        $(Get-Vip $g $v)", '    }'
                    if ($g.Unicast) {
                        $src = if ($g.V6) { "2001:db8::$self" } else { "198.51.100.$self" }
                        $dst = if ($g.V6) { "2001:db8::$peer" } else { "198.51.100.$peer" }
                        $lines += "    unicast_src_ip $src", '    unicast_peer {', "        $dst", '    }'
                    }
                    $lines += '}'
                }
            }
            $path = Join-Path $h.Dir "n$Node-receive.conf"
            Set-Content -Path $path -Value (($lines -join "`n") + "`n") -NoNewline
            $path
        }
        $names = foreach ($g in $groups) { foreach ($v in $g.Vrids) { "$($g.Prefix)_$v" } }
        $h = New-TestLab -Nodes 2 -IPv6
        try {
            # keepalived's default vrrp_rlimit_rttime (10 ms without blocking): the engine starts real-time with a start-up
            # budget (1 s for 5 s), so the burst after starting 50 instances (GARP, JIT) on a loaded machine no longer
            # demotes the thread (seen once in the full suite at load 20 before the budget).
            $c1 = New-ReceivePathConfig 1 150 @('    vrrp_rt_priority 10')
            $c2 = New-ReceivePathConfig 2 100 @()
            $null = Start-VrrpLabNode $h 1 @{} -ConfigPath $c1 -TimeoutSeconds 60
            $null = Start-VrrpLabNode $h 2 @{} -ConfigPath $c2 -TimeoutSeconds 60
        }
        catch { Remove-VrrpLab $h; throw }
        function Why { "`nnode logs:`n$(Get-VrrpLabLog $h)" }
        function Get-States([int] $Node) { $all = @{}; foreach ($s in @(Get-VrrpState -ControlSocket (Get-VrrpLabSocket $h $Node))) { $all[$s.Name] = $s }; $all }
        function Get-Vips([int] $Node) {
            $ns = $h.Lab.NodeNamespace($Node)
            @(& ip -n $ns -o addr show dev eth0) | ForEach-Object { if ($_ -match 'inet6? (198\.18\.\d+\.\d+/32|2001:db8:1::[0-9a-f:]+/128)') { $Matches[1] } }
        }
        function Wait-AllStates([hashtable] $Want, [int] $Node, [double] $Seconds) {
            # $Want: name -> state; bounded in time, polled through the control socket
            $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
            do {
                $s = Get-States $Node
                $bad = @($Want.Keys | Where-Object { -not $s.ContainsKey($_) -or "$($s[$_].State)" -ne $Want[$_] })
                if ($bad.Count -eq 0) { return $s }
                Start-Sleep -Milliseconds 200
            } while ([DateTime]::UtcNow -lt $deadline)
            throw "node ${Node}: not in the expected state after $Seconds s: $(($bad | Select-Object -First 8 | ForEach-Object { "$_=$($s[$_].State)" }) -join ', ')$(Why)"
        }
        function Get-EngineThread([int] $Node) {
            # /proc/<pwsh>/task/<tid>: the thread named "VrrpPS engine"; fields 40 (rt_priority) and 41 (policy) of its stat
            $procId = $h.Processes["n$Node"].Id
            foreach ($t in Get-ChildItem "/proc/$procId/task") {
                if ((Get-Content "$($t.FullName)/comm" -ErrorAction Ignore) -eq 'VrrpPS engine') {
                    $stat = Get-Content "$($t.FullName)/stat" -Raw
                    $f = $stat.Substring($stat.LastIndexOf(')') + 2).Split(' ')
                    return [pscustomobject]@{ Tid = [int]$t.Name; RtPriority = [int]$f[37]; Policy = [int]$f[38] }
                }
            }
            throw "node ${Node}: no thread named 'VrrpPS engine' in process $procId"
        }
        $allMaster = @{}; $allBackup = @{}
        foreach ($n in $names) { $allMaster[$n] = 'Master'; $allBackup[$n] = 'Backup' }
    }

    AfterAll {
        if (-not $h) { return }
        Remove-VrrpLab $h
        @(& ip netns list) -match "^$($h.Lab.Tag)-" | Should -BeNullOrEmpty -Because 'the lab leaves no namespace behind'
    }

    It 'elects node 1 Master and node 2 Backup for every one of the 50 routers, with node 1 as the Master each Backup sees' {
        $names.Count | Should -Be 50
        $null = Wait-AllStates $allMaster 1 20
        $s2 = Wait-AllStates $allBackup 2 20
        foreach ($g in $groups) {
            foreach ($v in $g.Vrids) {
                $want = if ($g.V6 -and $g.Unicast) { '2001:db8::11' } elseif ($g.V6) { '^fe80:' } else { '198.51.100.11' }
                "$($s2["$($g.Prefix)_$v"].MasterAddress)" | Should -Match $want -Because "$($g.Prefix)_$v on node 2 follows node 1$(Why)"
            }
        }
    }

    It 'puts every VIP on node 1 and none on node 2' {
        $want = foreach ($g in $groups) { foreach ($v in $g.Vrids) { Get-Vip $g $v } }
        ((Get-Vips 1) | Sort-Object) -join ',' | Should -Be (($want | Sort-Object) -join ',') -Because "node 1 is Master of all$(Why)"
        @(Get-Vips 2).Count | Should -Be 0 -Because "node 2 is Backup of all$(Why)"
    }

    It 'moves only the router whose priority changed (IPv4 multicast VRID 5, not IPv6 VRID 5; IPv6 unicast VRID 33)' {
        $before = Get-States 1
        $moved = @('m4v3_5', 'u6v3_33')
        foreach ($m in $moved) { Set-VrrpInstance -Name $m -Priority 50 -ControlSocket (Get-VrrpLabSocket $h 1) }
        $want2 = $allBackup.Clone(); $want1 = $allMaster.Clone()
        foreach ($m in $moved) { $want2[$m] = 'Master'; $want1[$m] = 'Backup' }
        $null = Wait-AllStates $want2 2 10
        $after = Wait-AllStates $want1 1 10
        foreach ($n in $names | Where-Object { $_ -notin $moved }) {
            $after[$n].LastTransition | Should -Be $before[$n].LastTransition -Because "$n did not change state$(Why)"
            $after[$n].Counters.BecameMaster | Should -Be $before[$n].Counters.BecameMaster
        }
        @(Get-Vips 2) -join ',' | Should -Be ((@('198.18.1.5/32', '2001:db8:1::33:1/128') | Sort-Object) -join ',')
        (Get-Vips 1) | Should -Contain '2001:db8:1::5:0/128' -Because 'the IPv6 router with the same VRID stays on node 1'
    }

    It 'runs the engine thread of node 1 SCHED_RR at global_defs vrrp_rt_priority 10, and node 2 (no keyword) at normal scheduling' {
        $t1 = Get-EngineThread 1
        ($t1.Policy, $t1.RtPriority) -join ',' | Should -Be '2,10' -Because "vrrp_rt_priority 10 (SCHED_RR = 2)$(Why)"
        $main = Get-Content "/proc/$($h.Processes['n1'].Id)/stat" -Raw
        $main.Substring($main.LastIndexOf(')') + 2).Split(' ')[38] | Should -Be '0' -Because 'only the engine thread is real-time, not pwsh'
        $t2 = Get-EngineThread 2
        ($t2.Policy, $t2.RtPriority) -join ',' | Should -Be '0,0'
    }
}

# The Ansible example docs/examples/ansible/vrrpps.yml, run by real ansible-playbook (Debian's
# ansible-core; only ansible.builtin modules) with the local connection INSIDE a lab namespace, against
# a daemon in that namespace: keepalived.conf and the control socket in the lab's temporary directory,
# the firewall rule in the namespace's own nftables. First run changed, second run changed=0, a broken
# template rejected by validate (Test-VrrpConfig) with file:line and nothing installed or applied.

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSupport.ps1')
    . (Join-Path $PSScriptRoot 'DaemonSupport.ps1')
    . (Join-Path $PSScriptRoot 'AutomationSupport.ps1')
    $Playbook = (Resolve-Path (Join-Path $PSScriptRoot '../../docs/examples/ansible/vrrpps.yml')).Path
    function New-Instances([int] $Vi2Priority = 100) {
        # The playbook's vrrp_instances: VI_1 at 150, VI_2 at Vi2Priority.
        @([ordered]@{ name = 'VI_1'; virtual_router_id = 51; priority = 150; virtual_ipaddress = @('198.51.100.100/24') }
          [ordered]@{ name = 'VI_2'; virtual_router_id = 52; priority = $Vi2Priority; virtual_ipaddress = @('198.51.100.101/24') })
    }

    function Invoke-Playbook([object[]] $VrrpInstances) {
        # One ansible-playbook run in the node's namespace; returns the output and the PLAY RECAP counts.
        $vars = Join-Path $h.Dir "vars-$([guid]::NewGuid().ToString('N').Substring(0, 8)).json"
        @{ vrrpps_conf = $Conf; vrrpps_control_socket = $Sock; vrrpps_module = $env:VRRPPS_MODULE_PATH
           vrrpps_firewall_provider = 'Nftables'; vrrp_advert_int = 0.1; vrrp_instances = $VrrpInstances } |
            ConvertTo-Json -Depth 5 | Set-Content -Path $vars
        $envVars = @{ HOME = $AnsibleHome; ANSIBLE_LOCAL_TEMP = (Join-Path $AnsibleHome 'local'); ANSIBLE_REMOTE_TEMP = (Join-Path $AnsibleHome 'remote')
                      ANSIBLE_NOCOLOR = '1'; ANSIBLE_PYTHON_INTERPRETER = '/usr/bin/python3'; ANSIBLE_RETRY_FILES_ENABLED = 'false'
                      ANSIBLE_GATHERING = 'explicit'; ANSIBLE_CONFIG = (Join-Path $AnsibleHome 'none.cfg') }
        $r = Invoke-LabToolProcess -Namespace $Ns -FilePath (Resolve-ToolExecutable 'ansible-playbook') -WorkingDirectory $AnsibleHome `
            -Environment $envVars -Arguments @('-c', 'local', '-i', 'localhost,', $Playbook, '-e', "@$vars") -TimeoutSeconds 300
        $recap = @{}
        $line = @($r.Stdout -split "`n" | Where-Object { $_ -match '^localhost\s+:\s+ok=' }) | Select-Object -Last 1
        if ($line) { foreach ($m in [regex]::Matches($line, '(\w+)=(\d+)')) { $recap[$m.Groups[1].Value] = [int]$m.Groups[2].Value } }
        [pscustomobject]@{ ExitCode = $r.ExitCode; Output = "$($r.Stdout)`n$($r.Stderr)"; Recap = $recap }
    }

    function Get-NamespaceVrrpRules {
        $r = $h.Lab.Exec($Ns, 'nft', 'list', 'ruleset')
        @($r.StandardOutput -split "`n" | Where-Object { $_ -match 'vrrp|112' })
    }

    $h = New-TestLab -Nodes 1
    try {
        $Ns = $h.Lab.NodeNamespace(1)
        $AnsibleHome = Join-Path $h.Dir 'ansible'
        $null = New-Item -ItemType Directory -Path $AnsibleHome -Force
        Set-Content -Path (Join-Path $AnsibleHome 'none.cfg') -Value "[defaults]`n"
        # The node's host firewall drops what it does not accept (an inet input chain, policy drop), so
        # VRRP needs the playbook's rule; in the namespace's own nftables.
        $nft = Join-Path $h.Dir 'drop.nft'
        Set-Content -Path $nft -Value "table inet filter {`n chain input {`n  type filter hook input priority 0; policy drop;`n  iif lo accept`n }`n}`n" -NoNewline
        $r = $h.Lab.Exec($Ns, 'nft', '-f', $nft)
        if ($r.ExitCode -ne 0) { throw "nft -f: $($r.StandardError)" }
        # The daemon runs the node's current file: VI_1 only, at another priority than the playbook's.
        $Conf = New-DaemonConfig $h 1 -VirtualRouterId 51 -Vip '198.51.100.100/24' -Priority 120
        $Sock = Start-AutomationDaemon $h $Conf
    }
    catch { if ($h) { Remove-VrrpLab $h }; $h = $null; throw }
    function Why { "`ndaemon log:`n$(Get-VrrpLabLog $h)" }
}

AfterAll {
    if ($h) { Remove-VrrpLab $h }
}

Describe 'Ansible playbook docs/examples/ansible/vrrpps.yml' -Tag 'Lab' {
    It 'first run: installs the file, adds the firewall rule, converges the daemon — every task changed' {
        Get-NamespaceVrrpRules | Should -BeNullOrEmpty -Because 'the namespace starts without a VRRP rule'
        $r = Invoke-Playbook (New-Instances)
        $r.ExitCode | Should -Be 0 -Because "$($r.Output) $(Why)"
        $r.Recap.failed | Should -Be 0
        $r.Recap.changed | Should -Be 3 -Because "template, firewall rule and converge each changed something`n$($r.Output)"
        $r.Output | Should -Match "TASK \[The running daemon converged to keepalived.conf\][ *]*\r?\nchanged: \[localhost\]"
        Get-Content $Conf -Raw | Should -Match 'priority 150'
        Get-DaemonInstanceSummary $Sock | Should -Be @('VI_1:150', 'VI_2:100') -Because "the daemon runs the rendered file $(Why)"
        Get-NamespaceVrrpRules | Should -Not -BeNullOrEmpty -Because 'the rule is in the namespace''s nftables'
        $null = Wait-VrrpState -Name VI_2 -State Master -Timeout 20 -ControlSocket $Sock
    }

    It 'second run with the same variables: changed=0, the file and the daemon untouched' {
        $before = (Get-Item $Conf).LastWriteTimeUtc
        $transitions = (Get-VrrpState -Name VI_1 -ControlSocket $Sock).LastTransition
        $r = Invoke-Playbook (New-Instances)
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $r.Recap.failed | Should -Be 0
        $r.Recap.changed | Should -Be 0 -Because $r.Output
        $r.Recap.ok | Should -BeGreaterOrEqual 3
        (Get-Item $Conf).LastWriteTimeUtc | Should -Be $before
        (Get-VrrpState -Name VI_1 -ControlSocket $Sock).LastTransition | Should -Be $transitions -Because 'no instance was restarted'
    }

    It 'a template rendering an invalid priority is rejected by validate with file:line; nothing is installed or applied' {
        $good = Get-Content $Conf -Raw
        $goodLine = (Select-String -Path $Conf -Pattern 'priority 100').LineNumber
        $r = Invoke-Playbook (New-Instances -Vi2Priority 300)
        $r.ExitCode | Should -Not -Be 0
        $r.Recap.failed | Should -Be 1
        $r.Recap.changed | Should -Be 0
        $r.Output | Should -Match 'failed to validate'
        # validate: runs on Ansible's rendered temporary copy; the priority sits where the good file has its VI_2 priority.
        $r.Output | Should -Match ":${goodLine}:\d+: 'priority' value 300 is outside \[1, 255\]" -Because $r.Output
        Get-Content $Conf -Raw | Should -Be $good
        Get-DaemonInstanceSummary $Sock | Should -Be @('VI_1:150', 'VI_2:100')
        $r.Output | Should -Not -Match 'TASK \[The running daemon converged' -Because 'the play stops at the failed template'
    }
}

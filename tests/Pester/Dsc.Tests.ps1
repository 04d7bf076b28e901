# The DSC v3 resource VrrpPS/KeepalivedConfiguration (module/VrrpPS.dsc.resource.json + VrrpPS.dsc.ps1),
# driven the way the dsc CLI drives a command resource (PowerShell/DSC, dsc-lib command_resource.rs):
# executable + args from the manifest, run in the manifest's folder, the desired state as JSON on
# stdin, input and output checked against the manifest's embedded schema, `set` preceded by `get`
# (the manifest declares implementsPretest), a non-zero exit an error whose text is stderr.
# The dsc CLI is not packaged here, so this file is its stand-in. Against a real daemon in a lab namespace.

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSupport.ps1')
    . (Join-Path $PSScriptRoot 'DaemonSupport.ps1')
    . (Join-Path $PSScriptRoot 'AutomationSupport.ps1')
    $ModuleDir = Split-Path $env:VRRPPS_MODULE_PATH
    $ManifestPath = Join-Path $ModuleDir 'VrrpPS.dsc.resource.json'
    $Manifest = Get-Content $ManifestPath -Raw | ConvertFrom-Json -AsHashtable
    $SchemaJson = $Manifest.schema.embedded | ConvertTo-Json -Depth 20

    function Assert-DscSchema([string] $Json, [string] $What) {
        # dsc validates the input before it runs the resource, and every state the resource returns.
        $errors = $null
        $ok = Test-Json -Json $Json -Schema $SchemaJson -ErrorAction SilentlyContinue -ErrorVariable errors
        $ok | Should -BeTrue -Because "$What must match the manifest's schema: $Json $($errors | Out-String)"
    }

    function Invoke-DscCommand([string] $Method, [string] $Json, [switch] $WhatIf) {
        $m = $Manifest[$Method]
        [string[]] $argv = foreach ($a in $m.args) {
            if ($a -is [string]) { $a }
            elseif ($a -is [System.Collections.IDictionary] -and $a.Contains('whatIfArg')) { if ($WhatIf) { $a.whatIfArg } }
            else { throw "argument kind not handled by this stand-in: $($a | ConvertTo-Json -Compress)" }
        }
        $stdin = if ($m['input'] -eq 'stdin') { $Json } else { $null }
        $r = Invoke-LabToolProcess -Namespace $Ns -FilePath (Resolve-ToolExecutable $m.executable) -Arguments $argv `
            -WorkingDirectory (Split-Path $ManifestPath) -Stdin $stdin
        $r | Add-Member -NotePropertyName State -NotePropertyValue $null
        if ($r.ExitCode -eq 0) {
            Assert-DscSchema $r.Stdout.Trim() "the $Method output"
            $r.State = $r.Stdout | ConvertFrom-Json
        }
        $r
    }

    function Invoke-Dsc([ValidateSet('get', 'set', 'test')][string] $Operation, [hashtable] $Desired, [switch] $WhatIf) {
        # `dsc resource <operation> -r VrrpPS/KeepalivedConfiguration --input <json>`: the commands it runs, in order.
        $json = $Desired | ConvertTo-Json -Compress
        Assert-DscSchema $json 'the input'
        $calls = [System.Collections.Generic.List[object]]::new()
        if ($Operation -eq 'set' -and -not $Manifest.set['implementsPretest']) { throw 'the manifest is expected to implement the pre-test' }
        if ($Operation -eq 'set') {
            $pre = Invoke-DscCommand get $json
            $calls.Add($pre)
            if ($pre.ExitCode -ne 0) { return [pscustomobject]@{ ExitCode = $pre.ExitCode; Stderr = $pre.Stderr; State = $null; Before = $null; Calls = $calls } }
        }
        $r = Invoke-DscCommand $Operation $json -WhatIf:$WhatIf
        $calls.Add($r)
        [pscustomobject]@{ ExitCode = $r.ExitCode; Stderr = $r.Stderr; State = $r.State; Before = $(if ($Operation -eq 'set') { $pre.State }); Calls = $calls }
    }

    function New-ConfText([int] $Priority1, [object] $Priority2) {
        # VI_1 (VRID 51); with Priority2, VI_2 (VRID 52) too. Returns the text.
        $lines = @('global_defs {', '    vrrp_version 3', '}',
            'vrrp_instance VI_1 {', '    state BACKUP', '    interface eth0', '    virtual_router_id 51', "    priority $Priority1",
            '    advert_int 0.1', '    virtual_ipaddress {', '        198.51.100.100/24', '    }', '}')
        if ($null -ne $Priority2) {
            $lines += 'vrrp_instance VI_2 {', '    state BACKUP', '    interface eth0', '    virtual_router_id 52', '    advert_int 0.1',
                '    virtual_ipaddress {', '        198.51.100.101/24', '    }', "    priority $Priority2", '}'
        }
        ($lines -join "`n") + "`n"
    }

    $h = New-TestLab -Nodes 1
    try {
        $Ns = $h.Lab.NodeNamespace(1)
        $dir = Get-DaemonDir $h 1
        $null = New-Item -ItemType Directory -Path $dir -Force
        $Running = Join-Path $dir 'keepalived.conf'
        Set-Content -Path $Running -Value (New-ConfText 150) -NoNewline
        $Desired = Join-Path $dir 'desired.conf'
        Set-Content -Path $Desired -Value (New-ConfText 120 100) -NoNewline
        $Broken = Join-Path $dir 'broken.conf'
        Set-Content -Path $Broken -Value (New-ConfText 120 300) -NoNewline
        $BrokenLine = (Select-String -Path $Broken -Pattern 'priority 300').LineNumber
        $Sock = Start-AutomationDaemon $h $Running
    }
    catch { if ($h) { Remove-VrrpLab $h }; $h = $null; throw }
    function Why { "`ndaemon log:`n$(Get-VrrpLabLog $h)" }
}

AfterAll {
    if ($h) { Remove-VrrpLab $h }
}

Describe 'DSC v3 resource VrrpPS/KeepalivedConfiguration' -Tag 'Lab' {
    It 'ships next to the module in the format PowerShell 7.6 uses for its own profile resource' {
        $profileManifest = Get-Content (Join-Path $PSHOME 'pwsh.profile.dsc.resource.json') -Raw | ConvertFrom-Json -AsHashtable
        $Manifest['$schema'] | Should -Be $profileManifest['$schema']
        $Manifest.type | Should -Be 'VrrpPS/KeepalivedConfiguration'
        $Manifest.version | Should -Be (Import-PowerShellDataFile $env:VRRPPS_MODULE_PATH).ModuleVersion
        foreach ($method in 'get', 'set', 'test') {
            $Manifest[$method].executable | Should -Be $profileManifest.get.executable
            $Manifest[$method]['input'] | Should -Be 'stdin'
            $file = $Manifest[$method].args[[array]::IndexOf($Manifest[$method].args, '-File') + 1]
            Join-Path $ModuleDir $file | Should -Exist
        }
        $Manifest.test['return'] | Should -Be 'state'
        $Manifest.set['return'] | Should -Be 'state'
        $Manifest.exitCodes.Keys | Sort-Object | Should -Be @('0', '1')
        $schema = $Manifest.schema.embedded
        $schema['$schema'] | Should -Be $profileManifest.schema.embedded['$schema']
        $schema.unevaluatedProperties | Should -BeFalse
        $schema.required | Should -Be @('path')
        foreach ($p in 'path', 'configId', 'controlSocket', '_inDesiredState', 'instances', 'changed') { $schema.properties.Keys | Should -Contain $p }
        foreach ($p in '_inDesiredState', 'instances', 'changed') {
            $ro = $schema.properties[$p]['readOnly'] -or ($schema.properties[$p]['$ref'] -and $schema['$defs'][$schema.properties[$p]['$ref']].readOnly)
            $ro | Should -BeTrue -Because "$p is reported, not configured"
        }
    }

    It 'refuses a relative path and an unknown property in the schema, before anything runs' {
        Test-Json -Json '{"path":"keepalived.conf"}' -Schema $SchemaJson -ErrorAction SilentlyContinue | Should -BeFalse
        Test-Json -Json '{"path":"/k.conf","priority":3}' -Schema $SchemaJson -ErrorAction SilentlyContinue | Should -BeFalse
        Test-Json -Json '{"controlSocket":"/run/x.sock"}' -Schema $SchemaJson -ErrorAction SilentlyContinue | Should -BeFalse
    }

    It 'test: a file the daemon does not run is not in the desired state, and nothing is touched' {
        $r = Invoke-Dsc test @{ path = $Desired; controlSocket = $Sock }
        $r.ExitCode | Should -Be 0 -Because "$($r.Stderr) $(Why)"
        $r.State._inDesiredState | Should -BeFalse
        $r.State.path | Should -Be $Desired
        $r.State.controlSocket | Should -Be $Sock
        @($r.State.instances | Sort-Object name | ForEach-Object { "$($_.name):$($_.action)" }) | Should -Be @('VI_1:PriorityChanged', 'VI_2:Started')
        Get-DaemonInstanceSummary $Sock | Should -Be @('VI_1:150') -Because 'test is read-only'
    }

    It 'set --what-if reports the same actions and changes nothing' {
        $r = Invoke-Dsc set @{ path = $Desired; controlSocket = $Sock } -WhatIf
        $r.ExitCode | Should -Be 0 -Because "$($r.Stderr) $(Why)"
        $r.State.changed | Should -BeTrue
        $r.State._inDesiredState | Should -BeFalse
        @($r.State.instances | Sort-Object name | ForEach-Object action) | Should -Be @('PriorityChanged', 'Started')
        Get-DaemonInstanceSummary $Sock | Should -Be @('VI_1:150')
    }

    It 'set: converges the daemon and reports changed with the actions taken' {
        $r = Invoke-Dsc set @{ path = $Desired; controlSocket = $Sock }
        $r.ExitCode | Should -Be 0 -Because "$($r.Stderr) $(Why)"
        $r.Calls.Count | Should -Be 2 -Because 'dsc runs get (the state before) and then set'
        $r.Before._inDesiredState | Should -BeFalse
        $r.State.changed | Should -BeTrue
        $r.State._inDesiredState | Should -BeTrue
        @($r.State.instances | Sort-Object name | ForEach-Object { "$($_.name):$($_.action)" }) | Should -Be @('VI_1:PriorityChanged', 'VI_2:Started')
        Get-DaemonInstanceSummary $Sock | Should -Be @('VI_1:120', 'VI_2:100') -Because "the daemon runs the file now $(Why)"
        $null = Wait-VrrpState -Name VI_2 -State Master -Timeout 20 -ControlSocket $Sock
        $null = Wait-VrrpLabVip $h 1 -Address 198.51.100.101 -Timeout 5
    }

    It 'then test is in the desired state, get lists every instance Unchanged, and a second set changes nothing' {
        $t = Invoke-Dsc test @{ path = $Desired; controlSocket = $Sock }
        $t.ExitCode | Should -Be 0 -Because $t.Stderr
        $t.State._inDesiredState | Should -BeTrue
        $g = Invoke-Dsc get @{ path = $Desired; controlSocket = $Sock }
        $g.ExitCode | Should -Be 0 -Because $g.Stderr
        @($g.State.instances | Sort-Object name | ForEach-Object { "$($_.name):$($_.action)" }) | Should -Be @('VI_1:Unchanged', 'VI_2:Unchanged')
        $s = Invoke-Dsc set @{ path = $Desired; controlSocket = $Sock }
        $s.ExitCode | Should -Be 0 -Because $s.Stderr
        $s.State.changed | Should -BeFalse
        (Get-VrrpState -Name VI_1 -ControlSocket $Sock).State | Should -Be 'Master'
    }

    It 'configId selects the file''s @id lines, as keepalived -i does' {
        $byId = Join-Path $h.Dir 'by-id.conf'
        Set-Content -Path $byId -Value ((New-ConfText 120 100) -replace '(?m)^    priority 120$', "    @n1 priority 120`n    @^n1 priority 90") -NoNewline
        $n1 = Invoke-Dsc test @{ path = $byId; configId = 'n1'; controlSocket = $Sock }
        $n1.ExitCode | Should -Be 0 -Because $n1.Stderr
        $n1.State.configId | Should -Be 'n1'
        $n1.State._inDesiredState | Should -BeTrue -Because 'with id n1 the file says priority 120, which the daemon runs'
        $other = Invoke-Dsc test @{ path = $byId; controlSocket = $Sock }
        $other.State._inDesiredState | Should -BeFalse
        @($other.State.instances | Where-Object name -EQ 'VI_1').action | Should -Be 'PriorityChanged'
    }

    It 'a broken file: <Operation> exits 1 with file:line on stderr, and the daemon keeps what it runs' -ForEach @(
        @{ Operation = 'get' }, @{ Operation = 'test' }, @{ Operation = 'set' }
    ) {
        $r = Invoke-Dsc $Operation @{ path = $Broken; controlSocket = $Sock }
        $r.ExitCode | Should -Be 1
        $r.Stderr | Should -Match ([regex]::Escape("${Broken}:${BrokenLine}:")) -Because $r.Stderr
        $r.Stderr | Should -Match 'VrrpSyncInvalidConfig'
        Get-DaemonInstanceSummary $Sock | Should -Be @('VI_1:120', 'VI_2:100')
    }

    It 'after the broken file, the daemon still runs the good one: test is in the desired state' {
        $t = Invoke-Dsc test @{ path = $Desired; controlSocket = $Sock }
        $t.ExitCode | Should -Be 0 -Because $t.Stderr
        $t.State._inDesiredState | Should -BeTrue
    }

    It 'no daemon behind the socket: exit 1 with VrrpControlSocketUnavailable' {
        $r = Invoke-Dsc get @{ path = $Desired; controlSocket = (Join-Path $h.Dir 'none.sock') }
        $r.ExitCode | Should -Be 1
        $r.Stderr | Should -Match 'VrrpControlSocketUnavailable'
    }

    It 'no input on stdin (dsc resource get without --input): exit 1 saying what to give' {
        $r = Invoke-LabToolProcess -Namespace $Ns -FilePath (Resolve-ToolExecutable $Manifest.get.executable) -Arguments $Manifest.get.args `
            -WorkingDirectory $ModuleDir -Stdin ''
        $r.ExitCode | Should -Be 1
        $r.Stderr | Should -Match 'give the desired state as JSON on stdin'
        $r.Stdout.Trim() | Should -BeNullOrEmpty
    }
}

# Import-KeepalivedConfig / Export-KeepalivedConfig / Test-VrrpConfig as PowerShell sees them (issue 4).
# No network: only files in a temporary directory are read and written.

BeforeAll {
    Import-Module $env:VRRPPS_MODULE_PATH -Force
    $script:Dir = Join-Path ([IO.Path]::GetTempPath()) ("vrrpps-cfg-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $Dir | Out-Null

    function New-NodeConfig([string] $RouterId, [string] $State, [int] $Priority, [string] $Src, [string] $Peer) {
        # vrrp_script on line 6, vrrp_instance VI_WEB on line 10
        @"
global_defs {
    router_id $RouterId
    enable_script_security
    script_user root
}
vrrp_script chk_haproxy {
    script "/usr/bin/pgrep haproxy"
    weight -60
}
vrrp_instance VI_WEB {
    state $State
    interface eth0
    virtual_router_id 51
    priority $Priority
    advert_int 1
    unicast_src_ip $Src
    unicast_peer {
        $Peer
    }
    virtual_ipaddress {
        198.51.100.10/24 dev eth0 label eth0:web
    }
    track_script {
        chk_haproxy
    }
}
"@
    }
    $script:Lb1 = Join-Path $Dir 'lb1.conf'
    $script:Lb2 = Join-Path $Dir 'lb2.conf'
    Set-Content -Path $Lb1 -Value (New-NodeConfig lb1 MASTER 150 198.51.100.2 198.51.100.3)
    Set-Content -Path $Lb2 -Value (New-NodeConfig lb2 BACKUP 150 198.51.100.3 198.51.100.2) # same priority as lb1
    $script:Unknown = Join-Path $Dir 'unknown.conf'
    Set-Content -Path $Unknown -Value @'
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 52
    priority 100
    advert_intt 1
    virtual_ipaddress {
        198.51.100.20/24
    }
}
'@
    $script:Broken = Join-Path $Dir 'broken.conf'
    Set-Content -Path $Broken -Value @'
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 53
    virtual_ipaddress {
        198.51.100.30/24
}
'@
}

AfterAll {
    if ($script:Dir -and (Test-Path $script:Dir)) { Remove-Item -Recurse -Force $script:Dir }
}

Describe 'Import-KeepalivedConfig' {
    It 'emits typed objects that carry their source file and line' {
        $out = @(Import-KeepalivedConfig -Path $Lb1 -WarningVariable w)
        $w | Should -BeNullOrEmpty
        $script = @($out | Where-Object { $_ -is [VrrpPS.Config.VrrpScriptConfig] })
        $inst = @($out | Where-Object { $_ -is [VrrpPS.Config.VrrpInstanceConfig] })
        $script.Count | Should -Be 1
        $inst.Count | Should -Be 1
        $script[0].Name | Should -BeExactly 'chk_haproxy'
        $script[0].ScriptArguments | Should -Be @('/usr/bin/pgrep', 'haproxy')
        ($script[0].SourceFile, $script[0].SourceLine) | Should -Be @($Lb1, 6)
        $i = $inst[0]
        ($i.Name, $i.InitialState, $i.VirtualRouterId, $i.Priority, $i.Version) | Should -Be @('VI_WEB', [VrrpPS.Config.VrrpInitialState]::Master, 51, 150, 2)
        ($i.SourceFile, $i.SourceLine) | Should -Be @($Lb1, 10)
        $i.VirtualIPAddress[0].Address | Should -BeExactly '198.51.100.10'
        ($i.VirtualIPAddress[0].PrefixLength, $i.VirtualIPAddress[0].Label, $i.VirtualIPAddress[0].SourceLine) | Should -Be @(24, 'eth0:web', 21)
        # ForEach-Object, not .Address: member enumeration would find the Address() method of the array itself
        @($i.UnicastPeer | ForEach-Object Address) | Should -Be @('198.51.100.3')
        $global = @($out | Where-Object { $_ -is [VrrpPS.Config.KeepalivedGlobalConfig] })
        ($global.Count, $global[0].RouterId, $global[0].EnableScriptSecurity, $global[0].SourceLine) | Should -Be @(1, 'lb1', $true, 1)
    }

    It 'reports an unknown keyword as a warning with file:line:column and still imports the file' {
        $out = @(Import-KeepalivedConfig -Path $Unknown -WarningVariable w -WarningAction SilentlyContinue)
        $w.Count | Should -Be 1
        $w[0].Message | Should -BeLike "$($Unknown):5:5: unknown keyword 'advert_intt'*"
        $w[0].Message | Should -BeLike '*`[KeepalivedUnknownKeyword`]'
        $out.Count | Should -Be 1
        $out[0].AdvertisementInterval | Should -Be 1 # keepalived's default, the misspelt line is ignored
    }

    It 'turns an unknown keyword into an error with -Strict and then emits nothing' {
        $out = @(Import-KeepalivedConfig -Path $Unknown -Strict -ErrorVariable e -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 0
        $e.Count | Should -Be 1
        $e[0].FullyQualifiedErrorId | Should -BeExactly 'KeepalivedUnknownKeyword,VrrpPS.Cmdlets.ImportKeepalivedConfigCommand'
        $e[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ParserError)
        $e[0].TargetObject | Should -BeExactly 'advert_intt'
        "$($e[0])" | Should -BeLike "$($Unknown):5:5:*"
    }

    It 'emits no object for a file with a syntax error, reports file:line, and still imports the other files' {
        $out = @(Import-KeepalivedConfig -Path $Broken, $Lb1 -ErrorVariable e -ErrorAction SilentlyContinue)
        $e.Count | Should -BeGreaterThan 0
        $e[0].FullyQualifiedErrorId | Should -BeLike 'KeepalivedConfigSyntax,*'
        "$($e[0])" | Should -Match ([regex]::Escape($Broken) + ':\d+:\d+:')
        @($out | Where-Object SourceFile -EQ $Broken).Count | Should -Be 0
        @($out | Where-Object { $_ -is [VrrpPS.Config.VrrpInstanceConfig] }).SourceFile | Should -Be @($Lb1)
    }

    It 'expands wildcards in -Path' {
        $inst = @(Import-KeepalivedConfig -Path (Join-Path $Dir 'lb*.conf') | Where-Object { $_ -is [VrrpPS.Config.VrrpInstanceConfig] })
        ($inst.SourceFile | Sort-Object) | Should -Be @($Lb1, $Lb2)
    }

    It 'takes paths from the pipeline, as strings and as FileInfo (FullName)' {
        $fromStrings = @($Lb1, $Lb2 | Import-KeepalivedConfig | Where-Object { $_ -is [VrrpPS.Config.VrrpInstanceConfig] })
        $fromFiles = @(Get-ChildItem -Path $Dir -Filter 'lb*.conf' | Import-KeepalivedConfig | Where-Object { $_ -is [VrrpPS.Config.VrrpInstanceConfig] })
        ($fromStrings.SourceFile | Sort-Object) | Should -Be @($Lb1, $Lb2)
        ($fromFiles.SourceFile | Sort-Object) | Should -Be @($Lb1, $Lb2)
    }

    It 'writes KeepalivedFileNotFound for a path that matches nothing' {
        Import-KeepalivedConfig -Path (Join-Path $Dir 'absent.conf') -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeExactly 'KeepalivedFileNotFound,VrrpPS.Cmdlets.ImportKeepalivedConfigCommand'
    }

    It 'gives instance objects stable JSON property names' {
        $i = Import-KeepalivedConfig -Path $Lb1 | Where-Object { $_ -is [VrrpPS.Config.VrrpInstanceConfig] }
        $json = $i | ConvertTo-Json -Depth 5 | ConvertFrom-Json
        # properties added later go at the end (main adds ConfigPath/ConfigId for reload)
        $later = @('ConfigPath', 'ConfigId', 'NotifyUser', 'OldUnicastChecksum', 'OtherLines') | Where-Object { [VrrpPS.Config.VrrpInstanceConfig].GetProperty($_) }
        $json.PSObject.Properties.Name | Should -Be (@(
            'Name', 'InitialState', 'Interface', 'VirtualRouterId', 'Priority', 'AdvertisementInterval', 'Version', 'UnicastSourceAddress',
            'UnicastPeer', 'MulticastSourceAddress', 'MulticastGroup4', 'MulticastGroup6', 'AuthenticationType', 'AuthenticationPassword',
            'VirtualIPAddress', 'VirtualIPAddressExcluded', 'VirtualRoutes', 'VirtualRules', 'NoPreempt', 'PreemptDelay', 'V3ChecksumAsV2',
            'GarpMasterDelay', 'GarpMasterRepeat', 'GarpMasterRefresh', 'GarpMasterRefreshRepeat', 'GarpLowerPriorityDelay',
            'GarpLowerPriorityRepeat', 'UseVmac', 'VmacName', 'VmacXmitBase', 'Accept', 'TrackInterface', 'TrackScript', 'TrackFile',
            'TrackProcess', 'DontTrackPrimary', 'NotifyMaster', 'NotifyBackup', 'NotifyFault', 'NotifyStop', 'Notify',
            'NotifyMasterRxLowerPriority', 'SmtpAlert', 'LowerPriorityNoAdvert', 'HigherPrioritySendAdvert', 'CheckUnicastSource',
            'SkipCheckAdvertAddress', 'StartupDelay', 'Strict', 'SourceFile', 'SourceLine', 'UnsupportedKeywords') + $later)
        $json.VirtualIPAddress[0].PSObject.Properties.Name | Should -Be @(
            'Address', 'PrefixLength', 'Device', 'Label', 'Scope', 'Broadcast', 'Peer', 'PreferredLifetimeZero', 'NoDad', 'NoTrack', 'SourceLine', 'PreferredLifetime')
        $json.UnicastPeer[0].PSObject.Properties.Name | Should -Be @('Address', 'MinTtl', 'MaxTtl')
        $json.TrackScript[0].PSObject.Properties.Name | Should -Be @('Name', 'Weight', 'Reverse')
    }
}

Describe 'Export-KeepalivedConfig' {
    BeforeAll {
        function Get-Shape($Objects) {
            # everything but where the objects came from
            ($Objects | ConvertTo-Json -Depth 6 -Compress) -replace '"(Source(File|Line)|ConfigPath)":("[^"]*"|\d+|null),?', ''
        }
        function Export-Lb1([string] $To, [hashtable] $With = @{}) {
            Import-KeepalivedConfig -Path $Lb1 | Export-KeepalivedConfig -Path $To @With
        }
    }

    It 'round-trips: import, export to a file, import again gives equal objects' {
        $first = @(Import-KeepalivedConfig -Path $Lb1)
        $exported = Join-Path $Dir 'exported.conf'
        $first | Export-KeepalivedConfig -Path $exported
        $second = @(Import-KeepalivedConfig -Path $exported -WarningVariable w)
        $w | Should -BeNullOrEmpty
        $second.Count | Should -Be $first.Count
        @($second | ForEach-Object { $_.GetType().FullName }) | Should -Be @($first | ForEach-Object { $_.GetType().FullName })
        Get-Shape $second | Should -BeExactly (Get-Shape $first)
        @($second.SourceFile | Select-Object -Unique) | Should -Be @($exported)
    }

    It 'writes the text to the pipeline without -Path and is canonical (export of the export is identical)' {
        $text = Import-KeepalivedConfig -Path $Lb1 | Export-KeepalivedConfig
        $text | Should -BeOfType [string]
        $text | Should -Match '(?m)^vrrp_instance VI_WEB \{$'
        $text | Should -Match '(?m)^        198\.51\.100\.10/24 dev eth0 label eth0:web$'
        $again = Join-Path $Dir 'again.conf'
        Set-Content -Path $again -Value $text -NoNewline
        (Import-KeepalivedConfig -Path $again | Export-KeepalivedConfig) | Should -BeExactly $text
    }

    It 'does not write the file with -WhatIf' {
        $target = Join-Path $Dir 'whatif.conf'
        Import-KeepalivedConfig -Path $Lb1 | Export-KeepalivedConfig -Path $target -WhatIf
        Test-Path $target | Should -BeFalse
    }

    It 'replaces a file atomically (a new inode by rename) and keeps its mode and owner, leaving no temporary file' {
        $target = Join-Path $Dir 'atomic.conf'
        Set-Content -Path $target -Value '# old'
        chmod 0640 $target; chown 65534:65534 $target
        $before = (stat -c '%i' $target)
        $r = Export-Lb1 $target @{ PassThru = $true }
        $r | Should -BeOfType [VrrpPS.Config.KeepalivedExportResult]
        $r.Changed | Should -BeTrue
        $r.File.FullName | Should -BeExactly $target
        (stat -c '%a %u %g' $target) | Should -BeExactly '640 65534 65534'
        (stat -c '%i' $target) | Should -Not -Be $before
        Get-Content -Raw $target | Should -Match '(?m)^vrrp_instance VI_WEB \{$'
        @(Get-ChildItem -Force $Dir -Filter '.atomic.conf*') | Should -BeNullOrEmpty
    }

    It 'does not rewrite a file whose content would not change: Changed is false, mtime and inode stay' {
        $target = Join-Path $Dir 'same.conf'
        (Export-Lb1 $target @{ PassThru = $true }).Changed | Should -BeTrue
        $stat = (stat -c '%i %Y.%y' $target)
        Start-Sleep -Milliseconds 20 # a rewrite would move the nanosecond mtime
        $again = Export-Lb1 $target @{ PassThru = $true }
        $again.Changed | Should -BeFalse
        (stat -c '%i %Y.%y' $target) | Should -BeExactly $stat
    }

    It '-NoClobber refuses an existing file with KeepalivedExportFileExists and leaves it alone' {
        $target = Join-Path $Dir 'noclobber.conf'
        Set-Content -Path $target -Value '# keep me'
        { Export-Lb1 $target @{ NoClobber = $true } } |
            Should -Throw -ErrorId 'KeepalivedExportFileExists,VrrpPS.Cmdlets.ExportKeepalivedConfigCommand'
        (Get-Content -Raw $target).Trim() | Should -BeExactly '# keep me'
        $new = Join-Path $Dir 'noclobber-new.conf'
        Export-Lb1 $new @{ NoClobber = $true }
        Test-Path $new | Should -BeTrue
    }

    It 'refuses a read-only file with KeepalivedExportReadOnly unless -Force, which also keeps its mode' {
        $target = Join-Path $Dir 'readonly.conf'
        Set-Content -Path $target -Value '# ro'
        chmod 0444 $target
        { Export-Lb1 $target } |
            Should -Throw -ErrorId 'KeepalivedExportReadOnly,VrrpPS.Cmdlets.ExportKeepalivedConfigCommand'
        (Export-Lb1 $target @{ Force = $true; PassThru = $true }).Changed | Should -BeTrue
        (stat -c '%a' $target) | Should -BeExactly '444'
        Get-Content -Raw $target | Should -Match 'VI_WEB'
        $deep = Join-Path $Dir 'made/by/force.conf'
        Export-Lb1 $deep @{ Force = $true }
        Test-Path $deep | Should -BeTrue
    }

    It 'keeps global_defs inheritance and writes no flag with an argument keepalived misreads; -Explicit writes every value' {
        $src = Join-Path $Dir 'inherit.conf'
        Set-Content -Path $src -Value @'
global_defs {
    vrrp_garp_lower_prio_delay 2
    vrrp_garp_lower_prio_repeat 3
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    virtual_ipaddress {
        198.51.100.1/24
    }
}
'@
        $text = Import-KeepalivedConfig -Path $src | Export-KeepalivedConfig
        $text | Should -Match '(?m)^    vrrp_garp_lower_prio_delay 2$'
        $text | Should -Match '(?m)^    vrrp_garp_lower_prio_repeat 3$'
        $text | Should -Not -Match '(?m)^    garp_'
        $text | Should -Not -Match '(?m)^\s+(skip_check_adv_addr|check_unicast_src|vrrp_strict|vrrp_skip_check_adv_addr) (false|off|no)$'
        $full = Import-KeepalivedConfig -Path $src | Export-KeepalivedConfig -Explicit
        $full | Should -Match '(?m)^    garp_lower_prio_delay 2$'
        $full | Should -Match '(?m)^    garp_master_repeat 5$'
        $full | Should -Match '(?m)^    lower_prio_no_advert false$'
        $full | Should -Not -Match 'skip_check_adv_addr'
    }

    It 'rejects objects that are not VrrpPS configuration with KeepalivedExportUnsupportedObject' {
        [pscustomobject]@{ Name = 'x' } | Export-KeepalivedConfig -ErrorVariable e -ErrorAction SilentlyContinue | Out-Null
        $e[0].FullyQualifiedErrorId | Should -BeExactly 'KeepalivedExportUnsupportedObject,VrrpPS.Cmdlets.ExportKeepalivedConfigCommand'
    }
}

Describe 'Test-VrrpConfig' {
    It 'finds the equal priority of two nodes and names both nodes and the file:line' {
        $f = @(Test-VrrpConfig -Path $Lb1, $Lb2)
        $f.Count | Should -Be 1
        $f[0] | Should -BeOfType [VrrpPS.Config.VrrpConfigFinding]
        ($f[0].Check, $f[0].Severity, $f[0].VirtualRouterId) | Should -Be @('EqualPriority', [VrrpPS.Config.VrrpFindingSeverity]::Warning, 51)
        $f[0].Nodes | Should -Be @('lb1', 'lb2')
        ($f[0].File, $f[0].Line) | Should -Be @($Lb2, 10)
        $f[0].Message | Should -BeLike '*priority 150*different priority*'
    }

    It 'takes the node files from the pipeline and by wildcard' {
        @(Get-ChildItem -Path $Dir -Filter 'lb*.conf' | Test-VrrpConfig).Check | Should -Be @('EqualPriority')
        @(Test-VrrpConfig -Path (Join-Path $Dir 'lb*.conf')).Check | Should -Be @('EqualPriority')
    }

    It 'is silent for a consistent pair' {
        $fixed = Join-Path $Dir 'lb2-fixed.conf'
        (Get-Content -Raw $Lb2) -replace 'priority 150', 'priority 100' | Set-Content -Path $fixed
        Test-VrrpConfig -Path $Lb1, $fixed | Should -BeNullOrEmpty
    }

    It '-Quiet writes exactly one Boolean: True for a good pair, False for a parse error, an Error finding or a missing file' {
        $good = Join-Path $Dir 'q-good.conf'
        (Get-Content -Raw $Lb2) -replace 'priority 150', 'priority 100' | Set-Content -Path $good
        $r = @(Test-VrrpConfig -Path $Lb1, $good -Quiet -ErrorVariable ev -WarningVariable wv 3>$null)
        $r | Should -HaveCount 1
        $r[0] | Should -BeOfType [bool]
        $r[0] | Should -BeTrue
        $bad = Join-Path $Dir 'q-bad.conf'
        (Get-Content -Raw $Lb2) -replace 'priority 150', 'priority 300' | Set-Content -Path $bad
        $r = @(Test-VrrpConfig -Path $bad -Quiet -ErrorVariable ev 3>$null)
        ($r.Count, $r[0], $ev.Count) | Should -Be @(1, $false, 0) -Because '-Quiet writes no error record'
        $vip = Join-Path $Dir 'q-vip.conf'
        (Get-Content -Raw $good) -replace '198\.51\.100\.10/24', '198.51.100.11/24' | Set-Content -Path $vip
        @(Test-VrrpConfig -Path $Lb1, $vip -Quiet) | Should -Be @($false) -Because 'two virtual routers on VRID 51 is an Error finding'
        @(Test-VrrpConfig -Path (Join-Path $Dir 'no-such.conf') -Quiet -ErrorVariable ev) | Should -Be @($false)
        $ev.Count | Should -Be 0
    }

    It 'the documented Ansible validate: command exits 1 with file:line for a bad file and 0 for a good one' {
        $pwsh = Join-Path $PSHOME 'pwsh'
        $bad = Join-Path $Dir 'q-bad.conf'
        $good = Join-Path $Dir 'q-good.conf'
        $template = "Import-Module '$env:VRRPPS_MODULE_PATH'; " + 'Test-VrrpConfig -Path ''%s'' -ErrorAction Stop | Where-Object Severity -eq Error | ForEach-Object { throw $_.ToString() }'
        $out = & $pwsh -NoProfile -NonInteractive -Command ($template.Replace('%s', $bad)) 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 1
        $out | Should -Match ([regex]::Escape($bad) + ':\d+:\d+:')
        $null = & $pwsh -NoProfile -NonInteractive -Command ($template.Replace('%s', $good)) 2>&1
        $LASTEXITCODE | Should -Be 0
    }
}

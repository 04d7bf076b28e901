# Default views (issue 13, "Interactive use"): every type a cmdlet declares in [OutputType] (and
# the public types they carry that users print on their own: counters, trackers, history, speakers)
# has a table view in VrrpPS.format.ps1xml; the tables fit real names (a PCI interface name like
# enp129s0f1, IPv6 VIPs) at 120 columns without cutting them, and an imported instance prints as
# one row instead of ~54 lines of properties. The samples are built from a real keepalived.conf.

BeforeDiscovery {
    Import-Module $env:VRRPPS_MODULE_PATH -Force
    $asm = (Get-Module VrrpPS).ImplementingAssembly
    $outputTypes = @($asm.GetExportedTypes() |
        Where-Object { $_.IsSubclassOf([System.Management.Automation.PSCmdlet]) } |
        ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.OutputTypeAttribute], $false) } |
        ForEach-Object { $_.Type } | ForEach-Object Name | Where-Object { $_ -notlike 'System.*' } | Select-Object -Unique)
    $carried = 'VrrpPS.Engine.VrrpCounters', 'VrrpPS.Engine.VrrpTransition', 'VrrpPS.Engine.VrrpTrackerState',
               'VrrpPS.Diagnostics.VrrpSpeaker', 'VrrpPS.Config.KeepalivedStaticConfig'
    $viewTypes = @($outputTypes + $carried | Select-Object -Unique | ForEach-Object { @{ TypeName = $_ } })
}

BeforeAll {
    Import-Module $env:VRRPPS_MODULE_PATH -Force
    $conf = Join-Path $TestDrive 'keepalived.conf'
    Set-Content $conf -Value @'
global_defs {
    router_id lb-frankfurt-01
}
vrrp_script chk_haproxy {
    script "/usr/bin/pgrep -x haproxy"
    interval 2
    weight -20
}
vrrp_track_file maintenance {
    file /run/keepalived/maintenance
    weight -60
}
vrrp_track_process haproxy {
    process haproxy
    quorum 1
    weight -30
}
vrrp_instance VI_FRONTEND_V6 {
    state MASTER
    interface enp129s0f1
    virtual_router_id 61
    priority 150
    advert_int 0.5
    version 3
    virtual_ipaddress {
        2001:db8:ffff:1234::100/64
        2001:db8:ffff:1234::101/64
    }
    track_script {
        chk_haproxy
    }
    track_file {
        maintenance
    }
    track_process {
        haproxy
    }
}
vrrp_instance VI_BACKEND {
    interface enp129s0f1
    virtual_router_id 62
    priority 100
    virtual_ipaddress {
        198.51.100.100/24
    }
}
vrrp_sync_group VG_FRONTEND {
    group {
        VI_FRONTEND_V6
        VI_BACKEND
    }
}
'@
    $Imported = @(Import-KeepalivedConfig -Path $conf -WarningAction SilentlyContinue)

    function New-Typed([string] $TypeName, [hashtable] $Properties) {
        $o = New-Object $TypeName
        foreach ($k in $Properties.Keys) { $o.$k = $Properties[$k] }
        $o
    }
    $now = [datetime]::UtcNow
    $tracker = New-Typed VrrpPS.Engine.VrrpTrackerState @{ Instance = 'VI_FRONTEND_V6'; Name = 'chk_haproxy'; Kind = 'Script'
        Status = 'Failed'; Weight = -20; Contribution = -20; LastRun = $now; LastError = 'exit code 1' }
    $transition = New-Typed VrrpPS.Engine.VrrpTransition @{ Time = $now; From = 'Backup'; To = 'Master'; Priority = 150; Reason = 'master down timer expired' }
    $state = New-Typed VrrpPS.Engine.VrrpInstanceState @{ Name = 'VI_FRONTEND_V6'; State = 'Master'; Priority = 150; EffectivePriority = 130
        VirtualRouterId = 61; Interface = 'enp129s0f1'; Version = 3; AdvertisementInterval = [timespan]::FromSeconds(0.5)
        VirtualIPAddress = @('2001:db8:ffff:1234::100/64'); MasterAddress = 'fe80::a8c1:abff:fe12:3456'; MasterPriority = 130
        LastTransition = $now; History = @($transition); Tracker = @($tracker) }
    $speaker = New-Typed VrrpPS.Diagnostics.VrrpSpeaker @{ Source = 'fe80::a8c1:abff:fe12:3456'; Priority = 150; Version = 3
        AdvertisementInterval = [timespan]::FromSeconds(1); Addresses = @('2001:db8:ffff:1234::100'); Advertisements = 12 }
    $Samples = @{
        'VrrpPS.Engine.VrrpInstanceState'              = $state
        'VrrpPS.Engine.VrrpTransition'                 = $transition
        'VrrpPS.Engine.VrrpTrackerState'               = $tracker
        'VrrpPS.Engine.VrrpCounters'                   = New-Typed VrrpPS.Engine.VrrpCounters @{ AdvertisementsSent = 15922; AuthErrors = 3 }
        'VrrpPS.Diagnostics.VrrpAdvertisementRecord'   = New-Typed VrrpPS.Diagnostics.VrrpAdvertisementRecord @{ Time = $now; Source = 'fe80::a8c1:abff:fe12:3456'
            Interface = 'enp129s0f1'; VirtualRouterId = 61; Priority = 150; Version = 3; AdvertisementInterval = [timespan]::FromSeconds(1)
            Addresses = @('2001:db8:ffff:1234::100'); ChecksumValid = $true; Ttl = 255 }
        'VrrpPS.Diagnostics.VrrpAdvertisementSummary'  = New-Typed VrrpPS.Diagnostics.VrrpAdvertisementSummary @{ Interface = 'enp129s0f1'; Family = 'IPv6'
            VirtualRouterId = 61; Speakers = @($speaker); MastersSeen = @('fe80::a8c1:abff:fe12:3456 (150)'); Advertisements = 12 }
        'VrrpPS.Diagnostics.VrrpSpeaker'               = $speaker
        'VrrpPS.Diagnostics.VrrpFailoverResult'        = New-Typed VrrpPS.Diagnostics.VrrpFailoverResult @{ Scenario = 'MasterCrash'; Instance = 'VI_FRONTEND_V6'
            From = '2001:db8:ffff:1234::1'; To = '2001:db8:ffff:1234::2'; Elapsed = [timespan]::FromMilliseconds(1620); Bound = [timespan]::FromMilliseconds(1711); Passed = $true }
        'VrrpPS.Diagnostics.VrrpFailoverPrediction'    = New-Typed VrrpPS.Diagnostics.VrrpFailoverPrediction @{ Instance = 'VI_FRONTEND_V6'; Master = 'fe80::a8c1:abff:fe12:3456'
            MasterPriority = 150; LocalAddress = 'fe80::a8c1:abff:fe12:3457'; LocalPriority = 100; ReleaseBound = [timespan]::FromMilliseconds(305); CrashBound = [timespan]::FromMilliseconds(1805) }
        'VrrpPS.Config.VrrpConfigFinding'              = New-Typed VrrpPS.Config.VrrpConfigFinding @{ Severity = 'Error'; Check = 'VipMismatch'; VirtualRouterId = 61
            Nodes = @('lb-frankfurt-01', 'lb-frankfurt-02'); File = $conf; Line = 22; Message = 'virtual_ipaddress differs: 2001:db8:ffff:1234::100/64 on lb-frankfurt-01 only' }
        'VrrpPS.Firewall.FirewallVrrpRuleResult'       = New-Typed VrrpPS.Firewall.FirewallVrrpRuleResult @{ Provider = 'Nftables'; Changed = $true; Action = 'Added'
            Interface = 'enp129s0f1'; AddressFamily = 'Both'; Rules = @('inet filter input iifname "enp129s0f1" ip protocol vrrp accept') }
        'VrrpPS.Config.KeepalivedExportResult'         = New-Typed VrrpPS.Config.KeepalivedExportResult @{ Path = '/etc/keepalived/keepalived.conf'; Changed = $true }
        'VrrpPS.Config.KeepalivedStaticConfig'         = New-Typed VrrpPS.Config.KeepalivedStaticConfig @{ Section = 'static_ipaddress'; SourceFile = $conf; SourceLine = 3 }
    }
    if ('VrrpPS.Hosting.VrrpSyncResult' -as [type]) {
        $Samples['VrrpPS.Hosting.VrrpSyncResult'] = New-Typed VrrpPS.Hosting.VrrpSyncResult @{ Changed = $true; Path = '/etc/keepalived/keepalived.conf'
            ControlSocket = '/run/vrrpps/engine.sock'; Instances = @(
                (New-Typed VrrpPS.Hosting.VrrpSyncInstance @{ Name = 'VI_FRONTEND_V6'; Action = 'PriorityChanged' }),
                (New-Typed VrrpPS.Hosting.VrrpSyncInstance @{ Name = 'VI_BACKEND'; Action = 'Unchanged' })) }
    }
    foreach ($o in $Imported) { if (-not $Samples.ContainsKey($o.GetType().FullName)) { $Samples[$o.GetType().FullName] = $o } }
    # Long real-world values each table must show whole.
    $Shows = @{
        'VrrpPS.Engine.VrrpInstanceState'             = 'VI_FRONTEND_V6', 'enp129s0f1', '2001:db8:ffff:1234::100/64', 'fe80::a8c1:abff:fe12:3456 (130)', '130/150'
        'VrrpPS.Engine.VrrpTrackerState'              = 'VI_FRONTEND_V6', 'chk_haproxy', 'exit code 1', $now.ToLocalTime().ToString('HH:mm:ss.fff')
        'VrrpPS.Engine.VrrpTransition'                = 'master down timer expired'
        'VrrpPS.Engine.VrrpCounters'                  = '15922', 'AuthErrors 3'
        'VrrpPS.Diagnostics.VrrpAdvertisementRecord'  = 'fe80::a8c1:abff:fe12:3456', '2001:db8:ffff:1234::100'
        'VrrpPS.Diagnostics.VrrpAdvertisementSummary' = 'enp129s0f1', 'fe80::a8c1:abff:fe12:3456 (150)'
        'VrrpPS.Diagnostics.VrrpSpeaker'              = 'fe80::a8c1:abff:fe12:3456', '2001:db8:ffff:1234::100'
        'VrrpPS.Diagnostics.VrrpFailoverResult'       = 'VI_FRONTEND_V6', '2001:db8:ffff:1234::1', '2001:db8:ffff:1234::2', '1620 ms'
        'VrrpPS.Diagnostics.VrrpFailoverPrediction'   = 'VI_FRONTEND_V6', 'fe80::a8c1:abff:fe12:3456', 'fe80::a8c1:abff:fe12:3457', '305 ms', '1805 ms'
        'VrrpPS.Config.VrrpConfigFinding'             = 'VipMismatch', 'keepalived.conf:22', 'virtual_ipaddress differs'
        'VrrpPS.Firewall.FirewallVrrpRuleResult'      = 'Nftables', 'enp129s0f1', 'Added'
        'VrrpPS.Config.KeepalivedExportResult'        = '/etc/keepalived/keepalived.conf'
        'VrrpPS.Hosting.VrrpSyncResult'               = '/etc/keepalived/keepalived.conf', 'VI_FRONTEND_V6 PriorityChanged', 'VI_BACKEND Unchanged'
        'VrrpPS.Config.KeepalivedStaticConfig'        = 'static_ipaddress', 'keepalived.conf:3'
        'VrrpPS.Config.KeepalivedGlobalConfig'        = 'lb-frankfurt-01'
        'VrrpPS.Config.VrrpInstanceConfig'            = 'VI_FRONTEND_V6', 'enp129s0f1', '2001:db8:ffff:1234::100/64'
        'VrrpPS.Config.VrrpScriptConfig'              = 'chk_haproxy', '/usr/bin/pgrep -x haproxy'
        'VrrpPS.Config.VrrpSyncGroupConfig'           = 'VG_FRONTEND', 'VI_FRONTEND_V6, VI_BACKEND'
        'VrrpPS.Config.VrrpTrackFileConfig'           = 'maintenance', '/run/keepalived/maintenance'
        'VrrpPS.Config.VrrpTrackProcessConfig'        = 'haproxy'
    }
}

Describe 'VrrpPS default views' {
    It '<TypeName> has a table view' -ForEach $viewTypes {
        $views = @((Get-FormatData -TypeName $TypeName).FormatViewDefinition | Where-Object { $_.Control -is [System.Management.Automation.TableControl] })
        $views.Count | Should -BeGreaterThan 0 -Because "$TypeName is cmdlet output or carried by it"
    }

    It '<TypeName> formats at 120 columns without cutting a value' -ForEach $viewTypes {
        $sample = $Samples[$TypeName]
        $sample | Should -Not -BeNullOrEmpty -Because "the test has a sample of $TypeName"
        $text = $sample | Format-Table | Out-String -Width 120
        $text | Should -Not -Match ([char]0x2026) -Because "no column may truncate:`n$text"
        foreach ($needle in @($Shows[$TypeName])) {
            $text | Should -Match ([regex]::Escape($needle)) -Because "the table shows $needle whole:`n$text"
        }
    }

    It 'prints an imported instance as one table row: name, state, interface, VRID, priority, VIPs, version' {
        $instance = $Imported | Where-Object Name -EQ 'VI_FRONTEND_V6'
        $text = $instance | Out-String -Width 120
        $lines = @($text -split "`n" | Where-Object { $_.Trim() })
        $lines.Count | Should -BeLessOrEqual 4 -Because "header, rule and one row (a line per VIP, two VIPs):`n$text"
        foreach ($needle in 'VI_FRONTEND_V6', 'Master', 'enp129s0f1', '61', '150', '2001:db8:ffff:1234::100/64', '2001:db8:ffff:1234::101/64', 'v3') {
            $text | Should -Match ([regex]::Escape($needle)) -Because "the row shows $needle`n$text"
        }
    }

    It 'prints the whole imported file as a few short tables (not hundreds of property lines)' {
        $text = $Imported | Out-String -Width 120
        $lines = @($text -split "`n" | Where-Object { $_.Trim() })
        $lines.Count | Should -BeLessOrEqual 25 -Because "$($Imported.Count) objects of 6 types:`n$text"
        $text | Should -Not -Match ([char]0x2026)
    }

}

# Export-KeepalivedConfig -PreserveIncludes: an include tree (Ansible's conf.d layout) stays a tree (issue 12).
# No network: only files in a temporary directory are read and written. keepalived's own dump of the exported tree is compared
# with the original's in the unit tests (KeepalivedIncludeTreeTests, in a throwaway namespace).

BeforeAll {
    Import-Module $env:VRRPPS_MODULE_PATH -Force
    $script:Dir = Join-Path ([IO.Path]::GetTempPath()) ("vrrpps-inc-" + [guid]::NewGuid().ToString('N'))
    function New-Tree([string] $Root) {
        New-Item -ItemType Directory -Path (Join-Path $Root 'conf.d') -Force | Out-Null
        Set-Content -Path (Join-Path $Root 'keepalived.conf') -Value @"
global_defs {
    router_id lb1
    enable_script_security
    script_user root
}
include conf.d/*.conf
vrrp_instance VI_MAIN {
    interface eth0
    virtual_router_id 60
    virtual_ipaddress {
        198.51.100.60/24
    }
}
"@
        Set-Content -Path (Join-Path $Root 'conf.d/10-scripts.conf') -Value @"
vrrp_script chk_web {
    script "/bin/true"
    weight -20
}
"@
        Set-Content -Path (Join-Path $Root 'conf.d/20-web.conf') -Value @"
vrrp_instance VI_WEB {
    interface eth1
    virtual_router_id 61
    virtual_ipaddress {
        198.51.100.61/24
    }
    track_script {
        chk_web
    }
}
"@
        Join-Path $Root 'keepalived.conf'
    }
    $script:Src = New-Tree (Join-Path $Dir 'src')
}

AfterAll { Remove-Item -Recurse -Force $Dir -ErrorAction SilentlyContinue }

Describe 'Export-KeepalivedConfig -PreserveIncludes' {
    It 'writes the main file with its include line and each included file with its own objects, Changed per file, then no change' {
        $dst = Join-Path $Dir 'dst1/keepalived.conf'
        New-Item -ItemType Directory -Path (Split-Path $dst) -Force | Out-Null
        $r = @(Import-KeepalivedConfig $Src | Export-KeepalivedConfig -Path $dst -PreserveIncludes -PassThru)
        $r.Path | Should -Be @($dst, (Join-Path $Dir 'dst1/conf.d/10-scripts.conf'), (Join-Path $Dir 'dst1/conf.d/20-web.conf'))
        $r.Changed | Should -Be @($true, $true, $true)
        $main = Get-Content $dst -Raw
        $main | Should -Match '(?s)^global_defs \{.*\}\n+include conf\.d/\*\.conf\n+vrrp_instance VI_MAIN \{'
        $main | Should -Not -Match 'VI_WEB|chk_web \{'
        Get-Content $r[1].Path -Raw | Should -Match '^vrrp_script chk_web \{'
        Get-Content $r[2].Path -Raw | Should -Match '^vrrp_instance VI_WEB \{'
        # the exported tree reads back as the same objects, and a second export changes nothing
        $again = @(Import-KeepalivedConfig $dst | Export-KeepalivedConfig -Path $dst -PreserveIncludes -PassThru)
        $again.Changed | Should -Be @($false, $false, $false)
        (Import-KeepalivedConfig $dst | Export-KeepalivedConfig) | Should -BeExactly (Import-KeepalivedConfig $Src | Export-KeepalivedConfig)
    }

    It 'writes one file of the tree only when its text changes' {
        $dst = Join-Path $Dir 'dst2/keepalived.conf'
        New-Item -ItemType Directory -Path (Split-Path $dst) -Force | Out-Null
        $cfg = Import-KeepalivedConfig $Src
        $cfg | Export-KeepalivedConfig -Path $dst -PreserveIncludes | Out-Null
        ($cfg | Where-Object Name -eq VI_WEB).Priority = 120
        $r = @($cfg | Export-KeepalivedConfig -Path $dst -PreserveIncludes -PassThru)
        $r.Changed | Should -Be @($false, $false, $true)
        Get-Content (Join-Path $Dir 'dst2/conf.d/20-web.conf') -Raw | Should -Match '(?m)^    priority 120$'
    }

    It 'writes none of the tree with -WhatIf' {
        $dst = Join-Path $Dir 'dst3/keepalived.conf'
        New-Item -ItemType Directory -Path (Split-Path $dst) -Force | Out-Null
        Import-KeepalivedConfig $Src | Export-KeepalivedConfig -Path $dst -PreserveIncludes -WhatIf
        @(Get-ChildItem -Recurse -File (Split-Path $dst)).Count | Should -Be 0
    }

    It 'refuses the whole tree with -NoClobber when one file of it exists, and writes nothing' {
        $dst = Join-Path $Dir 'dst4/keepalived.conf'
        New-Item -ItemType Directory -Path (Join-Path $Dir 'dst4/conf.d') -Force | Out-Null
        Set-Content -Path (Join-Path $Dir 'dst4/conf.d/20-web.conf') -Value '# mine'
        { Import-KeepalivedConfig $Src | Export-KeepalivedConfig -Path $dst -PreserveIncludes -NoClobber } |
            Should -Throw -ErrorId 'KeepalivedExportFileExists,VrrpPS.Cmdlets.ExportKeepalivedConfigCommand'
        Test-Path $dst | Should -BeFalse
        Get-Content (Join-Path $Dir 'dst4/conf.d/20-web.conf') -Raw | Should -Be "# mine`n"
    }

    It 'needs -Path: KeepalivedExportIncludesNeedPath' {
        { Import-KeepalivedConfig $Src | Export-KeepalivedConfig -PreserveIncludes } |
            Should -Throw -ErrorId 'KeepalivedExportIncludesNeedPath,VrrpPS.Cmdlets.ExportKeepalivedConfigCommand'
    }

    It 'without -PreserveIncludes still writes one self-contained file' {
        $dst = Join-Path $Dir 'dst5/keepalived.conf'
        New-Item -ItemType Directory -Path (Split-Path $dst) -Force | Out-Null
        $r = @(Import-KeepalivedConfig $Src | Export-KeepalivedConfig -Path $dst -PassThru)
        $r.Count | Should -Be 1
        Get-Content $dst -Raw | Should -Match 'vrrp_instance VI_WEB' -Because 'the included objects are written in the one file'
        Get-Content $dst -Raw | Should -Not -Match 'include'
    }
}

# Packaging (DESIGN §3): the built out/VrrpPS is published with Publish-PSResource (the same
# Publish-ModulePackage that build.ps1 Package uses) into a repository in TestDrive, then installed
# with Install-PSResource and with Install-Module (PowerShellGet 2.2.5 ships with pwsh 7.6), in
# CurrentUser and in AllUsers scope, by a child pwsh that imports it by name and runs it: the
# INSTALLED copy starts a real instance in a lab namespace (so Tmds.LibC's native path is resolved
# from the installed folder), is Master with its VIP on the interface, and releases it on stop.
# Each child runs inside the lab node's namespace and in a mount namespace of its own in which
# /usr/local/share/powershell (the AllUsers module path on Linux) is a TestDrive folder: AllUsers is
# installed into the real AllUsers path as the installers compute it, and the host's is never touched.

BeforeDiscovery {
    $manifest = Import-PowerShellDataFile $env:VRRPPS_MODULE_PATH
    $installers = @(foreach ($i in 'Install-PSResource', 'Install-Module') { foreach ($sc in 'CurrentUser', 'AllUsers') { @{ Installer = $i; Scope = $sc } } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot '../../tools/BuildHelpers.ps1')
    . (Join-Path $PSScriptRoot 'LabSupport.ps1')
    $h = $null
    # One node; its commands may take minutes (a child pwsh installs from the repository, then runs VRRP).
    $opts = [VrrpPS.Lab.LabOptions]::new()
    $opts.CommandTimeout = [timespan]::FromMinutes(4)
    $lab = [VrrpPS.Lab.NamespaceLab]::Create(1, $opts)
    $h = [pscustomobject]@{ Lab = $lab; Dir = (Join-Path ([IO.Path]::GetTempPath()) "vrrpps-$($lab.Tag)"); Processes = @{} }
    $ModuleDir = Split-Path $env:VRRPPS_MODULE_PATH
    $Manifest = Import-PowerShellDataFile $env:VRRPPS_MODULE_PATH
    $Repo = Join-Path $TestDrive 'repo'
    $UserInstall = Join-Path $HOME '.local/share/powershell/Modules/VrrpPS'
    $UserInstallExisted = Test-Path $UserInstall
    $Nupkg = Publish-ModulePackage -ModulePath $ModuleDir -RepositoryPath $Repo

    # Runs in the child: registers the test repository, installs VrrpPS with the given installer
    # into CurrentUser scope (redirected to a temp dir: PSResourceGet uses $HOME/.local/share,
    # PowerShellGet $XDG_DATA_HOME), imports it by name and reports what it sees as JSON.
    $ChildScript = Join-Path $TestDrive 'install.ps1'
    Set-Content $ChildScript -Value @'
param([string] $Installer, [string] $Scope, [string] $Repo, [string] $Modules, [string] $Conf)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
# Only the scope under test (and pwsh's own modules) is on the module path: the import by name
# must find the copy that scope's install wrote.
$allUsers = '/usr/local/share/powershell/Modules'
$env:PSModulePath = (@(if ($Scope -eq 'AllUsers') { $allUsers } else { $Modules }) + (Join-Path $PSHOME 'Modules')) -join [IO.Path]::PathSeparator
if ($Installer -eq 'Install-PSResource') {
    Register-PSResourceRepository -Name VrrpPSTest -Uri $Repo -Trusted
    Install-PSResource -Name VrrpPS -Repository VrrpPSTest -Scope $Scope -TrustRepository -Quiet
} else {
    Register-PSRepository -Name VrrpPSTest -SourceLocation $Repo -PublishLocation $Repo -InstallationPolicy Trusted
    Install-Module -Name VrrpPS -Repository VrrpPSTest -Scope $Scope
}
Import-Module VrrpPS
$module = Get-Module VrrpPS
$config = @(Import-KeepalivedConfig -Path $Conf) | ConvertTo-Json -Depth 4 -Compress -WarningAction Ignore
# The installed copy runs a real instance on the lab node's eth0 (this process is in its namespace).
$null = Import-KeepalivedConfig -Path $Conf -WarningAction Ignore | Start-VrrpInstance
$state = Wait-VrrpState -Name VI_1 -State Master -Timeout 15
$seen = Get-VrrpState -Name VI_1
$vipWhileMaster = @(& ip -o addr show dev eth0) -join "`n"
$libc = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Tmds.LibC' } | Select-Object -First 1
$null = Stop-VrrpInstance -Name VI_1
$vipAfterStop = @(& ip -o addr show dev eth0) -join "`n"
[pscustomobject]@{
    ModuleBase     = $module.ModuleBase
    Version        = $module.Version.ToString()
    Commands       = @(Get-Command -Module VrrpPS | ForEach-Object Name | Sort-Object)
    Files          = @(Get-ChildItem $module.ModuleBase -Recurse -File | ForEach-Object { [IO.Path]::GetRelativePath($module.ModuleBase, $_.FullName) } | Sort-Object)
    Config         = $config
    State          = "$($seen.State)"
    Vips           = @($seen.VirtualIPAddress)
    Interface      = $seen.Interface
    VipWhileMaster = $vipWhileMaster
    VipAfterStop   = $vipAfterStop
    LibCPath       = $libc.Location
} | ConvertTo-Json -Depth 3 -Compress
'@

    function Invoke-Install([string] $Installer, [string] $Scope) {
        # A child pwsh whose home, CurrentUser data, cache and config live in a fresh temp dir, so
        # neither the install nor the repository registration touches this user's own folders;
        # it runs in the lab node's namespace with its own /usr/local/share/powershell (AllUsers).
        $sandbox = Join-Path $TestDrive "$Installer-$Scope"
        $shared = Join-Path $sandbox 'usr-local-share-powershell'
        $null = New-Item -ItemType Directory -Path $shared -Force
        $modules = Join-Path $sandbox 'home/.local/share/powershell/Modules'
        $null = New-Item -ItemType Directory -Path $modules -Force
        $conf = Join-Path $sandbox 'keepalived.conf'
        Set-Content $conf -Value @'
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 0.1
    virtual_ipaddress {
        198.51.100.10/24
    }
}
'@
        $saved = @{}
        foreach ($var in 'HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_CONFIG_HOME') { $saved[$var] = [Environment]::GetEnvironmentVariable($var) }
        try {
            $env:HOME = Join-Path $sandbox 'home'
            $env:XDG_DATA_HOME = Join-Path $sandbox 'home/.local/share'
            $env:XDG_CACHE_HOME = Join-Path $sandbox 'cache'
            $env:XDG_CONFIG_HOME = Join-Path $sandbox 'config'
            $exe = [Environment]::ProcessPath
            $prefix = @(if ((Split-Path $exe -Leaf) -like 'dotnet*') { Join-Path $PSHOME 'pwsh.dll' })
            [string[]] $argv = @('unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c',
                'mount --bind "$0" /usr/local/share/powershell && exec "$@"', $shared, $exe) + $prefix +
                @('-NoProfile', '-NonInteractive', '-File', $ChildScript, '-Installer', $Installer, '-Scope', $Scope, '-Repo', $Repo, '-Modules', $modules, '-Conf', $conf)
            $run = $h.Lab.Exec($h.Lab.NodeNamespace(1), $argv)
            $output = @($run.StandardOutput, $run.StandardError)
            $exit = $run.ExitCode
        }
        finally {
            foreach ($var in $saved.Keys) { [Environment]::SetEnvironmentVariable($var, $saved[$var]) }
        }
        $text = (@($output | ForEach-Object ToString) -join "`n") -replace "\e\[[0-9;]*[A-Za-z]", ''
        $json = ($text -split "`n" | Where-Object { $_.StartsWith('{"ModuleBase"') } | Select-Object -Last 1)
        [pscustomobject]@{ ExitCode = $exit; Output = $text; Modules = $modules; Shared = $shared
                           Result = if ($json) { $json | ConvertFrom-Json } }
    }

    $Installs = @{}
    function Get-Install([string] $Installer, [string] $Scope) {
        $key = "$Installer-$Scope"
        if (-not $Installs.ContainsKey($key)) { $Installs[$key] = Invoke-Install $Installer $Scope }
        return $Installs[$key]
    }
}

AfterAll {
    if ($h) { Remove-VrrpLab $h }
}

Describe 'VrrpPS package' {
    It 'is published as VrrpPS.(ModuleVersion).nupkg with the module, both Tmds.LibC RIDs and the help' {
        $Nupkg | Should -Be (Join-Path $Repo "VrrpPS.$($Manifest.ModuleVersion).nupkg")
        $Nupkg | Should -Exist
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($Nupkg)
        try { $entries = @($zip.Entries.FullName) } finally { $zip.Dispose() }
        foreach ($file in 'VrrpPS.psd1', 'VrrpPS.dll', 'VrrpPS.format.ps1xml', 'vrrpps.service', 'en-US/VrrpPS.dll-Help.xml',
            'en-US/about_VrrpPS.help.txt', 'runtimes/linux-x64/lib/netstandard2.0/Tmds.LibC.dll',
            'runtimes/linux-arm64/lib/netstandard2.0/Tmds.LibC.dll') {
            $entries | Should -Contain $file
        }
    }

    It 'carries the manifest''s tags, project URI and release notes into the nuspec' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($Nupkg)
        try {
            $reader = [System.IO.StreamReader]::new($zip.GetEntry('VrrpPS.nuspec').Open())
            [xml] $nuspec = $reader.ReadToEnd()
            $reader.Dispose()
        } finally { $zip.Dispose() }
        $meta = $nuspec.package.metadata
        $meta.version | Should -Be $Manifest.ModuleVersion
        $meta.projectUrl | Should -Be $Manifest.PrivateData.PSData.ProjectUri
        $meta.releaseNotes | Should -Be $Manifest.PrivateData.PSData.ReleaseNotes
        foreach ($tag in $Manifest.PrivateData.PSData.Tags) { $meta.tags -split ' ' | Should -Contain $tag }
    }
}

Describe 'VrrpPS installed with <Installer> -Scope <Scope>' -ForEach $installers {
    BeforeAll {
        $install = Get-Install $Installer $Scope
    }

    It 'installs into the scope''s module path and imports by name from there' {
        $install.ExitCode | Should -Be 0 -Because $install.Output
        $expected = if ($Scope -eq 'AllUsers') { '/usr/local/share/powershell/Modules' } else { $install.Modules }
        $install.Result.ModuleBase | Should -BeLike "$expected/VrrpPS*"
        $install.Result.Version | Should -Be $Manifest.ModuleVersion
    }

    It 'writes only into its scope''s folder; the host''s /usr/local/share/powershell stays untouched' {
        $allUsersCopy = Join-Path $install.Shared "Modules/VrrpPS/$($Manifest.ModuleVersion)/VrrpPS.psd1"
        $userCopy = Join-Path $install.Modules "VrrpPS/$($Manifest.ModuleVersion)/VrrpPS.psd1"
        if ($Scope -eq 'AllUsers') { $allUsersCopy | Should -Exist; $userCopy | Should -Not -Exist }
        else { $userCopy | Should -Exist; $allUsersCopy | Should -Not -Exist }
        '/usr/local/share/powershell/Modules/VrrpPS' | Should -Not -Exist
    }

    It 'installs every file of the built module' {
        $built = @(Get-ChildItem $ModuleDir -Recurse -File | ForEach-Object { [IO.Path]::GetRelativePath($ModuleDir, $_.FullName) })
        foreach ($file in $built) { $install.Result.Files | Should -Contain $file }
    }

    It 'leaves this user''s own module folder alone' {
        Test-Path $UserInstall | Should -Be $UserInstallExisted
    }

    It 'exports the manifest''s cmdlets after the install' {
        (@($install.Result.Commands) -join ',') | Should -Be (@($Manifest.CmdletsToExport | Sort-Object) -join ',')
    }

    It 'reads a keepalived.conf with one vrrp_instance' {
        $install.Result.Config | Should -Match '"VI_1"'
    }

    It 'starts a real instance in the lab namespace: Master, its VIP on eth0, released on stop' {
        $install.Result.State | Should -Be 'Master' -Because $install.Output
        $install.Result.Interface | Should -Be 'eth0'
        $install.Result.Vips | Should -Be @('198.51.100.10/24')
        $install.Result.VipWhileMaster | Should -Match 'inet 198\.51\.100\.10/24'
        $install.Result.VipAfterStop | Should -Not -Match '198\.51\.100\.10/'
    }

    It 'loads Tmds.LibC from the installed folder, not from the build output' {
        $install.Result.LibCPath | Should -BeLike "$($install.Result.ModuleBase)/runtimes/linux-*/lib/*/Tmds.LibC.dll"
    }
}

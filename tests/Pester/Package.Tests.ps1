# Packaging (DESIGN §3): the built out/VrrpPS is published with Publish-PSResource (the same
# Publish-ModulePackage that build.ps1 Package uses) into a repository in TestDrive, then installed
# with Install-PSResource and with Install-Module (PowerShellGet 2.2.5 ships with pwsh 7.6) into a
# clean module path in a child pwsh, imported by name and run.

BeforeDiscovery {
    $manifest = Import-PowerShellDataFile $env:VRRPPS_MODULE_PATH
    $installers = @(@{ Installer = 'Install-PSResource' }, @{ Installer = 'Install-Module' })
    # The config cmdlet is run after installing only once the module has it.
    $withImport = if ('Import-KeepalivedConfig' -in $manifest.CmdletsToExport) { $installers } else { @() }
}

BeforeAll {
    . (Join-Path $PSScriptRoot '../../tools/BuildHelpers.ps1')
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
param([string] $Installer, [string] $Repo, [string] $Modules, [string] $Conf)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$env:PSModulePath = $Modules + [IO.Path]::PathSeparator + (Join-Path $PSHOME 'Modules')
if ($Installer -eq 'Install-PSResource') {
    Register-PSResourceRepository -Name VrrpPSTest -Uri $Repo -Trusted
    Install-PSResource -Name VrrpPS -Repository VrrpPSTest -Scope CurrentUser -TrustRepository -Quiet
} else {
    Register-PSRepository -Name VrrpPSTest -SourceLocation $Repo -PublishLocation $Repo -InstallationPolicy Trusted
    Install-Module -Name VrrpPS -Repository VrrpPSTest -Scope CurrentUser
}
Import-Module VrrpPS
$module = Get-Module VrrpPS
$config = if (Get-Command Import-KeepalivedConfig -Module VrrpPS -ErrorAction Ignore) {
    @(Import-KeepalivedConfig -Path $Conf) | ConvertTo-Json -Depth 4 -Compress -WarningAction Ignore
}
[pscustomobject]@{
    ModuleBase = $module.ModuleBase
    Version    = $module.Version.ToString()
    Commands   = @(Get-Command -Module VrrpPS | ForEach-Object Name | Sort-Object)
    Files      = @(Get-ChildItem $module.ModuleBase -Recurse -File | ForEach-Object { [IO.Path]::GetRelativePath($module.ModuleBase, $_.FullName) } | Sort-Object)
    Config     = $config
} | ConvertTo-Json -Depth 3 -Compress
'@

    function Invoke-Install([string] $Installer) {
        # A child pwsh whose home, CurrentUser data, cache and config live in a fresh temp dir, so
        # neither the install nor the repository registration touches this user's own folders.
        $sandbox = Join-Path $TestDrive $Installer
        $modules = Join-Path $sandbox 'home/.local/share/powershell/Modules'
        $null = New-Item -ItemType Directory -Path $modules -Force
        $conf = Join-Path $sandbox 'keepalived.conf'
        Set-Content $conf -Value @'
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 1
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
            [string[]] $prefix = if ((Split-Path $exe -Leaf) -like 'dotnet*') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }
            $output = & $exe @prefix -NoProfile -NonInteractive -File $ChildScript -Installer $Installer -Repo $Repo -Modules $modules -Conf $conf 2>&1
            $exit = $LASTEXITCODE
        }
        finally {
            foreach ($var in $saved.Keys) { [Environment]::SetEnvironmentVariable($var, $saved[$var]) }
        }
        $text = (@($output | ForEach-Object ToString) -join "`n") -replace "\e\[[0-9;]*[A-Za-z]", ''
        $json = ($text -split "`n" | Where-Object { $_.StartsWith('{"ModuleBase"') } | Select-Object -Last 1)
        [pscustomobject]@{ ExitCode = $exit; Output = $text; Modules = $modules; Result = if ($json) { $json | ConvertFrom-Json } }
    }

    $Installs = @{}
    function Get-Install([string] $Installer) {
        if (-not $Installs.ContainsKey($Installer)) { $Installs[$Installer] = Invoke-Install $Installer }
        return $Installs[$Installer]
    }
}

Describe 'VrrpPS package' {
    It 'is published as VrrpPS.<ModuleVersion>.nupkg with the module, both Tmds.LibC RIDs and the help' {
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

Describe 'VrrpPS installed with <Installer>' -ForEach $installers {
    BeforeAll {
        $install = Get-Install $Installer
    }

    It 'installs into the clean module path and imports by name' {
        $install.ExitCode | Should -Be 0 -Because $install.Output
        $install.Result.ModuleBase | Should -BeLike "$($install.Modules)/VrrpPS*"
        $install.Result.Version | Should -Be $Manifest.ModuleVersion
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
}

Describe 'Installed VrrpPS (<Installer>) runs Import-KeepalivedConfig' -ForEach $withImport {
    It 'reads a keepalived.conf with one vrrp_instance' {
        $install = Get-Install $Installer
        $install.ExitCode | Should -Be 0 -Because $install.Output
        $install.Result.Config | Should -Match '"VI_1"'
    }
}

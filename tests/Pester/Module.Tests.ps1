# The built module out/VrrpPS as PowerShell sees it: manifest, exports, import in a fresh process,
# format data, the per-RID Tmds.LibC (DESIGN §3), and the shipped systemd unit.

BeforeAll {
    $ManifestPath = $env:VRRPPS_MODULE_PATH
    $ModuleDir = Split-Path $ManifestPath
    $Manifest = Import-PowerShellDataFile $ManifestPath
    Import-Module $ManifestPath -Force
    $Module = Get-Module VrrpPS

    function Invoke-ChildPwsh([string] $Command) {
        # A fresh pwsh -NoProfile (an assembly cannot be unloaded, so import checks need their own
        # process). Under "dotnet pwsh" the process is dotnet itself, so start pwsh.dll through it.
        $exe = [Environment]::ProcessPath
        [string[]] $prefix = if ((Split-Path $exe -Leaf) -like 'dotnet*') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }
        $output = & $exe @prefix -NoProfile -NonInteractive -Command $Command 2>&1
        $text = (@($output | ForEach-Object ToString) -join "`n") -replace "\e\[[0-9;]*[A-Za-z]", ''
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $text }
    }

    function Get-CmdletClassName([System.Reflection.Assembly] $Assembly) {
        # "Verb-Noun" of every public PSCmdlet class carrying [Cmdlet] in the assembly.
        $Assembly.GetExportedTypes() |
            Where-Object { $_.IsClass -and -not $_.IsAbstract -and $_.IsSubclassOf([System.Management.Automation.PSCmdlet]) } |
            ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { "$($_.VerbName)-$($_.NounName)" }
    }
}

Describe 'VrrpPS manifest' {
    It 'passes Test-ModuleManifest' {
        $info = Test-ModuleManifest -Path $ManifestPath -ErrorAction Stop
        $info.Name | Should -Be 'VrrpPS'
        $info.RootModule | Should -Be 'VrrpPS.dll'
    }

    It 'has the same version as VrrpPS.dll (the package version comes from the manifest)' {
        $assemblyVersion = $Module.ImplementingAssembly.GetName().Version
        [version] $Manifest.ModuleVersion | Should -Be ([version]::new($assemblyVersion.Major, $assemblyVersion.Minor, $assemblyVersion.Build))
    }

    It 'lists <_> explicitly, without wildcards' -ForEach 'CmdletsToExport', 'FunctionsToExport', 'AliasesToExport', 'VariablesToExport' {
        $Manifest.ContainsKey($_) | Should -BeTrue
        @($Manifest[$_]) -join ',' | Should -Not -Match '[*?]'
    }

    It 'exports exactly the [Cmdlet] PSCmdlet classes of VrrpPS.dll' {
        $classes = @(Get-CmdletClassName $Module.ImplementingAssembly | Sort-Object)
        $listed = @($Manifest.CmdletsToExport | Sort-Object)
        ($listed -join ",") | Should -Be ($classes -join ",")
        (@(Get-Command -Module VrrpPS -CommandType Cmdlet | ForEach-Object Name | Sort-Object) -join ",") | Should -Be ($classes -join ",")
    }

    It 'has PrivateData.PSData <_>' -ForEach 'Tags', 'ProjectUri', 'LicenseUri', 'ReleaseNotes' {
        $value = $Manifest.PrivateData.PSData[$_]
        @($value).Count | Should -BeGreaterThan 0
        "$value".Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has URIs that parse as absolute' -ForEach 'ProjectUri', 'LicenseUri' {
        [uri]::IsWellFormedUriString($Manifest.PrivateData.PSData[$_], [System.UriKind]::Absolute) | Should -BeTrue
    }

    It 'declares PowerShell Core 7.4 or later, as the README requires' {
        [version] $Manifest.PowerShellVersion | Should -BeGreaterOrEqual ([version] '7.4')
        $Manifest.CompatiblePSEditions | Should -Be @('Core')
    }
}

Describe 'VrrpPS import' {
    It 'imports in a fresh pwsh -NoProfile and reports its version' {
        $run = Invoke-ChildPwsh "`$ErrorActionPreference = 'Stop'; Import-Module '$ManifestPath'; (Get-Module VrrpPS).Version.ToString()"
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output.Trim() | Should -Be $Manifest.ModuleVersion
    }

    It 'imports by name from a module path, and Remove-Module runs the cleanup without error' {
        $parent = Split-Path $ModuleDir
        $run = Invoke-ChildPwsh ("`$ErrorActionPreference = 'Stop'; `$env:PSModulePath = '$parent' + [IO.Path]::PathSeparator + `$env:PSModulePath; " +
            "Import-Module VrrpPS; (Get-Module VrrpPS).ModuleBase; Remove-Module VrrpPS; @(Get-Module VrrpPS).Count")
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $lines = $run.Output -split "`n"
        $lines[0] | Should -Be $ModuleDir
        $lines[-1] | Should -Be '0'
    }

    It 'ships Tmds.LibC for linux-x64 and linux-arm64' {
        foreach ($rid in 'linux-x64', 'linux-arm64') {
            Join-Path $ModuleDir "runtimes/$rid/lib/netstandard2.0/Tmds.LibC.dll" | Should -Exist
        }
    }

    It 'resolves Tmds.LibC from runtimes/<rid> at import, and its getpid() is this process id' {
        $arch = [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant()
        $expected = Join-Path $ModuleDir "runtimes/linux-$arch/lib/netstandard2.0/Tmds.LibC.dll"
        $run = Invoke-ChildPwsh ("`$ErrorActionPreference = 'Stop'; Import-Module '$ManifestPath'; " +
            "`$asm = [System.Reflection.Assembly]::Load([System.Reflection.AssemblyName]::new('Tmds.LibC')); " +
            "`$asm.Location; [Tmds.Linux.LibC]::getpid() -eq `$PID")
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $lines = $run.Output -split "`n"
        $lines[0] | Should -Be $expected
        $lines[1] | Should -Be 'True'
    }
}

Describe 'VrrpPS format data' {
    BeforeAll {
        $FormatFiles = @($Manifest.FormatsToProcess | ForEach-Object { Join-Path $ModuleDir $_ })
    }

    It 'ships every FormatsToProcess file, and Update-FormatData accepts it in a fresh pwsh' {
        $FormatFiles.Count | Should -BeGreaterThan 0
        foreach ($file in $FormatFiles) {
            $file | Should -Exist
            $run = Invoke-ChildPwsh "`$ErrorActionPreference = 'Stop'; Update-FormatData -PrependPath '$file'; 'ok'"
            $run.ExitCode | Should -Be 0 -Because $run.Output
        }
    }

    It 'makes every view''s type known to Get-FormatData once the module is imported' {
        $typeNames = foreach ($file in $FormatFiles) {
            ([xml] (Get-Content $file -Raw)).SelectNodes('//ViewSelectedBy/TypeName') | ForEach-Object InnerText
        }
        foreach ($typeName in $typeNames | Select-Object -Unique) {
            Get-FormatData -TypeName $typeName | Should -Not -BeNullOrEmpty -Because "$typeName has a view in the format file"
        }
    }
}

Describe 'vrrpps.service (systemd unit in the module folder)' {
    BeforeAll {
        $UnitPath = Join-Path $ModuleDir 'vrrpps.service'
        $Unit = @{}
        $section = ''
        foreach ($line in Get-Content $UnitPath) {
            if ($line -match '^\[(\w+)\]$') { $section = $Matches[1]; continue }
            if ($line -match '^(\w+)=(.*)$') { $Unit["$section.$($Matches[1])"] = $Matches[2] }
        }
    }

    It 'runs keepalived.conf through Start-VrrpInstance -Wait in pwsh itself (not a dotnet tool launcher)' {
        $Unit['Service.ExecStart'] | Should -Match '^/usr/bin/env pwsh -NoProfile .*-Command "Import-KeepalivedConfig /etc/keepalived/keepalived.conf \| Start-VrrpInstance -Wait"$'
        $Unit['Service.ExecStart'] | Should -Not -Match 'dotnet'
    }

    It 'is Type=notify with a watchdog, checks the configuration before start, and logs as vrrpps' {
        $Unit['Service.Type'] | Should -Be 'notify'
        $Unit['Service.WatchdogSec'] | Should -Match '^\d+s$'
        $Unit['Service.ExecStartPre'] | Should -Match 'Import-KeepalivedConfig /etc/keepalived/keepalived.conf -ErrorAction Stop'
        $Unit['Service.SyslogIdentifier'] | Should -Be 'vrrpps'
        $Unit['Unit.Conflicts'] | Should -Be 'keepalived.service'
    }

    It 'stops with SIGTERM (graceful release); reload asks the control socket and fails when the reload failed' {
        $Unit['Service.KillSignal'] | Should -Be 'SIGTERM'
        $Unit['Service.ExecReload'] | Should -Match '\.Reload\(\).*if \(-not \$\$r\.Succeeded\) \{ exit 1 \}'
        $Unit['Service.Restart'] | Should -Be 'on-failure'
    }

    It 'bounds capabilities to what the engine and script_user need' {
        @($Unit['Service.CapabilityBoundingSet'] -split '\s+' | Sort-Object) | Should -Be @('CAP_CHOWN', 'CAP_KILL', 'CAP_NET_ADMIN', 'CAP_NET_RAW', 'CAP_SETGID', 'CAP_SETUID')
        @($Unit['Service.AmbientCapabilities'] -split '\s+' | Sort-Object) | Should -Be @('CAP_NET_ADMIN', 'CAP_NET_RAW')
        $Unit['Install.WantedBy'] | Should -Be 'multi-user.target'
    }

    It 'passes systemd-analyze verify' {
        $tool = Get-Command systemd-analyze -CommandType Application -ErrorAction Stop | Select-Object -First 1
        $dir = Join-Path ([IO.Path]::GetTempPath()) "vrrpps-unit-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        $null = New-Item -ItemType Directory $dir
        try {
            Copy-Item $UnitPath (Join-Path $dir 'vrrpps.service')
            # keepalived.service is named by Conflicts=; a stub lets verify resolve it on machines without keepalived.
            Set-Content (Join-Path $dir 'keepalived.service') "[Service]`nExecStart=/bin/true`n"
            $out = & $tool.Source verify --man=no (Join-Path $dir 'vrrpps.service') 2>&1
            $LASTEXITCODE | Should -Be 0 -Because ($out | Out-String)
            ($out | Out-String) | Should -Not -Match 'vrrpps\.service:\d+:' -Because 'no warning names a line of the unit'
        }
        finally { Remove-Item $dir -Recurse -Force }
    }
}

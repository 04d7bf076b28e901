# Helpers dot-sourced by build.ps1. Kept apart so build.ps1 reads as the list of tasks.

function Invoke-Native {
    # Runs a program with an argument array and fails the build on a non-zero exit code.
    # A plain function ($args, no [Parameter]): an advanced one would take "-o"/"-v" as its own
    # common parameters (-OutVariable, -Verbose). A literal "--" must be quoted: '--'.
    $FilePath, $Arguments = $args
    & $FilePath @Arguments | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "'$FilePath $($Arguments -join ' ')' failed with exit code $LASTEXITCODE" }
}

function Restore-Pester {
    # Pester comes from the NuGet package (a PackageDownload in tools/restore), pinned; returns Pester.psd1.
    param([Parameter(Mandatory)][string] $Version)
    $project = Join-Path $PSScriptRoot 'restore/Restore.csproj'
    Invoke-Native dotnet restore $project --nologo -v quiet
    $cache = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
    $psd1 = Join-Path $cache "pester/$Version/tools/Pester.psd1"
    if (-not (Test-Path $psd1)) { throw "Pester $Version was restored but $psd1 is missing" }
    return $psd1
}

function Install-LabPrerequisites {
    # Lab and interop tests need these Debian packages; install what is missing when we are root.
    $needed = [ordered]@{ ip = 'iproute2'; nft = 'nftables'; iptables = 'iptables'; keepalived = 'keepalived'
                          tcpdump = 'tcpdump'; tshark = 'tshark'; pkill = 'procps'; curl = 'curl'; python3 = 'python3'
                          setpriv = 'util-linux'; nsenter = 'util-linux'; prlimit = 'util-linux'; runuser = 'util-linux'
                          useradd = 'passwd'; 'systemd-analyze' = 'systemd'; ping = 'iputils-ping'
                          'stress-ng' = 'stress-ng' }  # bench/starvation, bench/lateness: every core saturated
    $needed['vtysh'] = 'frr'   # FRR vrrpd interop: zebra and vrrpd run inside a lab namespace (tests/Pester/FrrSupport.ps1)
    # firewalld's provider test runs it inside a namespace with its own D-Bus. Installing it is only
    # safe where no systemd runs as PID 1 (containers, CI): on a systemd host the package would
    # enable firewalld for the next boot and firewall the machine itself, so there it is left out.
    if ((Get-Content /proc/1/comm -ErrorAction Ignore) -ne 'systemd') { $needed['firewalld'] = 'firewalld' }
    else { Write-Warning 'systemd host: firewalld is not installed by the build (the firewalld provider test needs it).' }
    $needed['ansible-playbook'] = 'ansible-core'   # tests/Pester/Ansible.Tests.ps1 runs docs/examples/ansible (ansible.builtin modules only)
    $missing = @($needed.Keys | Where-Object { -not (Get-Command $_ -CommandType Application -ErrorAction Ignore) } |
                 ForEach-Object { $needed[$_] } | Select-Object -Unique)
    # The metrics test validates OpenMetrics text with Debian's python3-prometheus-client parser (system python).
    $hasParser = (Test-Path /usr/bin/python3) -and ((& /usr/bin/python3 -c 'import prometheus_client' 2>$null), $LASTEXITCODE)[-1] -eq 0
    if (-not $hasParser) { $missing += 'python3-prometheus-client' }
    if ($missing.Count -eq 0) { return }
    if ((& id -u) -ne '0') { Write-Warning "Missing packages ($($missing -join ', ')); lab tests need root to install them."; return }
    Write-Host "Installing lab prerequisites: $($missing -join ', ')"
    $env:DEBIAN_FRONTEND = 'noninteractive'
    # No package may start a service in the host's own namespace while it installs (firewalld, keepalived).
    $policy = '/usr/sbin/policy-rc.d'
    $ownPolicy = -not (Test-Path $policy)
    if ($ownPolicy) { Set-Content -Path $policy -Value "#!/bin/sh`nexit 101`n"; & chmod 755 $policy }
    try {
        Invoke-Native apt-get update -qq
        Invoke-Native apt-get install -y -qq --no-install-recommends @missing
    }
    finally {
        if ($ownPolicy) { Remove-Item $policy -Force }
    }
}

function Build-Help {
    # docs/help/*.md (platyPS schema 2.0.0) -> MAML, by tools/HelpGen (platyPS is not obtainable here).
    param([Parameter(Mandatory)][string] $HelpSource, [Parameter(Mandatory)][string] $Destination)
    $project = Join-Path $PSScriptRoot 'HelpGen/HelpGen.csproj'
    Invoke-Native dotnet run --project $project -c Release -v quiet '--' $HelpSource $Destination
}

function Publish-ModulePackage {
    # Publishes the built module folder to a local file repository (a folder of .nupkg files) with
    # PSResourceGet; the repository is registered under a unique name for this call only.
    # Returns the .nupkg path. Package.Tests.ps1 calls this too, with a repository in its TestDrive.
    param([Parameter(Mandatory)][string] $ModulePath, [Parameter(Mandatory)][string] $RepositoryPath)
    $manifest = Import-PowerShellDataFile (Join-Path $ModulePath 'VrrpPS.psd1')
    $nupkg = Join-Path $RepositoryPath "VrrpPS.$($manifest.ModuleVersion).nupkg"
    $null = New-Item -ItemType Directory -Path $RepositoryPath -Force
    # A file repository refuses to publish a version it already holds.
    Remove-Item $nupkg -ErrorAction Ignore
    $name = "VrrpPS-local-$([guid]::NewGuid().ToString('N').Substring(0, 12))"
    Register-PSResourceRepository -Name $name -Uri (Resolve-Path $RepositoryPath).Path -Trusted
    try {
        Publish-PSResource -Path $ModulePath -Repository $name -ErrorAction Stop
    }
    finally {
        Unregister-PSResourceRepository -Name $name
    }
    if (-not (Test-Path $nupkg)) { throw "Publish-PSResource reported success but $nupkg is missing" }
    return $nupkg
}

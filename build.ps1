#requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, demonstrates, benchmarks and packages VrrpPS.
.DESCRIPTION
    Run through the local PowerShell tool: `dotnet tool restore && dotnet pwsh ./build.ps1 <Task>`.
      Build    out/VrrpPS/VrrpPS.psd1 with its DLLs, format file and en-US/VrrpPS.dll-Help.xml
      Test     Build, then the xunit suite and the Pester suite (each in its own process);
               prints one "<Runner>: N passed, N failed" line per runner; exit 1 on any failure.
      Package  Build, then Publish-PSResource to the local file repository out/repo
               (out/repo/VrrpPS.<version>.nupkg, installable with Install-PSResource/Install-Module).
      Demo     (root) Build, then a 3-node lab tour: election, client ping, cable cut with the
               measured hand-over, preemption back (tools/Demo.ps1).
      Bench    (root) Build, then failover timing and footprint, VrrpPS vs keepalived in one run
               (bench/failover/Invoke-FailoverBench.ps1; -Trials N per case, default 20)
               -> bench/results/failover.md and failover.png; then VRID scale (bench/scale: 1-255 VRIDs at
               100 ms and 10 ms, master/backup CPU and RSS, VrrpPS vs keepalived) -> bench/results/scale.md, scale.png;
               the starvation soak (bench/starvation: VIP events on the backups under stress-ng, 60 s per
               scheduling mode) -> starvation.md; takeover lateness from a bridge capture (bench/lateness:
               -Trials cuts per case at 10 and 100 ms, idle and under stress-ng) -> lateness.md.
.EXAMPLE
    dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Package', 'Demo', 'Bench')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Pester: only run test files whose path matches this pattern (e.g. 'Lab').
    [string] $PesterFilter = '*',

    # Bench: cable cuts per implementation and advertisement interval (3 for a quick run).
    [ValidateRange(1, 1000)]
    [int] $Trials = 20
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$Root = $PSScriptRoot
$OutDir = Join-Path $Root 'out'
$ModuleOut = Join-Path $OutDir 'VrrpPS'
$PesterVersion = '5.7.1'
. (Join-Path $Root 'tools/BuildHelpers.ps1')

function Invoke-Build {
    $publish = Join-Path $OutDir 'publish'
    Invoke-Native dotnet publish (Join-Path $Root 'src/VrrpPS/VrrpPS.csproj') -c $Configuration -o $publish --nologo -v quiet
    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $ModuleOut
    Copy-Item (Join-Path $publish 'VrrpPS.dll'), (Join-Path $publish 'VrrpPS.pdb') $ModuleOut
    # Tmds.LibC exists only per RID; ship the Linux ones, ModuleLoader picks the right one at import.
    foreach ($rid in 'linux-x64', 'linux-arm64') {
        $src = Join-Path $publish "runtimes/$rid/lib/netstandard2.0/Tmds.LibC.dll"
        $dst = Join-Path $ModuleOut "runtimes/$rid/lib/netstandard2.0"
        $null = New-Item -ItemType Directory -Path $dst -Force
        Copy-Item $src $dst
    }
    Get-ChildItem (Join-Path $Root 'module') -File | Copy-Item -Destination $ModuleOut
    $enUs = Join-Path $ModuleOut 'en-US'
    $null = New-Item -ItemType Directory -Path $enUs -Force
    Get-ChildItem (Join-Path $Root 'module/en-US') -File -ErrorAction SilentlyContinue | Copy-Item -Destination $enUs
    Build-Help -HelpSource (Join-Path $Root 'docs/help') -Destination (Join-Path $enUs 'VrrpPS.dll-Help.xml')
    Write-Host "Build: $ModuleOut/VrrpPS.psd1"
}

function Invoke-UnitTests {
    # Two runs of the xunit project, one summary line each: the tests that need no privilege (as an
    # unprivileged user when this runs as root, which keeps the split honest), then the ones marked
    # [Trait("Category", "Root")] (namespaces, raw sockets, netlink, keepalived, chown) as root.
    $results = Join-Path $OutDir 'TestResults'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $results
    Invoke-Native dotnet build (Join-Path $Root 'tests/Unit/VrrpPS.Tests.csproj') -c $Configuration --nologo -v quiet
    $dll = Join-Path $Root "tests/Unit/bin/$Configuration/net10.0/VrrpPS.Tests.dll"
    $isRoot = (& id -u) -eq '0'
    $ok = Invoke-UnitRun -Name 'Unit' -Dll $dll -Filter 'Category!=Root' -Results $results -AsNobody:$isRoot
    if ($isRoot) { $ok = (Invoke-UnitRun -Name 'Unit (root)' -Dll $dll -Filter 'Category=Root' -Results $results) -and $ok }
    else { Write-Host 'Unit (root): not run: needs root (sudo dotnet pwsh ./build.ps1 Test)' -ForegroundColor Yellow; $ok = $false }
    return $ok
}

function Invoke-UnitRun([string] $Name, [string] $Dll, [string] $Filter, [string] $Results, [switch] $AsNobody) {
    $trxName = ($Name -replace '\W', '') + '.trx'
    $prefix = @()
    $runResults = $Results
    $user = ''
    if ($AsNobody) {
        # nobody (65534) must be able to read the build output: not so when the clone lives under /root.
        & setpriv --reuid=65534 --regid=65534 --clear-groups test -r $Dll 2>$null
        if ($LASTEXITCODE -eq 0) {
            $tmpHome = Join-Path ([IO.Path]::GetTempPath()) ("vrrpps-unit-" + [guid]::NewGuid().ToString('N'))
            $null = New-Item -ItemType Directory -Path $tmpHome
            & chmod 0777 $tmpHome
            $runResults = Join-Path $tmpHome 'results'
            $prefix = @('setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', 'env', "HOME=$tmpHome", "DOTNET_CLI_HOME=$tmpHome", 'DOTNET_NOLOGO=1')
            $user = ' as nobody'
        }
        else { $user = ' as root (the build output is not readable by nobody)' }
    }
    $argv = $prefix + @('dotnet', 'test', $Dll, '--filter', $Filter, '--logger', "trx;LogFileName=$trxName", '--results-directory', $runResults)
    & $argv[0] $argv[1..($argv.Count - 1)] | Out-Host
    $exit = $LASTEXITCODE
    $trx = Join-Path $runResults $trxName
    if ($runResults -ne $Results -and (Test-Path $trx)) {
        Copy-Item $trx (Join-Path $Results $trxName)
        Remove-Item (Split-Path $runResults) -Recurse -Force -ErrorAction SilentlyContinue
        $trx = Join-Path $Results $trxName
    }
    if (-not (Test-Path $trx)) { Write-Host "${Name}: 0 passed, 1 failed (no results: build or host failure)$user"; return $false }
    [xml] $doc = Get-Content $trx -Raw
    $c = $doc.TestRun.ResultSummary.Counters
    $skipped = [int]$c.total - [int]$c.executed
    Write-Host ("{0}: {1} passed, {2} failed, {3} skipped{4}" -f $Name, $c.passed, $c.failed, $skipped, $user)
    return ($exit -eq 0 -and [int]$c.failed -eq 0 -and [int]$c.passed -gt 0)
}

function Invoke-PesterTests {
    $pester = Restore-Pester -Version $PesterVersion
    $runner = Join-Path $Root 'tests/Pester/Invoke-PesterSuite.ps1'
    $pwsh = Join-Path $PSHOME pwsh  # the local tool's pwsh (this process itself is "dotnet")
    & $pwsh -NoProfile -NonInteractive -File $runner -PesterPath $pester -ModulePath (Join-Path $ModuleOut 'VrrpPS.psd1') `
        -ResultPath (Join-Path $OutDir 'pester.xml') -Filter "$PesterFilter" | Out-Host
    return ($LASTEXITCODE -eq 0)
}

foreach ($t in $Task) {
    switch ($t) {
        'Build' { Invoke-Build }
        'Package' {
            Invoke-Build
            $nupkg = Publish-ModulePackage -ModulePath $ModuleOut -RepositoryPath (Join-Path $OutDir 'repo')
            Write-Host "Package: $nupkg"
        }
        'Test' {
            Install-LabPrerequisites
            Invoke-Build
            $unitOk = Invoke-UnitTests
            $pesterOk = Invoke-PesterTests
            if (-not ($unitOk -and $pesterOk)) { Write-Host 'Test: FAILED'; exit 1 }
        }
        { $_ -in 'Demo', 'Bench' } {
            if ((& id -u) -ne '0') { Write-Host "$t needs root (network namespaces, raw VRRP sockets): run it with sudo." -ForegroundColor Red; exit 1 }
            Install-LabPrerequisites
            Invoke-Build
            $psd1 = Join-Path $ModuleOut 'VrrpPS.psd1'
            $pwsh = Join-Path $PSHOME pwsh
            if ($t -eq 'Demo') { & $pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tools/Demo.ps1') -ModulePath $psd1 }
            else {
                & $pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'bench/failover/Invoke-FailoverBench.ps1') -ModulePath $psd1 -Trials $Trials
                # then VRID scale, the starvation soak and the takeover lateness (-Trials cuts per case)
                $benchArgs = @('-NoProfile', '-NonInteractive', '-File')
                if ($LASTEXITCODE -eq 0) { & $pwsh @benchArgs (Join-Path $Root 'bench/scale/Invoke-ScaleBench.ps1') -ModulePath $psd1 }
                if ($LASTEXITCODE -eq 0) { & $pwsh @benchArgs (Join-Path $Root 'bench/starvation/Invoke-StarvationBench.ps1') -ModulePath $psd1 }
                if ($LASTEXITCODE -eq 0) { & $pwsh @benchArgs (Join-Path $Root 'bench/lateness/Invoke-LatenessBench.ps1') -ModulePath $psd1 -Cuts $Trials }
            }
            if ($LASTEXITCODE -ne 0) { exit 1 }
        }
    }
}

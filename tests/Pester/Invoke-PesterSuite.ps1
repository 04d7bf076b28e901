# Runs the Pester suite in this fresh pwsh process (so the module DLL is never loaded in the
# build process). Prints "Pester: N passed, N failed, N skipped"; exit 1 on any failure.
param(
    [Parameter(Mandatory)][string] $PesterPath,
    [Parameter(Mandatory)][string] $ModulePath,
    [Parameter(Mandatory)][string] $ResultPath,
    [string] $Filter = '*'
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
$env:VRRPPS_MODULE_PATH = (Resolve-Path $ModulePath).Path

$files = @(Get-ChildItem -Path $PSScriptRoot -Filter '*.Tests.ps1' -Recurse |
    Where-Object { $_.FullName -like "*$Filter*" } | ForEach-Object FullName)
$config = New-PesterConfiguration
$config.Run.Path = $files
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
$config.TestResult.Enabled = $true
$config.TestResult.OutputPath = $ResultPath
$result = Invoke-Pester -Configuration $config
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
Write-Host ("Pester: {0} passed, {1} failed, {2} skipped" -f $result.PassedCount, $failed, $result.SkippedCount)
if ($failed -gt 0 -or $result.PassedCount -eq 0) { exit 1 }
exit 0

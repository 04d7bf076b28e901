# Dot-sourced at the top of a bench script (after its param block): strict settings, root check, $Root, the
# module and lab harness imported, BenchLib's helpers, $ModulePath and $OutDir resolved (OutDir created).
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$ProgressPreference = 'SilentlyContinue'
if ((& id -u) -ne '0') { Write-Host 'The bench builds network namespaces and runs VRRP daemons: run it as root.' -ForegroundColor Red; exit 1 }
$Root = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
$ModulePath = (Resolve-Path $ModulePath).Path
$null = New-Item -ItemType Directory -Path $OutDir -Force
$OutDir = (Resolve-Path $OutDir).Path
Import-Module $ModulePath
Import-Module (Join-Path $Root 'tools/VrrpLab.psm1')
. (Join-Path $Root 'bench/failover/BenchLib.ps1')

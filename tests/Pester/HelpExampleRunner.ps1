# Runs help examples verbatim, for HelpExamples.Tests.ps1. It is started inside a lab node's network
# namespace and in a mount namespace of its own in which /etc/keepalived and /run/vrrpps are fixture
# folders, so "/etc/keepalived/keepalived.conf" and the default control socket are the lab's. Each
# example gets a fresh runspace (the module imported, the fixture files reset, its Setup run first)
# and every command's output is formatted exactly as the console would (Out-String -Width 120).
# `systemctl` and `pwsh` are functions here: the first only echoes (an example must never reach the
# host's systemd), the second is this PowerShell. Writes one JSON result per example.
param(
    [Parameter(Mandatory)][string] $ModulePath,
    [Parameter(Mandatory)][string] $SpecPath,
    [Parameter(Mandatory)][string] $ResultPath,
    [Parameter(Mandatory)][string] $Pristine,
    [Parameter(Mandatory)][string] $Work
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
# Import by name (Sync-VrrpConfiguration's Ansible example starts a pwsh that imports VrrpPS).
$env:PSModulePath = (Split-Path (Split-Path $ModulePath)) + [IO.Path]::PathSeparator + $env:PSModulePath

$helpers = @'
function systemctl { "[systemctl $args]" }
function pwsh { & (Join-Path $PSHOME 'pwsh') @args }
function Start-ExampleInstance([string] $Name = 'VI_1', [int] $Priority = 150, [string] $State = 'Master') {
    $vip = @{ VI_1 = '198.51.100.10/24'; VI_6 = '2001:db8::10/64' }[$Name]
    $vrid = @{ VI_1 = 51; VI_6 = 52 }[$Name]
    $interval = if ($Name -eq 'VI_1') { 0.1 } else { 1 }
    $null = Start-VrrpInstance -Name $Name -Interface eth0 -VirtualRouterId $vrid -Priority $Priority -VirtualIPAddress $vip -AdvertisementInterval $interval
    $null = Wait-VrrpState -Name $Name -State $State -Timeout 15
}
function Start-ExampleDaemon([string] $Socket = '/run/vrrpps/engine.sock') {
    $psi = [Diagnostics.ProcessStartInfo]::new((Join-Path $PSHOME 'pwsh'))
    foreach ($a in '-NoProfile', '-NonInteractive', '-Command',
        "Import-Module VrrpPS; Import-KeepalivedConfig /etc/keepalived/keepalived.conf | Start-VrrpInstance -Wait -ControlSocket '$Socket'") { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true; $psi.UseShellExecute = $false
    $p = [Diagnostics.Process]::Start($psi)
    $null = $p.StandardOutput.ReadToEndAsync(); $null = $p.StandardError.ReadToEndAsync()
    $global:ExampleDaemons += @(@{ Process = $p; Socket = $Socket })
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while (-not (Test-Path $Socket)) {
        if ($p.HasExited -or [DateTime]::UtcNow -gt $deadline) { throw "the example daemon did not start (exit $(if ($p.HasExited) { $p.ExitCode }))" }
        Start-Sleep -Milliseconds 50
    }
    $null = Wait-VrrpState -Name VI_1 -State Master -Timeout 20 -ControlSocket $Socket
}
function Stop-ExampleDaemon {
    foreach ($d in @($global:ExampleDaemons)) {
        if (-not $d.Process.HasExited) {
            try { $null = Stop-VrrpInstance -Name * -ControlSocket $d.Socket -Confirm:$false } catch { }
            if (-not $d.Process.WaitForExit(15000)) { $d.Process.Kill($true) }
        }
    }
    $global:ExampleDaemons = @()
}
function New-ExampleNftFilter {
    # The usual /etc/nftables.conf shape (policy drop), in this lab namespace only.
    nft flush ruleset
    nft add table inet filter
    nft add chain inet filter input '{ type filter hook input priority 0; policy drop; }'
}
$global:ExampleDaemons = @()
'@

function Reset-Fixture {
    foreach ($pair in @(@((Join-Path $Pristine 'etc-keepalived'), '/etc/keepalived'), @((Join-Path $Pristine 'work'), $Work))) {
        Get-ChildItem $pair[1] -Force | Remove-Item -Recurse -Force
        Get-ChildItem $pair[0] -Force | Copy-Item -Destination $pair[1] -Recurse
    }
}

function Invoke-Step($Runspace, [string] $Code) {
    $ps = [powershell]::Create()
    $ps.Runspace = $Runspace
    $null = $ps.AddScript($Code).AddCommand('Out-String').AddParameter('Width', 120)
    $async = $ps.BeginInvoke()
    $timedOut = -not $async.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(90))
    if ($timedOut) { $ps.Stop() }
    $text = ''; $errors = [System.Collections.Generic.List[string]]::new()
    try { $text = -join @($ps.EndInvoke($async)) }
    catch {
        $inner = $_.Exception; while ($inner.InnerException) { $inner = $inner.InnerException }
        $id = if ($inner -is [System.Management.Automation.IContainsErrorRecord]) { $inner.ErrorRecord.FullyQualifiedErrorId } else { $inner.GetType().Name }
        $errors.Add("${id}: $($inner.Message)")
    }
    foreach ($e in $ps.Streams.Error) { $errors.Add("$($e.FullyQualifiedErrorId): $e") }
    $warnings = @($ps.Streams.Warning | ForEach-Object Message)
    $ps.Dispose()
    [pscustomobject]@{ Code = $Code; Output = $text; Errors = $errors.ToArray(); Warnings = $warnings; TimedOut = $timedOut }
}

$results = foreach ($ex in @(Get-Content $SpecPath -Raw | ConvertFrom-Json)) {
    Reset-Fixture
    $iss = [initialsessionstate]::CreateDefault2()
    $iss.ImportPSModule($ModulePath)
    $rs = [runspacefactory]::CreateRunspace($iss)
    $rs.Open()
    $rs.SessionStateProxy.Path.SetLocation($Work) | Out-Null
    $setup = $null; $steps = @()
    try {
        $null = Invoke-Step $rs $helpers
        if ($ex.Setup) { $setup = Invoke-Step $rs $ex.Setup }
        $steps = foreach ($c in @($ex.Commands)) { Invoke-Step $rs $c }
    }
    finally {
        $null = Invoke-Step $rs 'Stop-ExampleDaemon'
        if ($ex.Cleanup) { $null = Invoke-Step $rs $ex.Cleanup }
        if ([VrrpPS.Hosting.EngineHost]::Current) { try { $null = Stop-VrrpInstance -Name * -Confirm:$false -ErrorAction Stop } catch { } }
        $rs.Dispose()
    }
    [pscustomobject]@{ Key = $ex.Key; Setup = $setup; Steps = @($steps) }
}
ConvertTo-Json -InputObject @($results) -Depth 6 | Set-Content $ResultPath
'done'

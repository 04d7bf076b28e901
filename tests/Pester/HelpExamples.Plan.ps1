# Which help examples HelpExamples.Tests.ps1 runs and how (dot-sourced in its BeforeDiscovery and BeforeAll).
$helpDir = Join-Path $PSScriptRoot '../../docs/help'
$allExamples = @(Get-ChildItem $helpDir -Filter '*.md' | Sort-Object Name | ForEach-Object { Get-HelpExample $_.FullName })

# Examples that do not run here, and why.
$notRun = @{
    'Import-KeepalivedConfig#2'  = 'runs until stopped (-Wait): Daemon.*.Tests.ps1 run this command line as the daemon'
    'Start-VrrpInstance#3'       = 'runs until stopped (-Wait): Daemon.*.Tests.ps1 run this command line as the daemon'
    'Start-VrrpInstance#9'       = 'its notify program and OnMaster action act on the host (a program in /usr/local/bin, systemctl restart haproxy)'
    'Invoke-FirewallVrrpRule#2'  = 'firewalld provider: needs firewalld running with its own D-Bus (FirewallLab.Tests.ps1 runs it)'
    'Invoke-FirewallVrrpRule#5'  = 'firewalld provider: needs firewalld running with its own D-Bus (FirewallLab.Tests.ps1 runs it)'
    'Test-VrrpFailover#3'        = '-Lab builds its own namespace cluster of three nodes (DiagnosticsFailover.Tests.ps1 runs -Lab)'
    'Test-VrrpFailover#4'        = '-Lab builds its own namespace cluster (DiagnosticsFailover.Tests.ps1 runs -Lab -Scenario TrackFailure)'
}
# How the others run: Setup before the example (not part of it), Run = how many of its commands
# (the rest prompt), ExpectError = the error id its sample shows.
$spec = @{
    'Get-VrrpState#1'            = @{ Setup = 'Start-ExampleInstance VI_1; Start-ExampleInstance VI_6 -Priority 120' }
    'Get-VrrpState#2'            = @{ Setup = 'Start-ExampleInstance VI_1' }
    'Get-VrrpState#3'            = @{ Setup = 'Start-ExampleInstance VI_1' }
    'Get-VrrpState#4'            = @{ Setup = 'Start-ExampleInstance VI_1' }
    'Get-VrrpState#5'            = @{ Setup = 'Start-ExampleDaemon; Set-VrrpInstance VI_WEB -Priority 50 -ControlSocket /run/vrrpps/engine.sock; Wait-VrrpState VI_WEB Backup -Timeout 10 -ControlSocket /run/vrrpps/engine.sock | Out-Null' }
    'Import-KeepalivedConfig#4'  = @{ Setup = "(Get-Content /etc/keepalived/keepalived.conf -Raw) -replace 'priority 150', 'priorty 150' | Set-Content ./keepalived.conf"; ExpectError = 'KeepalivedUnknownKeyword' }
    'Invoke-FirewallVrrpRule#1'  = @{ Setup = 'New-ExampleNftFilter'; Cleanup = 'nft flush ruleset' }
    'Invoke-FirewallVrrpRule#3'  = @{ Setup = 'New-ExampleNftFilter'; Cleanup = 'nft flush ruleset' }
    'Invoke-FirewallVrrpRule#4'  = @{ Setup = 'New-ExampleNftFilter'; Cleanup = 'nft flush ruleset' }
    'Invoke-FirewallVrrpRule#6'  = @{ Setup = 'New-ExampleNftFilter; Invoke-FirewallVrrpRule -Interface eth0 | Out-Null'; Cleanup = 'nft flush ruleset' }
    'Set-VrrpInstance#1'         = @{ Setup = 'Start-ExampleInstance VI_1' }
    'Set-VrrpInstance#2'         = @{ Setup = 'Start-ExampleInstance VI_1' }
    'Set-VrrpInstance#3'         = @{ Setup = 'Start-ExampleDaemon' }
    'Start-VrrpInstance#6'       = @{ ExpectError = 'VrrpInterfaceNotFound' }
    'Stop-VrrpInstance#1'        = @{ Setup = 'Start-ExampleInstance VI_1' }
    'Stop-VrrpInstance#2'        = @{ Setup = 'Start-ExampleInstance VI_1; Start-ExampleInstance VI_6 -Priority 120'; Run = 1 }
    'Stop-VrrpInstance#3'        = @{ Setup = "Start-ExampleInstance VI_1; '1' | Set-Content ./maintenance
Start-VrrpInstance -Name VI_LAN -Interface eth0 -VirtualRouterId 70 -VirtualIPAddress 198.51.100.70/24 -TrackFile @{ Name = 'maintenance'; Path = `"`$PWD/maintenance`"; Weight = 0 } | Out-Null
Wait-VrrpState VI_LAN Fault -Timeout 10 | Out-Null" }
    'Stop-VrrpInstance#4'        = @{ Setup = 'Start-ExampleDaemon -Socket /run/vrrpps/web.sock' }
    'Sync-VrrpConfiguration#1'   = @{ Setup = 'Start-ExampleDaemon' }
    'Sync-VrrpConfiguration#2'   = @{ Setup = 'Start-ExampleDaemon; Copy-Item /etc/keepalived/keepalived.conf ./keepalived.conf' }
    'Sync-VrrpConfiguration#3'   = @{ Setup = "(Get-Content /etc/keepalived/keepalived.conf -Raw) -replace 'priority 150', 'priority 300' | Set-Content ./keepalived.conf"; ExpectError = 'VrrpSyncInvalidConfig' }
    'Sync-VrrpConfiguration#4'   = @{ Setup = 'Start-ExampleDaemon' }
    'Test-VrrpFailover#1'        = @{ Setup = 'Start-ExampleInstance VI_1' }
    'Test-VrrpFailover#2'        = @{ Setup = 'Start-ExampleInstance VI_1 -Priority 50 -State Backup' }
    'Wait-VrrpState#2'           = @{ Setup = 'Start-ExampleInstance VI_1 -Priority 50 -State Backup' }
    'Wait-VrrpState#3'           = @{ Setup = 'Start-ExampleDaemon' }
}
$runnable = @($allExamples | Where-Object { -not $notRun.ContainsKey($_.Key) } | ForEach-Object {
    $s = if ($spec.ContainsKey($_.Key)) { $spec[$_.Key] } else { @{} }
    $n = if ($s.ContainsKey('Run')) { $s.Run } else { $_.Commands.Count }
    @{ Key = $_.Key; Example = $_; Setup = $s['Setup']; Cleanup = $s['Cleanup']; ExpectError = $s['ExpectError']; Run = $n }
})
$listed = @($notRun.GetEnumerator() | ForEach-Object { @{ Key = $_.Key; Reason = $_.Value } })
$windowsOnly = 'Restart-Service', 'Start-Service', 'Stop-Service', 'Get-Service', 'Get-WmiObject', 'Get-CimInstance', 'Get-EventLog', 'C:\', 'netsh'

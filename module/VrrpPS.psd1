@{
    RootModule           = 'VrrpPS.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5d0f7f7e-3b0a-4c3e-9a7e-1f6b2a6c9d41'
    Author               = 'VrrpPS contributors'
    CompanyName          = 'VrrpPS'
    Copyright            = '(c) VrrpPS contributors. MIT licence.'
    Description          = 'VRRP (RFC 3768 v2, RFC 5798/9568 v3) high availability for Linux servers from PowerShell: keepalived-compatible configuration, virtual IP failover, health tracking, firewall rules and failover testing.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('VrrpPS.format.ps1xml', 'VrrpPS.Config.format.ps1xml', 'VrrpPS.Diagnostics.format.ps1xml')
    CmdletsToExport      = @(
        'Start-VrrpInstance'
        'Stop-VrrpInstance'
        'Get-VrrpState'
        'Set-VrrpInstance'
        'Wait-VrrpState'
        'Import-KeepalivedConfig'
        'Export-KeepalivedConfig'
        'Test-VrrpConfig'
        'Sync-VrrpConfiguration'
        'Invoke-FirewallVrrpRule'
        'Watch-VrrpAdvertisement'
        'Test-VrrpFailover'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('VRRP', 'keepalived', 'HighAvailability', 'Failover', 'VIP', 'Linux', 'Networking')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ProjectUri   = 'https://example.invalid/vrrpps'
            ReleaseNotes = 'First release: VRRP v2/v3 engine, keepalived.conf import, firewall rules, failover testing.'
        }
    }
}

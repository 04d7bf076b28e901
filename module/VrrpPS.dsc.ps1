## The DSC v3 resource VrrpPS/KeepalivedConfiguration (manifest: VrrpPS.dsc.resource.json, next to
## this file). DSC runs it as `pwsh ... -File ./VrrpPS.dsc.ps1 -Operation get|set|test` in this folder,
## with the desired state as one JSON object on stdin:
##   {"path": "/etc/keepalived/keepalived.conf", "configId": "n1", "controlSocket": "/run/vrrpps/engine.sock"}
## It writes the actual state as one JSON line on stdout and exits 0; on an error it writes the
## message (a broken file: one file:line:col line per error) on stderr and exits 1.
##   get, test  Sync-VrrpConfiguration -WhatIf: what a set would do; _inDesiredState = nothing to do.
##   set        Sync-VrrpConfiguration (-WhatIf when DSC passes it): what was done, with changed.
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [ValidateSet('get', 'set', 'test')]
    [string] $Operation,

    # DSC's whatIfArg for set (dsc config set --what-if): report, change nothing.
    [switch] $WhatIf,

    [Parameter(ValueFromPipeline)]
    [string[]] $UserInput
)

End {
    $ErrorActionPreference = 'Stop'
    $ProgressPreference = 'SilentlyContinue'
    $PSStyle.OutputRendering = 'PlainText'

    function Write-DscMessage([string] $Level, [string] $Message) {
        # stderr only: stdout carries nothing but the state. DSC logs {"warn": ...} lines at their level.
        [Console]::Error.WriteLine((@{ $Level = $Message } | ConvertTo-Json -Compress))
    }

    function Read-DesiredState([string] $Json) {
        if (-not $Json.Trim()) { throw [ArgumentException]::new('No input: give the desired state as JSON on stdin, e.g. {"path": "/etc/keepalived/keepalived.conf"}.') }
        $desired = ConvertFrom-Json -InputObject $Json
        if ($desired -isnot [pscustomobject]) { throw [ArgumentException]::new("The input is not a JSON object: $Json") }
        $known = 'path', 'configId', 'controlSocket', 'changed', 'instances', '_inDesiredState'
        $unknown = @($desired.PSObject.Properties.Name | Where-Object { $_ -cnotin $known -and -not $_.StartsWith('_') })
        if ($unknown) { throw [ArgumentException]::new("Unknown propert$(if ($unknown.Count -gt 1) { 'ies' } else { 'y' }): $($unknown -join ', '). Known: path, configId, controlSocket.") }
        if (-not "$($desired.path)".StartsWith('/')) { throw [ArgumentException]::new("'path' must be an absolute path to keepalived.conf; got '$($desired.path)'.") }
        $desired
    }

    function Invoke-Sync($Desired, [bool] $DryRun) {
        $sync = @{ Path = [string]$Desired.path; WhatIf = $DryRun; Confirm = $false }
        if ($Desired.PSObject.Properties['configId'] -and $Desired.configId) { $sync.ConfigId = [string]$Desired.configId }
        if ($Desired.PSObject.Properties['controlSocket'] -and $Desired.controlSocket) { $sync.ControlSocket = [string]$Desired.controlSocket }
        # In a runspace of its own: there -WhatIf has no console to print "What if: ..." on, so stdout
        # carries the state and nothing else; warnings go to stderr in DSC's {"warn": ...} form.
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddCommand('Import-Module').AddParameter('Name', (Join-Path $PSScriptRoot 'VrrpPS.psd1')).AddStatement()
            $null = $ps.AddCommand('Sync-VrrpConfiguration').AddParameters($sync)
            $result = @($ps.Invoke())
            foreach ($w in $ps.Streams.Warning) { Write-DscMessage warn "$w" }
            if ($ps.Streams.Error.Count -gt 0) { throw $ps.Streams.Error[0] }
            if ($result.Count -ne 1) { throw "Sync-VrrpConfiguration returned $($result.Count) results, expected one." }
            $result[0]
        }
        finally { $ps.Dispose() }
    }

    function Get-InnermostErrorRecord($ErrorRecord) {
        # A terminating error of the inner runspace arrives wrapped (MethodInvocationException...): the
        # innermost record carries the cmdlet's ErrorId and message.
        $record = $ErrorRecord
        for ($e = $ErrorRecord.Exception; $e; $e = $e.InnerException) {
            if ($e -is [System.Management.Automation.IContainsErrorRecord] -and $e.ErrorRecord) { $record = $e.ErrorRecord }
        }
        $record
    }

    function ConvertTo-DscState($Desired, $Result, [switch] $WithChanged) {
        $state = [ordered]@{ path = [string]$Result.Path }
        if ($Desired.PSObject.Properties['configId'] -and $Desired.configId) { $state.configId = [string]$Desired.configId }
        $state.controlSocket = [string]$Result.ControlSocket
        if ($WithChanged) { $state.changed = [bool]$Result.Changed }
        $state.instances = @(foreach ($i in $Result.Instances) { [ordered]@{ name = [string]$i.Name; action = [string]$i.Action } })
        # After a real set the daemon runs the file; otherwise (get, test, what-if) in desired state = nothing to do.
        $state._inDesiredState = if ($WithChanged -and -not $Result.WhatIf) { $true } else { -not $Result.Changed }
        ConvertTo-Json -InputObject $state -Compress -Depth 5
    }

    try {
        $desired = Read-DesiredState (@($input) -join "`n")
        switch ($Operation) {
            { $_ -in 'get', 'test' } { ConvertTo-DscState $desired (Invoke-Sync $desired $true) }
            'set' { ConvertTo-DscState $desired (Invoke-Sync $desired $WhatIf.IsPresent) -WithChanged }
        }
    }
    catch {
        $record = Get-InnermostErrorRecord $_
        $id = if ($record.FullyQualifiedErrorId) { ($record.FullyQualifiedErrorId -split ',')[0] } else { 'Error' }
        [Console]::Error.WriteLine("${id}: $($record.Exception.Message)")
        exit 1
    }
    exit 0
}

# Shared by Dsc.Tests.ps1 and Ansible.Tests.ps1 (dot-sourced after LabSupport.ps1 and DaemonSupport.ps1):
# runs a configuration tool's command the way the tool itself runs it (argument array, working
# directory, environment, JSON on stdin) inside a lab node's namespace, with a bounded wait.
Set-StrictMode -Version 3.0

# Tools find pwsh on PATH, as on a host with the PowerShell package: here the local tool's pwsh.
$script:ToolPath = "$PSHOME$([IO.Path]::PathSeparator)$env:PATH"

function Invoke-LabToolProcess {
    # Runs FilePath with Arguments in namespace Namespace (`ip netns exec`), cwd WorkingDirectory,
    # Environment added to ours (PATH gets $PSHOME first), Stdin written then closed (no stdin: /dev/null).
    # Returns ExitCode, Stdout, Stderr; kills the process tree and throws after TimeoutSeconds.
    param([Parameter(Mandatory)][string] $Namespace, [Parameter(Mandatory)][string] $FilePath, [string[]] $Arguments = @(),
          [string] $WorkingDirectory = (Get-Location).Path, [hashtable] $Environment = @{}, [AllowNull()][string] $Stdin,
          [int] $TimeoutSeconds = 120)
    $psi = [System.Diagnostics.ProcessStartInfo]::new('ip')
    foreach ($a in @('netns', 'exec', $Namespace, $FilePath) + $Arguments) { $psi.ArgumentList.Add($a) }
    $psi.WorkingDirectory = $WorkingDirectory
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.RedirectStandardInput = $true
    $psi.Environment['PATH'] = $script:ToolPath
    foreach ($k in $Environment.Keys) { $psi.Environment[$k] = [string]$Environment[$k] }
    $p = [System.Diagnostics.Process]::Start($psi)
    try {
        $out = $p.StandardOutput.ReadToEndAsync()
        $err = $p.StandardError.ReadToEndAsync()
        if ($null -ne $Stdin) { $p.StandardInput.Write($Stdin) }
        $p.StandardInput.Close()
        if (-not $p.WaitForExit($TimeoutSeconds * 1000)) {
            $p.Kill($true)
            throw "'$FilePath $($Arguments -join ' ')' did not finish within $TimeoutSeconds s"
        }
        $p.WaitForExit()
        [pscustomobject]@{ ExitCode = $p.ExitCode; Stdout = $out.Result; Stderr = $err.Result }
    }
    finally { $p.Dispose() }
}

function Resolve-ToolExecutable([Parameter(Mandatory)][string] $Name) {
    # What a tool does with a bare program name: the first executable of that name on PATH.
    if ($Name.Contains('/')) { return $Name }
    foreach ($dir in $script:ToolPath -split [IO.Path]::PathSeparator) {
        $candidate = Join-Path $dir $Name
        if ((Test-Path $candidate -PathType Leaf)) { return $candidate }
    }
    throw "'$Name' is not on PATH ($script:ToolPath)"
}

function Start-AutomationDaemon([Parameter(Mandatory)] $Harness, [Parameter(Mandatory)][string] $ConfigPath) {
    # Node 1's daemon running ConfigPath, as the service runs it; waits until VI_1 is Master; returns the control socket.
    $null = Start-DaemonNode $Harness 1 $ConfigPath
    $sock = Get-DaemonSocket $Harness 1
    $null = Wait-VrrpState -Name VI_1 -State Master -Timeout 20 -ControlSocket $sock
    $sock
}

function Get-DaemonInstanceSummary([Parameter(Mandatory)][string] $Socket) {
    # "Name:Priority" of every instance the daemon runs, sorted by name.
    @(Get-VrrpState -ControlSocket $Socket | Sort-Object Name | ForEach-Object { "$($_.Name):$($_.Priority)" })
}

# Shared by the Daemon.*.Tests.ps1 files (dot-sourced after LabSupport.ps1): runs the daemon the
# supported way, the way module/vrrpps.service runs it — pwsh itself (here `dotnet <PSHOME>/pwsh.dll`,
# which runs pwsh in the same process, so signals reach it; never the `dotnet pwsh` tool launcher,
# which starts pwsh as a child and does not pass SIGTERM on) — inside a lab node's namespace, with
# a per-node runtime directory (control socket, dumps) under the lab's temporary directory.
Set-StrictMode -Version 3.0

$script:DotnetHost = (Get-Command dotnet -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source
$script:PwshDll = Join-Path $PSHOME 'pwsh.dll'

function Get-DaemonDir([Parameter(Mandatory)] $Harness, [Parameter(Mandatory)][int] $Node) {
    Join-Path $Harness.Dir "d$Node"
}

function New-DaemonConfig {
    # A keepalived.conf for node N with one instance (Master when alone: priority 150) in its runtime directory.
    param([Parameter(Mandatory)] $Harness, [Parameter(Mandatory)][int] $Node, [int] $VirtualRouterId = 50 + $Node,
          [string] $Vip = "198.51.100.$(99 + $Node)/24", [int] $Priority = 150, [string[]] $Extra)
    $dir = Get-DaemonDir $Harness $Node
    $null = New-Item -ItemType Directory -Path $dir -Force
    $conf = Join-Path $dir 'keepalived.conf'
    $text = New-KeepalivedLabConfig -Priority $Priority -VirtualRouterId $VirtualRouterId -VirtualIPAddress $Vip `
        -AdvertisementInterval 0.1 -Extra $Extra
    Set-Content -Path $conf -Value $text -NoNewline
    $conf
}

function Start-DaemonNode {
    # Starts `Import-KeepalivedConfig <conf> | Start-VrrpInstance -Wait` as the unit does, in node N's
    # namespace. -Environment adds variables (NOTIFY_SOCKET…); -StartArguments adds Start-VrrpInstance
    # parameters. Returns the process; the control socket is <dir>/engine.sock.
    param([Parameter(Mandatory)] $Harness, [Parameter(Mandatory)][int] $Node, [Parameter(Mandatory)][string] $ConfigPath,
          [hashtable] $Environment = @{}, [string] $StartArguments = '', [switch] $NoWait, [int] $TimeoutSeconds = 60,
          [switch] $Journal)
    $dir = Get-DaemonDir $Harness $Node
    $null = New-Item -ItemType Directory -Path $dir -Force
    $sock = Join-Path $dir 'engine.sock'
    $script = "Import-Module '$($Harness.ModulePath)'; Import-KeepalivedConfig '$ConfigPath' | Start-VrrpInstance -Wait -ControlSocket '$sock' $StartArguments"
    [string[]] $envArgs = @('/usr/bin/env', "RUNTIME_DIRECTORY=$dir") + @($Environment.GetEnumerator() | ForEach-Object { "$($_.Key)=$($_.Value)" })
    $log = Join-Path $Harness.Dir "n$Node.log"
    # -Journal: as under systemd, $JOURNAL_STREAM names the daemon's stderr (device:inode), here the log pipe.
    [string[]] $prefix = if ($Journal) { @('/bin/sh', '-c', 'export JOURNAL_STREAM=$(stat -L -c %d:%i /proc/$$/fd/2); exec "$@"', 'sh') } else { @() }
    [string[]] $argv = $prefix + $envArgs + @($script:DotnetHost, $script:PwshDll, '-NoProfile', '-NonInteractive', '-Command', $script)
    $p = $Harness.Lab.StartLoggedProcess($Harness.Lab.NodeNamespace($Node), $log, $argv)
    $Harness.Processes["n$Node"] = $p
    if (-not $NoWait) { Wait-DaemonSocket $Harness $Node $TimeoutSeconds }
    $p
}

function Wait-DaemonSocket([Parameter(Mandatory)] $Harness, [Parameter(Mandatory)][int] $Node, [int] $TimeoutSeconds = 60) {
    $sock = Get-DaemonSocket $Harness $Node
    $p = $Harness.Processes["n$Node"]
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (-not (Test-Path $sock)) {
        if ($p.HasExited -or [DateTime]::UtcNow -gt $deadline) {
            throw "Daemon $Node did not start (exit $(if ($p.HasExited) { $p.ExitCode })): $(Get-Content (Join-Path $Harness.Dir "n$Node.log") -Raw -ErrorAction Ignore)"
        }
        Start-Sleep -Milliseconds 50
    }
}

function Get-DaemonSocket([Parameter(Mandatory)] $Harness, [Parameter(Mandatory)][int] $Node) {
    Join-Path (Get-DaemonDir $Harness $Node) 'engine.sock'
}

function Send-DaemonSignal([Parameter(Mandatory)] $Harness, [Parameter(Mandatory)][int] $Node, [Parameter(Mandatory)][string] $Signal) {
    $p = $Harness.Processes["n$Node"]
    & kill -s $Signal $p.Id
    if ($LASTEXITCODE -ne 0) { throw "kill -s $Signal $($p.Id) failed" }
}

function Wait-DaemonFile([Parameter(Mandatory)][string] $Path, [DateTime] $NewerThan = [DateTime]::MinValue, [double] $Timeout = 10) {
    # Polls (bounded) until Path exists and was written after NewerThan; returns its text.
    $deadline = [DateTime]::UtcNow.AddSeconds($Timeout)
    while ([DateTime]::UtcNow -lt $deadline) {
        $f = Get-Item $Path -ErrorAction Ignore
        if ($f -and $f.LastWriteTimeUtc -ge $NewerThan) { return Get-Content $Path -Raw }
        Start-Sleep -Milliseconds 50
    }
    throw "$Path was not written within $Timeout s"
}

function New-NotifyListener([Parameter(Mandatory)][string] $Path) {
    # Our own NOTIFY_SOCKET: a datagram socket the daemon sends sd_notify messages to.
    $s = [System.Net.Sockets.Socket]::new([System.Net.Sockets.AddressFamily]::Unix, [System.Net.Sockets.SocketType]::Dgram, [System.Net.Sockets.ProtocolType]::Unspecified)
    $s.Bind([System.Net.Sockets.UnixDomainSocketEndPoint]::new($Path))
    $s
}

function Receive-NotifyMessage([Parameter(Mandatory)] $Socket, [double] $Timeout = 20) {
    # The next datagram's text, or throws after Timeout seconds.
    $Socket.ReceiveTimeout = [int]($Timeout * 1000)
    $buf = [byte[]]::new(4096)
    $n = $Socket.Receive($buf)
    [Text.Encoding]::UTF8.GetString($buf, 0, $n)
}

# Reads the examples of docs/help/*.md (platyPS schema) the way a reader sees them: each
# "### Example N" block's ```powershell fence, split into commands ("PS> " lines plus their
# continuation lines, found with the PowerShell parser) and the sample output printed after each.
# Used by HelpExamples.Tests.ps1, which runs the examples and compares the tables they print.
Set-StrictMode -Version 3.0

function Test-CompleteInput([string] $Text) {
    # True when the text parses without an "incomplete input" error (an open brace, a trailing pipe…).
    $errors = $null
    $null = [System.Management.Automation.Language.Parser]::ParseInput($Text, [ref] $null, [ref] $errors)
    -not @($errors | Where-Object IncompleteInput)
}

function Get-HelpExample {
    # One object per example: Cmdlet, Number, Title, Key ("Cmdlet#N") and Commands (Code, Sample).
    param([Parameter(Mandatory)][string] $Path)
    $cmdlet = [IO.Path]::GetFileNameWithoutExtension($Path)
    $lines = @(Get-Content $Path)
    for ($i = 0; $i -lt $lines.Count; $i++) {
        if ($lines[$i] -notmatch '^### Example (\d+): (.*)$') { continue }
        $number = [int]$Matches[1]; $title = $Matches[2]
        while ($i -lt $lines.Count -and $lines[$i] -ne '```powershell') { $i++ }
        $body = [System.Collections.Generic.List[string]]::new()
        for ($i++; $i -lt $lines.Count -and $lines[$i] -ne '```'; $i++) { $body.Add($lines[$i]) }
        $commands = [System.Collections.Generic.List[object]]::new()
        $j = 0
        while ($j -lt $body.Count) {
            if (-not $body[$j].StartsWith('PS>')) { $j++; continue }
            $code = $body[$j].Substring(3).TrimStart()
            $j++
            while (-not (Test-CompleteInput $code) -and $j -lt $body.Count -and -not $body[$j].StartsWith('PS>')) {
                $code += "`n" + ($body[$j] -replace '^>> ?', '')
                $j++
            }
            $sample = [System.Collections.Generic.List[string]]::new()
            while ($j -lt $body.Count -and -not $body[$j].StartsWith('PS>')) { $sample.Add($body[$j]); $j++ }
            if ($code.Trim()) { $commands.Add([pscustomobject]@{ Code = $code; Sample = ($sample -join "`n").Trim("`n") }) }
        }
        [pscustomobject]@{ Cmdlet = $cmdlet; Number = $number; Title = $title; Key = "$cmdlet#$number"; Commands = $commands.ToArray() }
    }
}

function Get-TableHeader([string] $Text) {
    # The column names of every table in formatted output (the line over "----  -----"), one string
    # per table with single spaces between the names; empty when the text holds no table. Widths are
    # left out: a Select-Object table sizes its columns to the values.
    $lines = @($Text -split "`r?`n" | ForEach-Object TrimEnd)
    for ($k = 1; $k -lt $lines.Count; $k++) {
        if ($lines[$k] -match '^\s*-+( +-+)*$' -and $lines[$k - 1].Trim()) {
            ($lines[$k - 1].Trim() -split '\s+') -join ' '
        }
    }
}

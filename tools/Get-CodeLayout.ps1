<#
.SYNOPSIS
    Layout figures of src/VrrpPS for a note: per folder files, lines and the largest file; the 10 largest
    files; how many files declare more than one public type; the lines in Cmdlets/.
.EXAMPLE
    pwsh tools/Get-CodeLayout.ps1                 # this checkout
    pwsh tools/Get-CodeLayout.ps1 -Root /tmp/main # another tree (e.g. git archive main | tar -x -C /tmp/main)
#>
[CmdletBinding()]
param([string]$Root = (Split-Path -Parent $PSScriptRoot))

$src = Join-Path $Root 'src/VrrpPS'
$publicType = '^\s*public (sealed |static |abstract |readonly |partial |record )*(class|struct|enum|interface|record)\b'
$files = Get-ChildItem -Path $src -Recurse -Filter *.cs -File |
    Where-Object { $_.FullName -notmatch '[\\/](obj|bin)[\\/]' } |
    ForEach-Object {
        $text = [System.IO.File]::ReadAllLines($_.FullName)
        [pscustomobject]@{
            Folder      = [System.IO.Path]::GetRelativePath($src, $_.DirectoryName) -replace '\\', '/'
            File        = [System.IO.Path]::GetRelativePath($src, $_.FullName) -replace '\\', '/'
            Lines       = $text.Count
            PublicTypes = @($text -match $publicType).Count
        }
    }

'Per folder:'
$files | Group-Object Folder | Sort-Object Name | ForEach-Object {
    $largest = $_.Group | Sort-Object Lines -Descending | Select-Object -First 1
    [pscustomobject]@{
        Folder  = $_.Name
        Files   = $_.Count
        Lines   = [int]($_.Group | Measure-Object Lines -Sum).Sum
        Largest = '{0} ({1})' -f (Split-Path -Leaf $largest.File), $largest.Lines
    }
} | Format-Table -AutoSize | Out-String -Width 200

'10 largest files:'
$files | Sort-Object Lines -Descending | Select-Object -First 10 File, Lines | Format-Table -AutoSize | Out-String -Width 200

$multi = @($files | Where-Object PublicTypes -gt 1)
"Files with more than one public type: $($multi.Count)"
$multi | Sort-Object PublicTypes -Descending | ForEach-Object { '  {0} {1}' -f $_.PublicTypes, $_.File }
"Total: $($files.Count) files, $(($files | Measure-Object Lines -Sum).Sum) lines"
"Cmdlets/ lines (recursive): $(($files | Where-Object Folder -like 'Cmdlets*' | Measure-Object Lines -Sum).Sum)"

# RSS of one process by kind of mapping, from /proc/<pid>/smaps (kB): what the resident memory of a
# VrrpPS daemon (a whole pwsh) is made of. Kinds: managed assemblies (*.dll, *.ni.dll), native libraries
# (*.so: coreclr, clrjit, ICU…), the malloc heap ([heap]), stack, executable anonymous memory (JIT code),
# other anonymous memory (GC heap, loader heaps, native allocations), the W^X double mapping of
# executable memory (memfd), other files.
param([Parameter(Mandatory)][int] $ProcessId)
$kinds = [ordered]@{}
$kind = 'other'
foreach ($line in [IO.File]::ReadLines("/proc/$ProcessId/smaps")) {
    if ($line -match '^[0-9a-f]+-[0-9a-f]+ (\S{4}) \S+ \S+ \d+\s*(.*)$') {
        $perm, $path = $Matches[1], $Matches[2].Trim()
        $kind = switch -regex ($path) {
            '\.dll$' { 'managed assemblies (.dll)'; break }
            '\.so(\.\d+)*$' { if ($path -match 'libicu') { 'ICU (.so)' } else { 'native libraries (.so)' }; break }
            '^\[heap\]$' { 'malloc heap ([heap])'; break }
            '^\[stack' { 'stacks'; break }
            '^/memfd:doublemapper' { 'W^X double mapping (JIT code, stubs, memfd)'; break }
            '^$' { if ($perm -match 'x') { 'anonymous executable (JIT code, stubs)' } else { 'anonymous (GC heap, loader heaps, native)' }; break }
            default { 'other files / special' }
        }
    }
    elseif ($line -match '^Rss:\s+(\d+) kB') { $kinds[$kind] = [long]$kinds[$kind] + [long]$Matches[1] }
}
$total = ($kinds.Values | Measure-Object -Sum).Sum
foreach ($k in $kinds.Keys) { [pscustomobject]@{ Kind = $k; RssMiB = [math]::Round($kinds[$k] / 1024, 1); Percent = [math]::Round(100 * $kinds[$k] / $total, 1) } }
[pscustomobject]@{ Kind = 'total'; RssMiB = [math]::Round($total / 1024, 1); Percent = 100 }

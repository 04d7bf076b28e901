# The bench consoles that reference the product (bench/alloc, bench/procscan) must keep building: build.ps1 Bench
# runs them first, and a change of an engine interface once left bench/alloc unbuildable for a whole session
# without any test noticing. Builds only; nothing is measured or sent here.

BeforeAll {
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
}

Describe 'bench consoles' {
    It '<Name> builds against the current source' -ForEach @(
        @{ Name = 'alloc'; Project = 'Alloc.csproj' }
        @{ Name = 'procscan'; Project = 'ProcScan.csproj' }
    ) {
        $out = Join-Path $TestDrive $Name
        $log = & dotnet build (Join-Path $Root "bench/$Name/$Project") -c Release --nologo -v quiet -o $out 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($log -join "`n")
        Join-Path $out ([IO.Path]::ChangeExtension($Project, '.dll')) | Should -Exist
    }
}

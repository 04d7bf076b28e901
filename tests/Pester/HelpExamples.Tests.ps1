# Help examples are real (issue 13, "Interactive use"): every example in docs/help/*.md that can run
# runs here, verbatim, in a lab namespace (HelpExampleRunner.ps1), next to a peer VrrpPS node so that
# elections, hand-overs and captures have someone to talk to. An example passes when it raises no
# error except the one its sample shows, and when every table in its sample output has the header
# the shipped views print. The few examples that cannot run here are listed with the reason; an
# example that is neither run nor listed fails. No example uses a Windows-only command.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'HelpExampleSupport.ps1')
    . (Join-Path $PSScriptRoot 'HelpExamples.Plan.ps1')
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSupport.ps1')
    . (Join-Path $PSScriptRoot 'HelpExampleSupport.ps1')
    . (Join-Path $PSScriptRoot 'HelpExamples.Plan.ps1')
    $h = $null
    $opts = [VrrpPS.Lab.LabOptions]::new()
    $opts.NodeAddresses = @('198.51.100.2/24', '198.51.100.3/24')   # this node is .2, its peer .3, as in the samples
    $opts.IPv6 = $true
    $opts.CommandTimeout = [timespan]::FromMinutes(8)
    $lab = [VrrpPS.Lab.NamespaceLab]::Create(2, $opts)
    $h = [pscustomobject]@{ Lab = $lab; Dir = (Join-Path ([IO.Path]::GetTempPath()) "vrrpps-$($lab.Tag)")
                            ModulePath = (Resolve-Path $env:VRRPPS_MODULE_PATH).Path; Processes = @{} }
    $null = New-Item -ItemType Directory -Path $h.Dir -Force
    $Results = @{}
    try {
        # The peer (node 2): VI_1 at priority 100 under this node's 150, and VRID 7 with a password for Watch-VrrpAdvertisement.
        $peerConf = Join-Path $h.Dir 'peer.conf'
        Set-Content $peerConf -Value (Get-Content (Join-Path $PSScriptRoot 'HelpExamples/peer.conf') -Raw)
        $null = Start-VrrpLabNode $h 2 @{} -ConfigPath $peerConf
        $null = Wait-VrrpLabState $h 2 Master -Name VI_AUTH -Timeout 20

        $pristine = Join-Path $h.Dir 'pristine'
        Copy-Item (Join-Path $PSScriptRoot 'HelpExamples') $pristine -Recurse
        foreach ($d in 'etc', 'run', 'work') { $null = New-Item -ItemType Directory -Path (Join-Path $h.Dir $d) }
        $specPath = Join-Path $h.Dir 'spec.json'
        ConvertTo-Json -Depth 4 -InputObject @($runnable | ForEach-Object {
            @{ Key = $_.Key; Setup = $_.Setup; Cleanup = $_.Cleanup; Commands = @($_.Example.Commands | Select-Object -First $_.Run | ForEach-Object Code) } }) |
            Set-Content $specPath
        $resultPath = Join-Path $h.Dir 'results.json'
        # This node's namespace, plus a mount namespace of its own where /etc/keepalived and /run/vrrpps are lab folders.
        # (/etc/keepalived exists wherever keepalived is installed; /run is replaced whole, so nothing is created on the host.)
        $null = New-Item -ItemType Directory -Path (Join-Path $h.Dir 'run/vrrpps')
        $binds = "mount --bind '$($h.Dir)/etc' /etc/keepalived && mount --bind '$($h.Dir)/run' /run && cd '$($h.Dir)/work' && exec " + '"$@"'
        $run = $h.Lab.Exec($h.Lab.NodeNamespace(1), 'unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c', $binds, 'sh',
            (Join-Path $PSHOME 'pwsh'), '-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'HelpExampleRunner.ps1'),
            '-ModulePath', $h.ModulePath, '-SpecPath', $specPath, '-ResultPath', $resultPath, '-Pristine', $pristine, '-Work', (Join-Path $h.Dir 'work'))
        $RunnerOutput = "$run"
        if (Test-Path $resultPath) {
            foreach ($r in @(Get-Content $resultPath -Raw | ConvertFrom-Json)) { $Results[$r.Key] = $r }
            if ($env:VRRPPS_HELP_OUTPUT) { Copy-Item $resultPath $env:VRRPPS_HELP_OUTPUT }
        }
    }
    catch { Remove-VrrpLab $h; $h = $null; throw }
}

AfterAll {
    if ($h) { Remove-VrrpLab $h }
}

Describe 'Help examples' {
    It 'every example is run or listed with the reason it cannot run here' {
        $allExamples.Count | Should -BeGreaterThan 40
        foreach ($l in $listed) {
            $allExamples.Key | Should -Contain $l.Key -Because 'a listed example must exist'
            Write-Host "    [not run] $($l.Key): $($l.Reason)"
        }
    }

    It 'no example uses a Windows-only command (<Key>)' -ForEach @($allExamples | ForEach-Object { @{ Key = $_.Key; Example = $_ } }) {
        foreach ($w in $windowsOnly) { ($Example.Commands.Code -join "`n") | Should -Not -Match ([regex]::Escape($w)) }
    }

    It '<Key> runs without an unexpected error' -ForEach $runnable {
        $r = $Results[$Key]
        $r | Should -Not -BeNullOrEmpty -Because "the runner ran it: $RunnerOutput"
        if ($r.Setup) { @($r.Setup.Errors) | Should -BeNullOrEmpty -Because 'the setup of the example (not the example) works' }
        $steps = @($r.Steps)
        $steps.Count | Should -Be $Run
        @($steps | Where-Object TimedOut) | Should -BeNullOrEmpty
        $errors = @($steps | ForEach-Object { $_.Errors })
        if ($ExpectError) { ($errors -join "`n") | Should -Match "^$([regex]::Escape($ExpectError))," -Because 'the sample shows this error' }
        else { $errors | Should -BeNullOrEmpty -Because ($steps | ForEach-Object { "PS> $($_.Code)`n$($_.Output)" }) -join "`n" }
    }

    It '<Key> prints the tables its sample shows, with the shipped views'' headers' -ForEach $runnable {
        $r = $Results[$Key]
        $r | Should -Not -BeNullOrEmpty
        for ($i = 0; $i -lt $Run; $i++) {
            if (-not $Example.Commands[$i].Sample.Trim()) { continue }   # the help shows no output for this command
            $sample = @(Get-TableHeader $Example.Commands[$i].Sample)
            $actual = @(Get-TableHeader $r.Steps[$i].Output)
            ($actual -join "`n") | Should -Be ($sample -join "`n") -Because "PS> $($Example.Commands[$i].Code) printed:`n$($r.Steps[$i].Output)"
        }
    }
}

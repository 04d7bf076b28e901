# Help completeness (DESIGN §3: "a test fails when a cmdlet or parameter lacks help") and the
# markdown-to-MAML generator tools/HelpGen that produces en-US/VrrpPS.dll-Help.xml.
# The completeness check (Get-HelpGap) is data-driven over whatever VrrpPS exports, and is itself
# proven on a fixture module (tools/HelpGen/testdata/module) with complete, stale and missing help.

BeforeDiscovery {
    Import-Module $env:VRRPPS_MODULE_PATH -Force
    $vrrpCmdlets = @(Get-Command -Module VrrpPS -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } })
    # HelpGen diagnostics for tools/HelpGen/testdata/malformed/<Case>/Set-HelpFixture.md: id and line.
    $malformed = @(
        @{ Case = 'missing-front-matter'; Id = 'HelpGen.MissingFrontMatter'; Line = 1 }
        @{ Case = 'name-mismatch'; Id = 'HelpGen.NameMismatch'; Line = 8 }
        @{ Case = 'missing-synopsis'; Id = 'HelpGen.MissingSection'; Line = 8 }
        @{ Case = 'empty-description'; Id = 'HelpGen.EmptySection'; Line = 19 }
        @{ Case = 'unknown-section'; Id = 'HelpGen.UnknownSection'; Line = 19 }
        @{ Case = 'syntax-mismatch'; Id = 'HelpGen.SyntaxMismatch'; Line = 15 }
        @{ Case = 'no-examples'; Id = 'HelpGen.NoExamples'; Line = 22 }
        @{ Case = 'example-without-code'; Id = 'HelpGen.ExampleWithoutCode'; Line = 24 }
        @{ Case = 'parameter-without-yaml'; Id = 'HelpGen.ParameterWithoutYaml'; Line = 46 }
        @{ Case = 'parameter-without-description'; Id = 'HelpGen.ParameterWithoutDescription'; Line = 46 }
        @{ Case = 'yaml-missing-key'; Id = 'HelpGen.YamlMissingKey'; Line = 34 }
        @{ Case = 'yaml-bad-value'; Id = 'HelpGen.YamlBadValue'; Line = 40 }
        @{ Case = 'yaml-syntax'; Id = 'HelpGen.YamlSyntax'; Line = 37 }
        @{ Case = 'unknown-parameter-set'; Id = 'HelpGen.UnknownParameterSet'; Line = 51 }
        @{ Case = 'placeholder'; Id = 'HelpGen.Placeholder'; Line = 47 }
    )
}

BeforeAll {
    Import-Module $env:VRRPPS_MODULE_PATH -Force
    $RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $TestData = Join-Path $RepoRoot 'tools/HelpGen/testdata'

    function Invoke-HelpGen([string] $Source, [string] $Destination) {
        # build.ps1 Build has just built HelpGen (Release); fall back to dotnet run when it has not.
        $dll = Join-Path $RepoRoot 'tools/HelpGen/bin/Release/net10.0/HelpGen.dll'
        $output = if (Test-Path $dll) { & dotnet $dll $Source $Destination 2>&1 }
                  else { & dotnet run --project (Join-Path $RepoRoot 'tools/HelpGen/HelpGen.csproj') -c Release -- $Source $Destination 2>&1 }
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = (@($output | ForEach-Object ToString) -join "`n") }
    }

    function Get-HelpGap {
        # Everything Get-Help lacks for one cmdlet, as readable strings; empty when help is complete.
        param([Parameter(Mandatory)][string] $Name)
        $command = Get-Command $Name -CommandType Cmdlet
        $help = Get-Help $Name -Full
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters
        $gaps = [System.Collections.Generic.List[string]]::new()
        # Without MAML, PowerShell fills the synopsis with the generated syntax line ("Name [-P <T>]…").
        $synopsis = "$($help.Synopsis)".Trim()
        if (-not $synopsis -or $synopsis -match "^$([regex]::Escape($Name))(\s|$)") { $gaps.Add('no synopsis') }
        if (-not (@($help.description | ForEach-Object Text) -join '').Trim()) { $gaps.Add('no description') }
        $examples = @($help.examples.example | Where-Object { "$($_.code)".Trim() })
        if ($examples.Count -lt 1) { $gaps.Add('no example with code') }

        $helpParams = @($help.parameters.parameter)
        foreach ($p in $command.Parameters.Keys | Where-Object { $_ -notin $common }) {
            $doc = $helpParams | Where-Object name -EQ $p | Select-Object -First 1
            if (-not $doc -or -not (@($doc.description | ForEach-Object Text) -join '').Trim()) { $gaps.Add("parameter -$p has no description") }
        }
        foreach ($doc in $helpParams | Where-Object { $_.name -notin $command.Parameters.Keys }) {
            $gaps.Add("help documents -$($doc.name), which the cmdlet does not have")
        }

        $cmdSets = @($command.ParameterSets | ForEach-Object {
                (@($_.Parameters.Name | Where-Object { $_ -notin $common }) | Sort-Object) -join ',' }) | Sort-Object
        $helpSets = @($help.syntax.syntaxItem | ForEach-Object {
                (@($_.parameter | ForEach-Object name) | Sort-Object) -join ',' }) | Sort-Object
        if (($cmdSets -join ' | ') -cne ($helpSets -join ' | ')) {
            $gaps.Add("parameter sets differ: cmdlet [$($cmdSets -join ' | ')] help [$($helpSets -join ' | ')]")
        }
        return $gaps.ToArray()
    }
}

Describe 'VrrpPS cmdlet help: <Name>' -ForEach $vrrpCmdlets {
    It 'has a synopsis, a description, an example, every parameter described and the cmdlet''s parameter sets' {
        Get-HelpGap -Name $Name | Should -BeNullOrEmpty
    }
}

Describe 'VrrpPS help files' {
    It 'ships en-US/VrrpPS.dll-Help.xml as MAML helpItems with one command per exported cmdlet' {
        $file = Join-Path (Split-Path $env:VRRPPS_MODULE_PATH) 'en-US/VrrpPS.dll-Help.xml'
        [xml] $maml = Get-Content $file -Raw
        $maml.helpItems.schema | Should -Be 'maml'
        $maml.DocumentElement.NamespaceURI | Should -Be 'http://msh'
        $exported = @(Get-Command -Module VrrpPS -CommandType Cmdlet | ForEach-Object Name | Sort-Object)
        $documented = @($maml.helpItems.ChildNodes | Where-Object LocalName -EQ 'command' | ForEach-Object { $_.details.name } | Sort-Object)
        $documented | Should -Be $exported
    }

    It 'ships about_VrrpPS, which Get-Help finds for the imported module' {
        $topic = Get-Help about_VrrpPS
        "$topic" | Should -Match 'IP protocol 112'
        "$topic" | Should -Match 'Import-KeepalivedConfig'
    }

    It 'ships about_VrrpPS_Operations: running under systemd (pwsh itself) and monitoring' {
        $topic = "$(Get-Help about_VrrpPS_Operations)"
        foreach ($needle in 'Type=notify', 'never through the `dotnet pwsh` launcher', 'SIGUSR1', 'vrrpps.data.json',
                            '-ControlSocketGroup', 'VrrpControlPermissionDenied', 'keepalived-exporter', 'CapabilityBoundingSet') {
            $topic | Should -Match ([regex]::Escape($needle))
        }
    }
}

Describe 'about_VrrpPS_Migration' {
    BeforeAll {
        $topic = "$(Get-Help about_VrrpPS_Migration)"
    }

    It 'walks from keepalived to VrrpPS in order: check, firewall, stop keepalived, enable the unit, verify' {
        $steps = 'Test-VrrpConfig /etc/keepalived/keepalived.conf', 'Invoke-FirewallVrrpRule', 'systemctl disable --now keepalived',
                 'systemctl enable --now vrrpps', 'Get-VrrpState', 'Watch-VrrpAdvertisement'
        $at = foreach ($step in $steps) {
            $i = $topic.IndexOf($step)
            $i | Should -BeGreaterThan -1 -Because "the guide names '$step'"
            $i
        }
        ($at -join ',') | Should -Be ((@($at) | Sort-Object) -join ',') -Because 'the steps come in this order'
    }

    It 'makes the firewall rule survive a reboot for every provider' {
        foreach ($needle in '-Permanent', 'ExecStartPre', 'systemctl edit vrrpps') { $topic | Should -Match ([regex]::Escape($needle)) }
    }

    It 'goes back to keepalived the same way' {
        $back = $topic.IndexOf('BACK TO KEEPALIVED')
        $back | Should -BeGreaterThan -1
        $topic.IndexOf('systemctl enable --now keepalived', $back) | Should -BeGreaterThan $back
    }

    It 'names the keywords that differ, as the README and Start-VrrpInstance''s warnings do' {
        foreach ($needle in 'smtp_alert', 'static_ipaddress', 'parsed but not acted on', 'Conflicts=keepalived.service', '/usr/bin/pwsh') {
            $topic | Should -Match ([regex]::Escape($needle))
        }
    }
}

Describe 'HelpGen on the fixture module' {
    BeforeAll {
        $fixture = Join-Path $TestDrive 'HelpFixture'
        $null = New-Item -ItemType Directory -Path (Join-Path $fixture 'en-US') -Force
        $helpXml = Join-Path $fixture 'en-US/HelpFixture.dll-Help.xml'
        $script:run = Invoke-HelpGen (Join-Path $TestData 'module') $helpXml
        Add-Type -Path (Join-Path $TestData 'module/HelpFixture.cs') -OutputAssembly (Join-Path $fixture 'HelpFixture.dll') -OutputType Library
        Import-Module (Join-Path $fixture 'HelpFixture.dll') -Force
        $script:maml = [xml](Get-Content $helpXml -Raw)
        $script:getHelp = Get-Help Get-HelpFixture -Full
    }

    It 'converts the three cmdlet files and skips about_HelpFixture.md' {
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $names = @($maml.helpItems.ChildNodes | Where-Object LocalName -EQ 'command' | ForEach-Object { $_.details.name })
        $names | Should -Be @('Get-HelpFixture', 'Remove-HelpFixture', 'Set-HelpFixture')
        $maml.helpItems.command[0].details.verb | Should -Be 'Get'
        $maml.helpItems.command[0].details.noun | Should -Be 'HelpFixture'
    }

    It 'gives Get-Help the synopsis and one description paragraph per markdown paragraph or list item' {
        $getHelp.Synopsis | Should -Be 'Gets fixture routers by name or by interface.'
        $paras = @($getHelp.description | ForEach-Object Text)
        $paras.Count | Should -Be 4
        $paras[0] | Should -Match 'checked end to end: this paragraph spans two source lines\.$'
        $paras[3] | Should -Be '- second bullet'
    }

    It 'carries each parameter''s yaml into Get-Help (required, position, pipeline, globbing, aliases, type, default)' {
        $name = $getHelp.parameters.parameter | Where-Object name -EQ 'Name'
        $name.required | Should -Be 'false'
        $name.position | Should -Be '0'
        $name.pipelineInput | Should -Be 'True (ByPropertyName)'
        $name.globbing | Should -Be 'true'
        $name.aliases | Should -Be 'n'
        $name.type.name | Should -Be 'String[]'
        $name.defaultValue | Should -Be 'All fixtures'
        ($getHelp.parameters.parameter | Where-Object name -EQ 'Interface').required | Should -Be 'true'
        ($getHelp.parameters.parameter | Where-Object name -EQ 'Interface').position | Should -Be 'named'
    }

    It 'rebuilds one syntax item per parameter set, switches without a value and accepted values as a set' {
        @($getHelp.syntax.syntaxItem).Count | Should -Be 2
        $text = Get-Help Get-HelpFixture | Out-String -Width 300
        $text | Should -Match ([regex]::Escape('Get-HelpFixture [[-Name] <String[]>] [-Detailed] [<CommonParameters>]'))
        $text | Should -Match ([regex]::Escape('Get-HelpFixture -Interface <String> [-State {Backup | Master}] [-Detailed] [<CommonParameters>]'))
    }

    It 'gives examples a title, code and remarks' {
        $examples = @($getHelp.examples.example)
        $examples.Count | Should -Be 2
        $examples[1].title | Should -Match 'Example 2: By interface'
        $examples[1].code | Should -Be 'PS> Get-HelpFixture -Interface eth0 -State Master'
        @($examples[1].remarks | ForEach-Object Text) -join '' | Should -Be 'Gets the fixtures on eth0 that are master.'
    }

    It 'fills inputs, outputs, notes and related links (online version first, relative .md links as names)' {
        $getHelp.inputTypes.inputType.type.name | Should -Be 'System.String'
        $getHelp.returnValues.returnValue.type.name | Should -Be 'System.String'
        @($getHelp.alertSet.alert | ForEach-Object Text) -join '' | Should -Be 'Fixture only; not shipped.'
        $links = @($getHelp.relatedLinks.navigationLink)
        $links.linkText | Should -Be @('Online Version:', 'Set-HelpFixture', 'RFC 5798')
        $links.uri | Should -Be @('https://example.invalid/help/Get-HelpFixture', '', 'https://www.rfc-editor.org/rfc/rfc5798')
    }

    It 'finds no gap in complete help: <_>' -ForEach 'Get-HelpFixture', 'Set-HelpFixture' {
        Get-HelpGap -Name $_ | Should -BeNullOrEmpty
    }

    It 'flags stale help: a parameter missing from the markdown' {
        $gaps = Get-HelpGap -Name Remove-HelpFixture
        $gaps | Should -Contain 'parameter -Force has no description'
        $gaps | Should -Contain 'parameter sets differ: cmdlet [Force,Name] help [Name]'
        $gaps | Should -Not -Contain 'no synopsis'
    }

    It 'flags a cmdlet without any help file' {
        $gaps = Get-HelpGap -Name Clear-HelpFixture
        $gaps | Should -Contain 'no synopsis'
        $gaps | Should -Contain 'no description'
        $gaps | Should -Contain 'no example with code'
        $gaps | Should -Contain 'parameter -Name has no description'
    }
}

Describe 'HelpGen rejects malformed help' {
    It '<Case>: exits 1 with "Set-HelpFixture.md:<Line>: error <Id>" and writes nothing' -ForEach $malformed {
        $out = Join-Path $TestDrive "$Case.xml"
        $run = Invoke-HelpGen (Join-Path $TestData "malformed/$Case") $out
        $run.ExitCode | Should -Be 1
        $run.Output | Should -Match ([regex]::Escape("Set-HelpFixture.md:${Line}: error ${Id}:"))
        $out | Should -Not -Exist
    }

    It 'reports every malformed file of a run, not only the first' {
        $dir = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'two-bad')
        Copy-Item (Join-Path $TestData 'malformed/yaml-syntax/Set-HelpFixture.md') $dir
        (Get-Content (Join-Path $TestData 'module/Get-HelpFixture.md') -Raw) -replace '## SYNOPSIS', '## SUMMARY' |
            Set-Content (Join-Path $dir 'Get-HelpFixture.md')
        $run = Invoke-HelpGen $dir (Join-Path $TestDrive 'two-bad.xml')
        $run.ExitCode | Should -Be 1
        $run.Output | Should -Match 'Get-HelpFixture\.md:10: error HelpGen\.UnknownSection:'
        $run.Output | Should -Match 'Set-HelpFixture\.md:37: error HelpGen\.YamlSyntax:'
    }

    It 'writes an empty helpItems document when there is no help folder yet' {
        $out = Join-Path $TestDrive 'empty.xml'
        $run = Invoke-HelpGen (Join-Path $TestDrive 'no-such-dir') $out
        $run.ExitCode | Should -Be 0
        $run.Output | Should -Match 'warning: no cmdlet help'
        ([xml](Get-Content $out -Raw)).helpItems.ChildNodes.Count | Should -Be 0
    }
}

Describe 'about_VrrpPS_Automation' {
    It 'ships about_VrrpPS_Automation: the validate one-liner, the playbook and the DSC resource as shipped' {
        $topic = "$(Get-Help about_VrrpPS_Automation)"
        $moduleDir = Split-Path $env:VRRPPS_MODULE_PATH
        $dsc = Get-Content (Join-Path $moduleDir 'VrrpPS.dsc.resource.json') -Raw | ConvertFrom-Json
        $playbook = Get-Content (Join-Path $PSScriptRoot '../../docs/examples/ansible/vrrpps.yml') -Raw
        # The one-liner the topic documents is the one the tested playbook runs (Ansible.Tests.ps1).
        $oneLiner = ([regex]::Match($topic, '(?m)^\s*(pwsh -NoProfile -NonInteractive -Command "\$PSStyle.+)$')).Groups[1].Value
        $oneLiner | Should -Not -BeNullOrEmpty
        $script = ([regex]::Match($oneLiner, '-Command "(.+)"$')).Groups[1].Value
        ($playbook -replace '\s+', ' ') | Should -Match ([regex]::Escape(($script -replace '\s+', ' ')))
        foreach ($needle in "dsc resource set  -r $($dsc.type)", 'DSC_RESOURCE_PATH', 'VrrpSyncInvalidConfig', 'changed_when',
                            'docs/examples/ansible', '$PSItem rather than $_') {
            $topic | Should -Match ([regex]::Escape($needle))
        }
    }
}

# Interop of health tracking with real keepalived (2.2.7 here): a keepalived master whose
# vrrp_script fails hands over to a VrrpPS backup, and a VrrpPS master whose vrrp_script fails
# hands over to a keepalived backup. Both sides use keepalived's weight semantics (weight -60 on
# 150 vs 100: a failing check drops the master to 90). The check is `/usr/bin/test ! -e FLAG`
# (root-owned, not writable by others, as enable_script_security demands); creating FLAG makes it
# fail. The lab is removed in AfterAll even on failure.

BeforeAll {
    $h = $null
    . (Join-Path $PSScriptRoot 'LabSupport.ps1')
    $a1 = '198.51.100.11'; $a2 = '198.51.100.12'
    $Interval = 0.1
    $CheckInterval = 1; $Fall = 2; $Rise = 2
    $h = New-TestLab -Nodes 2
    $flag = Join-Path $h.Dir 'health-failed.flag'
    $T100 = Get-VrrpLabTiming -Priority 100 -AdvertisementInterval $Interval -Version 3
    # Hand-over bound (keepalived vrrp_script + RFC 5798 §6.4.2/§6.4.3): up to one check interval
    # until the next check sees the flag, fall × interval failures, then the backup's
    # Master_Down_Interval (the master now advertises 90 < 100, which a preempting backup ignores),
    # one advert interval in flight, and the scheduling slack; 500 ms more for process start-up of
    # the checks on a shared 2-core machine.
    $HandOverBoundMs = ($Fall + 1) * $CheckInterval * 1000 + $T100.MasterDownMs + $T100.IntervalMs + $SchedulingSlackMs + 500
    # The reverse direction (the check passes again): rise × interval + one interval, then the
    # recovering master preempts at once with its next advert (priority 150 > 100, RFC 5798 §6.4.3).
    $RecoverBoundMs = ($Rise + 1) * $CheckInterval * 1000 + $T100.MasterDownMs + $T100.IntervalMs + $SchedulingSlackMs + 500

    $scriptBlock = @(
        'vrrp_script chk_flag {'
        "    script `"/usr/bin/test ! -e $flag`""
        "    interval $CheckInterval"
        '    timeout 1'
        "    fall $Fall"
        "    rise $Rise"
        '    weight -60'
        '}'
    ) -join "`n"

    function New-TrackedConfig([int] $Priority) {
        # keepalived.conf text with the vrrp_script defined at top level (before the instance) and
        # referenced by track_script inside it.
        $text = New-KeepalivedLabConfig -Priority $Priority -AdvertisementInterval $Interval -Version 3 `
            -Extra @('track_script {', '    chk_flag', '}')
        $text -replace '(?m)^vrrp_instance', "$scriptBlock`nvrrp_instance"
    }
    function Why { "`nnode logs:`n$(Get-VrrpLabLog $h)" }
    function Wait-MasterNode([int] $Node, [double] $TimeoutSeconds) {
        # Bounded poll (10 ms) until only node N carries the VIP; returns the time it was seen.
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
        while ([DateTime]::UtcNow -lt $deadline) {
            if (((Get-VrrpLabMasterNode $h) -join ',') -eq "$Node") { return [DateTime]::UtcNow }
            Start-Sleep -Milliseconds 10
        }
        throw "node $Node did not become the only VIP holder within $TimeoutSeconds s$(Why)"
    }
}

AfterAll {
    if (-not $h) { return }
    Remove-VrrpLab $h
    @(& ip netns list) -match "^$($h.Lab.Tag)-" | Should -BeNullOrEmpty -Because 'the lab leaves no namespace behind'
}

Describe 'Track script interop with keepalived (vrrp_script, weight -60, 150 vs 100)' {
    It 'keepalived master whose track script fails hands over to a VrrpPS backup, and takes back when it passes' {
        Remove-Item $flag -ErrorAction Ignore
        $null = Start-KeepalivedLabNode $h 1 (New-TrackedConfig 150)
        $null = Start-VrrpLabNode $h 2 (New-TestInstance -Priority 100 -Interval $Interval)
        $null = Wait-VrrpLabState $h 2 Backup -Timeout 15
        $null = Wait-MasterNode 1 15
        # Let keepalived's first checks pass so its priority is settled at 150.
        Start-Sleep -Seconds ($CheckInterval * 2)
        (Get-VrrpLabState $h 2).MasterPriority | Should -Be 150 -Because (Why)

        $t0 = [DateTime]::UtcNow
        Set-Content -Path $flag -Value 'down'
        $s = Wait-VrrpLabState $h 2 Master -Timeout 15
        $ms = ($s.LastTransition - $t0).TotalMilliseconds
        Write-LabTiming 'keepalived track script fails -> VrrpPS Master' $ms $HandOverBoundMs
        $ms | Should -BeLessOrEqual $HandOverBoundMs -Because (Why)
        # Not before fall - 1 full intervals have passed: keepalived needs `fall` failing checks.
        $ms | Should -BeGreaterOrEqual (($Fall - 1) * $CheckInterval * 1000 - $T100.IntervalMs)
        $null = Wait-MasterNode 2 5
        # keepalived (now 90) saw the higher-priority VrrpPS advert and became Backup.
        (Get-Content (Join-Path $h.Dir 'n1.log') -Raw) | Should -Match 'chk_flag' -Because 'keepalived logged the failing script'

        $t1 = [DateTime]::UtcNow
        Remove-Item $flag
        $s = Wait-VrrpLabState $h 2 Backup -Timeout 15
        $ms = ($s.LastTransition - $t1).TotalMilliseconds
        Write-LabTiming 'keepalived track script passes again -> keepalived preempts VrrpPS' $ms $RecoverBoundMs
        $ms | Should -BeLessOrEqual $RecoverBoundMs -Because (Why)
        $s.LastTransitionReason | Should -Be "higher priority advert (150) from $a1"
        $null = Wait-MasterNode 1 5
        Stop-VrrpLabNode $h 2
        Stop-KeepalivedLabNode $h 1
    }

    It 'VrrpPS master whose track script fails hands over to a keepalived backup, and takes back when it passes' {
        Remove-Item $flag -ErrorAction Ignore
        $conf = Join-Path $h.Dir 'vrrpps-tracked.conf'
        Set-Content -Path $conf -Value (New-TrackedConfig 150)
        $null = Start-VrrpLabNode $h 1 @{} -ConfigPath $conf
        $null = Start-KeepalivedLabNode $h 2 (New-KeepalivedLabConfig -Priority 100 -AdvertisementInterval $Interval -Version 3)
        $null = Wait-VrrpLabState $h 1 Master -Timeout 15
        $null = Wait-MasterNode 1 15
        $s = Get-VrrpLabState $h 1
        $s.EffectivePriority | Should -Be 150
        $s.Tracker[0].Status | Should -Be 'Ok'

        $t0 = [DateTime]::UtcNow
        Set-Content -Path $flag -Value 'down'
        $seen = Wait-MasterNode 2 15
        $ms = ($seen - $t0).TotalMilliseconds
        Write-LabTiming 'VrrpPS track script fails -> keepalived holds the VIP' $ms $HandOverBoundMs
        $ms | Should -BeLessOrEqual $HandOverBoundMs -Because (Why)
        $ms | Should -BeGreaterOrEqual (($Fall - 1) * $CheckInterval * 1000 - $T100.IntervalMs)
        $s = Wait-VrrpLabState $h 1 Backup -Timeout 5
        $s.EffectivePriority | Should -Be 90
        $s.Tracker[0].Status | Should -Be 'Failed'
        $s.Tracker[0].Contribution | Should -Be -60
        $s.MasterAddress | Should -Be $a2 -Because 'VrrpPS follows the keepalived master (priority 100 > 90)'
        $s.LastTransitionReason | Should -Match "^higher priority advert \(100\) from $([regex]::Escape($a2)); own priority 90: track script chk_flag failed"

        $t1 = [DateTime]::UtcNow
        Remove-Item $flag
        $s = Wait-VrrpLabState $h 1 Master -Timeout 15
        $ms = ($s.LastTransition - $t1).TotalMilliseconds
        Write-LabTiming 'VrrpPS track script passes again -> VrrpPS preempts keepalived' $ms $RecoverBoundMs
        $ms | Should -BeLessOrEqual $RecoverBoundMs -Because (Why)
        $null = Wait-MasterNode 1 5
        Stop-VrrpLabNode $h 1
        Stop-KeepalivedLabNode $h 2
    }
}

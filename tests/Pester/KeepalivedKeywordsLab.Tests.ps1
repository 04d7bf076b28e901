# keepalived keywords the engine acts on, shown on a wire next to real keepalived 2.2.7:
# vrrp_mcast_group4 (both sides advertise to 224.0.0.19 and hear each other; a VrrpPS node on the
# default group would not hear keepalived at all) and garp_master_refresh (the VrrpPS Master repeats
# its gratuitous ARPs every second). One keepalived.conf, run by keepalived (node 1) and by VrrpPS
# (node 2, through Import-KeepalivedConfig).
BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSupport.ps1')
    $script:h = New-TestLab -Nodes 2
    $base = New-KeepalivedLabConfig -Priority 100 -Version 3 -AdvertisementInterval 0.1 -Extra @('garp_master_refresh 1', 'garp_master_refresh_repeat 2', 'garp_master_delay 0', 'garp_lower_prio_repeat 0')
    $script:Conf = $base -replace 'global_defs \{', "global_defs {`n    vrrp_mcast_group4 224.0.0.19"
    $script:PsConf = Join-Path $h.Dir 'n2-keywords.conf'
    Set-Content -Path $PsConf -Value ($Conf -replace 'priority 100', 'priority 150') -NoNewline
    function Why { "`nnode logs (n1 = keepalived, n2 = VrrpPS):`n$(Get-VrrpLabLog $h)" }
}

AfterAll {
    if ($script:h) { Remove-VrrpLab $script:h }
}

Describe 'vrrp_mcast_group4 and garp_master_refresh next to keepalived' -Tag Lab {
    It 'VrrpPS and keepalived elect one Master over 224.0.0.19' {
        $cap = Start-VrrpLabCapture $h -Name mcast
        try {
            $null = Start-KeepalivedLabNode $h 1 $Conf
            $null = Start-VrrpLabNode $h 2 @{} -ConfigPath $PsConf
            (Wait-VrrpLabState $h 2 Master -Timeout 15).State | Should -Be 'Master' -Because (Why)
            Start-Sleep -Seconds 1
            $s = Get-VrrpLabState $h 2
            (Get-VrrpLabMasterNode $h) -join ',' | Should -Be '2' -Because "keepalived hears VrrpPS on 224.0.0.19 and stays Backup$(Why)"
            $s.Counters.AdvertisementsSent | Should -BeGreaterThan 5
        }
        finally { Stop-VrrpLabCapture $cap }
        $packets = @(Read-VrrpLabCapture -Path $cap.Path)
        $packets | Should -Not -BeNullOrEmpty
        @($packets | Where-Object Destination -ne '224.0.0.19') | Should -BeNullOrEmpty -Because 'every advert goes to the configured group'
        @($packets | Where-Object Source -eq '198.51.100.12') | Should -Not -BeNullOrEmpty
    }

    It 'keeps sending gratuitous ARPs for the VIP every second while Master (garp_master_refresh 1, repeat 2)' {
        # The initial burst is over, there is no second burst (garp_master_delay 0) and no burst after a
        # lower-priority advert (garp_lower_prio_repeat 0; keepalived was Master for a moment before VrrpPS
        # preempted it): what the capture sees over 3.5 s are the refreshes, 2 gratuitous ARPs every second.
        $cap = Start-VrrpLabCapture $h -Name garp -Filter @('arp')
        try { Start-Sleep -Milliseconds 3500 } finally { Stop-VrrpLabCapture $cap }
        $garps = @(& timeout 30 tshark -r $cap.Path -n -Y 'arp.src.proto_ipv4 == 198.51.100.100 && arp.dst.proto_ipv4 == 198.51.100.100' -T fields -e frame.time_epoch 2>$null)
        Write-Host "    [timing] garp_master_refresh 1, repeat 2: $($garps.Count) gratuitous ARPs in 3.5 s"
        $garps.Count | Should -BeGreaterOrEqual 6 -Because "3 or 4 refreshes of 2$(Why)"
        $garps.Count | Should -BeLessOrEqual 10 -Because "no catch-up bursts"
        (Get-VrrpLabState $h 2).State | Should -Be 'Master'
    }
}

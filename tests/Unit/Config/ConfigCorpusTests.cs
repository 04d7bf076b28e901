using VrrpPS.Protocol;
using VrrpPS.Config;
using Xunit;

namespace VrrpPS.Tests.Config;

public class ConfigCorpusTests
{
    public static TheoryData<string> DiagFiles() => [.. CorpusPaths.TopLevel().Select(f => Path.GetFileName(f)).Where(f => CorpusPaths.Expected(CorpusPaths.File(f)).Count > 0)];

    [Theory]
    [MemberData(nameof(DiagFiles))]
    public void Corpus_file_gives_exactly_the_expected_diagnostics_with_file_and_line(string name)
    {
        var r = CorpusPaths.Read(name);
        var got = r.Diagnostics.Select(d => (d.Severity.ToString(), d.ErrorId, d.Line)).OrderBy(x => x.Line).ToList();
        Assert.Equal(CorpusPaths.Expected(CorpusPaths.File(name)).OrderBy(x => x.line).ToList(), got);
        Assert.All(r.Diagnostics, d => Assert.Equal(CorpusPaths.File(name), d.File));
        Assert.All(r.Diagnostics, d => Assert.True(d.Column >= 1, d.ToString()));
    }

    [Fact]
    public void Seed_master_imports_with_unicast_and_PASS_auth_and_only_keepalived_s_truncation_warning()
    {
        // The seed's auth_pass "PostgresReplication" is 19 characters: keepalived 2.2.7 -t reports
        // "Truncating auth_pass to 8 characters" for it too, so the one warning is the faithful result.
        var r = CorpusPaths.Read("seed_master.conf");
        var w = Assert.Single(r.Diagnostics);
        Assert.Equal(("KeepalivedAuthPassTruncated", 14, 11), (w.ErrorId, w.Line, w.Column));
        var i = Assert.Single(r.Instances);
        Assert.Equal(("Postgres_VIP", VrrpInitialState.Master, "eth0", 51, 255, 1.0, 2), (i.Name, i.InitialState, i.Interface, i.VirtualRouterId, i.Priority, i.AdvertisementInterval, i.Version));
        Assert.Equal("198.51.100.62", i.UnicastSourceAddress);
        Assert.Equal(["198.51.100.63", "198.51.100.64"], i.UnicastPeer.Select(p => p.Address));
        Assert.Equal((VrrpAuthType.Pass, "Postgres"), (i.AuthenticationType, i.AuthenticationPassword));
        var vip = Assert.Single(i.VirtualIPAddress);
        Assert.Equal(("203.0.113.100", 24, 17), (vip.Address, vip.PrefixLength, vip.SourceLine));
        Assert.Equal(1, i.SourceLine);
    }

    [Fact]
    public void Seed_script_splits_the_script_like_keepalived_and_warns_only_for_the_long_auth_pass()
    {
        var r = CorpusPaths.Read("seed_backup_script.conf");
        // "svcentPass" is 10 characters; scripts without enable_script_security: keepalived -t reports SECURITY VIOLATION
        Assert.Equal(["KeepalivedAuthPassTruncated", "KeepalivedScriptSecurity"], r.Diagnostics.Select(d => d.ErrorId).Order());
        Assert.Equal("svcentPa", r.Instances[0].AuthenticationPassword);
        var s = Assert.Single(r.Scripts);
        Assert.Equal(["/usr/bin/curl", "-s", "-k", "https://localhost:6443/healthz", "-o", "/dev/null"], s.ScriptArguments);
        Assert.Equal((5.0, 2.0, 5, 2, "root", 0), (s.Interval, s.Timeout, s.Rise, s.Fall, s.User, s.Weight));
        var i = Assert.Single(r.Instances);
        Assert.Equal("apiserver", Assert.Single(i.TrackScript).Name);
        Assert.Null(i.TrackScript[0].Weight);
        Assert.Equal(22, i.VirtualIPAddress[0].PrefixLength);
    }

    [Fact]
    public void Definitions_conditionals_generators_and_comments_expand_as_keepalived_documents()
    {
        var r = CorpusPaths.Read("constructs.conf");
        Assert.DoesNotContain(r.Diagnostics, d => d.Severity != ConfigDiagnosticSeverity.Info);
        Assert.Equal("node_a", r.Global.RouterId);
        Assert.Equal(3, r.Global.GarpMasterDelay);
        var a = r.Instances.Single(i => i.Name == "VI_A");
        Assert.Equal(("eth0", 60, 150, 2.0), (a.Interface, a.VirtualRouterId, a.Priority, a.AdvertisementInterval)); // $MULTI and @node_a ${PRIO}
        Assert.Equal(("198.51.100.10", "eth0", "eth0:1"), (a.VirtualIPAddress[0].Address, a.VirtualIPAddress[0].Device, a.VirtualIPAddress[0].Label));
        Assert.Equal(["198.51.100.20", "198.51.100.22", "198.51.100.24"], a.VirtualIPAddressExcluded.Select(x => x.Address)); // ~SEQ(N,20,2,24)
        Assert.Equal("/usr/local/bin/notify.sh MASTER #1", a.NotifyMaster); // ${_HASH}
        Assert.Equal(-60, a.TrackScript[0].Weight);
        Assert.Equal(2.0, a.StartupDelay); // global default applied
        Assert.Equal(["/bin/sh", "-c", "exit 0"], r.Scripts[0].ScriptArguments);
        var b = r.Instances.Single(i => i.Name == "VI_B");
        Assert.Equal(["203.0.113.30", "203.0.113.31"], b.VirtualIPAddress.Select(x => x.Address)); // ~LST({A,B},…)
        Assert.Equal((100, VrrpInitialState.Backup), (b.Priority, b.InitialState)); // keepalived default priority 100
        Assert.Equal(("eth0p", -10), (b.TrackInterface[0].Name, b.TrackInterface[0].Weight));
    }

    [Fact]
    public void Negated_conditional_applies_on_other_config_ids()
    {
        var r = CorpusPaths.Read("constructs.conf", configId: "node_b");
        Assert.Equal(90, r.Instances.Single(i => i.Name == "VI_A").Priority); // @^node_a
    }

    [Fact]
    public void Include_glob_is_relative_to_the_including_file()
    {
        var r = CorpusPaths.Read("include_main.conf");
        Assert.Empty(r.Diagnostics);
        var s = Assert.Single(r.Scripts);
        Assert.Equal(("chk_inc", 5), (s.Name, s.Weight));
        Assert.EndsWith(Path.Combine("conf.d", "10-script.conf"), s.SourceFile);
        Assert.Equal(1, s.SourceLine);
    }

    [Fact]
    public void Include_cycle_is_an_error_at_the_include_line()
    {
        var r = CorpusPaths.Read("include_cycle.conf");
        var d = Assert.Single(r.Diagnostics);
        Assert.Equal(("KeepalivedIncludeCycle", 1), (d.ErrorId, d.Line));
        Assert.EndsWith("cycle_b.inc", d.File);
    }

    [Fact]
    public void State_MASTER_without_priority_gets_255_and_IPv6_forces_version_3_with_10ms_rounding()
    {
        // keepalived vrrp_complete_instance: base_priority unset + state MASTER => VRRP_PRIO_OWNER (255)
        var i = Assert.Single(CorpusPaths.Read("ipv6_v3.conf").Instances);
        Assert.Equal((255, 3, 0.5), (i.Priority, i.Version, i.AdvertisementInterval));
        Assert.Equal((64, false), (i.VirtualIPAddress[0].PrefixLength, i.VirtualIPAddress[0].PreferredLifetimeZero));
        Assert.Equal((128, true), (i.VirtualIPAddress[1].PrefixLength, i.VirtualIPAddress[1].PreferredLifetimeZero)); // /128 deprecated by default
    }

    [Fact]
    public void Global_defs_defaults_reach_instances_and_unsupported_keywords_are_listed()
    {
        var r = CorpusPaths.Read("global_defaults.conf");
        Assert.Empty(r.Diagnostics);
        var i = r.Instances[0];
        Assert.Equal((3, "224.0.0.19", 3, true, 0.25), (i.Version, i.MulticastGroup4, i.GarpMasterRepeat, i.SkipCheckAdvertAddress, i.AdvertisementInterval));
        // use_vmac and virtual_routes are acted on; the global garp repeat 3, skip_check_adv_addr and the
        // 224.0.0.19 group reach the instance and the engine acts on them
        Assert.Empty(i.UnsupportedKeywords);
        Assert.Equal("198.18.0.0/16 via 198.51.100.254 dev eth0", Assert.Single(i.VirtualRoutes).Text);
        Assert.Equal(("haproxy", -20), (r.TrackProcesses[0].Process, r.TrackProcesses[0].Weight));
        Assert.Equal(("/run/vrrpps-maint", -30), (r.TrackFiles[0].File, r.TrackFiles[0].Weight));
        Assert.Equal(["VI_H", "VI_I"], r.SyncGroups[0].Group);
        Assert.Equal("/usr/local/bin/sg.sh master", r.SyncGroups[0].NotifyMaster);
    }

    [Fact]
    public void Strict_turns_unknown_keywords_into_errors()
    {
        var d = Assert.Single(CorpusPaths.Read("diag_unknown_keyword.conf", strict: true).Diagnostics);
        Assert.Equal((ConfigDiagnosticSeverity.Error, "KeepalivedUnknownKeyword", "advert_intt", 5, 5), (d.Severity, d.ErrorId, d.Token, d.Line, d.Column));
    }

    [Fact]
    public void Track_process_blocks_keep_every_keepalived_option_and_survive_export()
    {
        var r = CorpusPaths.Read("track_process.conf");
        Assert.Empty(r.Diagnostics);
        var p = r.TrackProcesses.ToDictionary(x => x.Name);
        Assert.Equal(("haproxy", -40, 1, (int?)null, 0.5, 0.5, false, (VrrpParamMatch?)null),
            (p["chk_haproxy"].Process, p["chk_haproxy"].Weight, p["chk_haproxy"].Quorum, p["chk_haproxy"].QuorumMax, p["chk_haproxy"].ForkDelay, p["chk_haproxy"].TerminateDelay, p["chk_haproxy"].FullCommand, p["chk_haproxy"].ParamMatch));
        var n = p["chk_nginx_conf"];
        Assert.Equal(["-c", "/etc/nginx"], n.Parameters);
        Assert.Equal(("/usr/sbin/nginx", (VrrpParamMatch?)VrrpParamMatch.Initial, true, 2, (int?)4, 1.5, 0.25),
            (n.Process, n.ParamMatch, n.FullCommand, n.Quorum, n.QuorumMax, n.ForkDelay, n.TerminateDelay));
        Assert.Equal((VrrpParamMatch.Exact, true, 0), (p["chk_exact"].ParamMatch, p["chk_exact"].FullCommand, p["chk_exact"].Parameters.Length));
        var absent = p["chk_absent"];
        Assert.Equal(("/usr/local/bin/cleanup job", 0, 0, 10, true, true), (absent.Process, absent.Quorum, absent.QuorumMax ?? -1, absent.Weight, absent.Reverse, absent.FullCommand));
        var vi = r.Instances.Single(i => i.Name == "VI_P");
        Assert.Equal(["chk_haproxy", "chk_nginx_conf", "chk_absent"], vi.TrackProcess.Select(t => t.Name));
        Assert.Equal([null, -30, -5], vi.TrackProcess.Select(t => t.Weight));
        Assert.DoesNotContain("track_process", vi.UnsupportedKeywords); // acted on by the engine
        Assert.Equal("chk_exact", Assert.Single(r.SyncGroups[0].TrackProcess).Name);

        string tmp = Path.Combine(Path.GetTempPath(), "vrrpps-tp-" + Guid.NewGuid().ToString("N") + ".conf");
        try
        {
            File.WriteAllText(tmp, KeepalivedConfigWriter.Write([r]));
            var again = KeepalivedConfigReader.Read(tmp, new KeepalivedReadOptions { ConfigId = "node_a" });
            Assert.Empty(again.Diagnostics);
            static string Key(VrrpTrackProcessConfig x) =>
                $"{x.Name}|{x.Process}|{string.Join('\0', x.Parameters)}|{x.ParamMatch}|{x.FullCommand}|{x.Quorum}|{x.QuorumMax}|{x.Weight}|{x.Reverse}|{x.ForkDelay}|{x.TerminateDelay}";
            Assert.Equal(r.TrackProcesses.Select(Key), again.TrackProcesses.Select(Key));
        }
        finally { File.Delete(tmp); }
    }
}

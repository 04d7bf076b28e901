using VrrpPS.Config;
using Xunit;

namespace VrrpPS.Tests.Config;

/// <summary>Issue 12, known differences from keepalived 2.2.7: values keepalived's daemon accepts with a message and a value of
/// its own (a repeat of 0 read as 1, leading digits of a bad number, any preferred_lft, a rule without a preference). We read
/// each as the daemon does, with a warning at file:line (never an error: keepalived runs the config), and Export writes what
/// keepalived then reads the same way. Judged by keepalived's own dump (<see cref="KeepalivedDumpLab"/>), not its man page.</summary>
[Trait(TestCategories.Key, TestCategories.Root)]
public class KeepalivedLenientValueTests(KeepalivedDumpLab lab) : IClassFixture<KeepalivedDumpLab>
{
    private static KeepalivedParseResult Read(string text)
    {
        string dir = Directory.CreateTempSubdirectory("vrrpps-lenient-").FullName;
        try
        {
            string path = Path.Combine(dir, "k.conf");
            File.WriteAllText(path, text);
            return KeepalivedConfigReader.Read(path, new KeepalivedReadOptions { ConfigId = "node_a" });
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>Reads <paramref name="text"/>, checks: no error, a warning on each of <paramref name="warnLines"/> (and on no other
    /// line), and keepalived's dump of the text equals its dump of our export. Returns the parse for value checks.</summary>
    private KeepalivedParseResult JudgedByKeepalived(string text, params int[] warnLines)
    {
        var r = Read(text);
        Assert.False(r.HasErrors, "keepalived runs this config, we refuse it:\n" + string.Join("\n", r.Diagnostics));
        var warned = r.Diagnostics.Where(d => d.Severity == ConfigDiagnosticSeverity.Warning).Select(d => d.Line).Distinct().Order().ToArray();
        Assert.True(warnLines.Order().SequenceEqual(warned), $"warnings expected on lines {string.Join(",", warnLines)}, got:\n{string.Join("\n", r.Diagnostics)}");
        string original = lab.Dump(text);
        Assert.False(original.StartsWith("NO DUMP", StringComparison.Ordinal), original);
        string exported = KeepalivedConfigWriter.Write([r]);
        string roundTrip = lab.Dump(exported);
        Assert.True(original == roundTrip, KeepalivedFidelityTests.Diff("lenient", original, roundTrip, exported));
        return r;
    }

    [Fact]
    public void A_garp_repeat_of_0_is_read_as_1_with_a_warning_as_keepalived_does()
    {
        const string Text = """
            global_defs {
                vrrp_garp_master_repeat 0
                vrrp_garp_master_refresh_repeat 0
            }
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                garp_master_repeat 0
                garp_master_refresh_repeat 0
                garp_master_refresh 30
                virtual_ipaddress {
                    198.51.100.1/24
                }
            }
            vrrp_instance VI_2 {
                interface eth0
                virtual_router_id 52
                virtual_ipaddress {
                    198.51.100.2/24
                }
            }
            """;
        var r = JudgedByKeepalived(Text, 2, 3, 8, 9);
        Assert.All(r.Instances, i => Assert.Equal((1, 1), (i.GarpMasterRepeat, i.GarpMasterRefreshRepeat)));
        Assert.Contains(r.Diagnostics, d => d.Line == 8 && d.ErrorId == "KeepalivedValueReplaced" && d.Message.Contains("1", StringComparison.Ordinal));
    }

    /// <summary>keepalived's number readers, per keyword class (lib/parser.c and the handlers in vrrp_parser.c / global_parser.c, 2.2.7):
    /// <list type="bullet">
    /// <item>whole numbers read leniently (garp_*, script interval/timeout/rise/fall/weight, track weights, vrrp_version, version…):
    /// trailing text → warning, the leading digits are used (none → 0) when in range; negative or out of range → warning, line ignored;</item>
    /// <item>decimals (advert_int, preempt_delay, startup delays): the digits around the point are joined first, so "5abc" is
    /// 5 µs (preempt_delay 0.000005) and "2abc" is an advert_int of 2 µs, out of range, so ignored;</item>
    /// <item>strict whole numbers (virtual_router_id, priority; no "WARNING" in keepalived's message): see the test below.</item>
    /// </list></summary>
    [Fact]
    public void Bad_numbers_are_read_as_keepalived_s_daemon_reads_them()
    {
        const string Text = """
            global_defs {
                vrrp_garp_master_delay 4x
                vrrp_garp_lower_prio_repeat 3.5
            }
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                priority 90
                advert_int 2abc
                preempt_delay 5abc
                garp_master_delay 3x
                garp_lower_prio_repeat 7z
                garp_master_refresh abc
                garp_lower_prio_delay -3
                garp_master_repeat 1000
                virtual_ipaddress {
                    198.51.100.1/24
                }
            }
            vrrp_instance VI_2 {
                interface eth0
                virtual_router_id 52
                priority 80
                advert_int 1.5x
                virtual_ipaddress {
                    198.51.100.2/24
                }
            }
            """;
        var r = JudgedByKeepalived(Text, 2, 3, 9, 10, 11, 12, 13, 14, 24);
        var a = r.Instances[0];
        Assert.Equal((90, 1.0, 0.000005, 3.0, 7, 0.0, 4.0, 1000), (a.Priority, a.AdvertisementInterval, a.PreemptDelay, a.GarpMasterDelay,
            a.GarpLowerPriorityRepeat, a.GarpMasterRefresh, a.GarpLowerPriorityDelay, a.GarpMasterRepeat));
        var b = r.Instances[1];
        // "1.5x": 1, 5 and six decimal places joined → "15x0000" → 15 µs, below advert_int's 10 ms: ignored
        Assert.Equal((80, 1.0, 4.0, 3), (b.Priority, b.AdvertisementInterval, b.GarpMasterDelay, b.GarpLowerPriorityRepeat));
    }

    /// <summary>An ignored global lower-priority garp line leaves the value unset, so it still follows vrrp_garp_master_delay /
    /// _repeat as keepalived's unset ones do.</summary>
    [Fact]
    public void An_ignored_global_lower_priority_garp_value_still_follows_the_master_garp_value()
    {
        const string Text = """
            global_defs {
                vrrp_garp_master_delay 2
                vrrp_garp_master_repeat 3
                vrrp_garp_lower_prio_delay -3
                vrrp_garp_lower_prio_repeat -1
            }
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                virtual_ipaddress {
                    198.51.100.1/24
                }
            }
            """;
        var r = JudgedByKeepalived(Text, 4, 5);
        Assert.Equal((2.0, 3), (r.Instances[0].GarpLowerPriorityDelay, r.Instances[0].GarpLowerPriorityRepeat));
    }

    /// <summary>vrrp_script weight/rise/fall and track_script weights: leading digits with a warning; an invalid rise or fall is 1
    /// (keepalived: "defaulting to 1"). keepalived keeps an out-of-range script weight (300) with an error message; we keep
    /// refusing that one (KeepalivedValueOutOfRange), the weight range being what keepalived documents.</summary>
    [Fact]
    public void Script_and_track_numbers_are_read_as_keepalived_s_daemon_reads_them()
    {
        const string Text = """
            global_defs {
                enable_script_security
                script_user root
            }
            vrrp_script chk_a {
                script "/bin/true"
                weight -20x
                rise 2x
                fall 0
            }
            vrrp_script chk_b {
                script "/bin/true"
                weight 30
                rise abc
                fall 3y
            }
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                virtual_ipaddress {
                    198.51.100.1/24
                }
                track_script {
                    chk_a
                    chk_b weight 10z
                }
            }
            """;
        var r = JudgedByKeepalived(Text, 7, 8, 9, 14, 15, 25);
        Assert.Equal([(-20, 2, 1), (30, 1, 3)], r.Scripts.Select(x => (x.Weight, x.Rise, x.Fall)));
        Assert.Equal(10, r.Instances[0].TrackScript[1].Weight);
    }

    /// <summary>The strict readers (read_unsigned without ignore_error): keepalived's daemon does not take the leading digits.
    /// A bad virtual_router_id leaves the instance without one and keepalived stops; a bad priority is replaced by the default 100
    /// — a silent change of the election, which keepalived reports as a config error (not a "WARNING"). Both stay errors here
    /// (so Sync-VrrpConfiguration and Ansible refuse the file), and the message says what keepalived would do.</summary>
    [Theory]
    [InlineData("virtual_router_id 51x", "KeepalivedInvalidNumber", "stops")]
    [InlineData("priority 100abc", "KeepalivedInvalidNumber", "default 100")]
    [InlineData("priority 300", "KeepalivedValueOutOfRange", "default 100")]
    public void A_bad_strict_number_stays_an_error_saying_what_keepalived_does(string line, string errorId, string says)
    {
        string text = $"vrrp_instance VI_1 {{\n    interface eth0\n    {(line.StartsWith("virtual", StringComparison.Ordinal) ? line : "virtual_router_id 51\n    " + line)}\n    virtual_ipaddress {{\n        198.51.100.1/24\n    }}\n}}\n";
        var r = Read(text);
        var d = Assert.Single(r.Diagnostics, d => d.Severity == ConfigDiagnosticSeverity.Error);
        Assert.Equal(errorId, d.ErrorId);
        Assert.Contains(says, d.Message, StringComparison.Ordinal);
        string dump = lab.Dump(text);
        if (says == "stops") Assert.StartsWith("NO DUMP", dump);
        else Assert.Contains("   Priority = 100", dump, StringComparison.Ordinal);
    }

    /// <summary>keepalived takes any preferred_lft 0..2^32-1 (IFA_CACHEINFO preferred lifetime of an IPv6 VIP, valid forever;
    /// 2^32-1 is forever) and shows it in its dump; an IPv4 VIP ignores it. A bad value: leading digits with a warning, or
    /// ignored with a warning (the default stays: 0 for a /128, forever otherwise).</summary>
    [Fact]
    public void Any_preferred_lft_round_trips_as_keepalived_reads_it()
    {
        const string Text = """
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                version 3
                virtual_ipaddress {
                    2001:db8::1/64 preferred_lft 30
                    2001:db8::2/128 preferred_lft 7x
                    2001:db8::3/64 preferred_lft -1
                    2001:db8::4/128 preferred_lft 4294967295
                    2001:db8::5/128 preferred_lft forever
                }
            }
            """;
        var r = JudgedByKeepalived(Text, 7, 8);
        Assert.Equal(new uint[] { 30, 7, uint.MaxValue, uint.MaxValue, uint.MaxValue }, r.Instances[0].VirtualIPAddress.Select(a => a.PreferredLifetime));
        Assert.Equal([false, false, false, false, false], r.Instances[0].VirtualIPAddress.Select(a => a.PreferredLifetimeZero));
        Assert.Contains("preferred_lft", r.Instances[0].UnsupportedKeywords); // 30 s and 7 s: the engine adds the VIP preferred forever
    }

    /// <summary>keepalived gives a rule without a preference one of its own (16384, then one less per rule of that family, in
    /// config order) and says so; the kernel would choose another. We warn with keepalived's number.</summary>
    [Fact]
    public void A_virtual_rule_without_preference_gets_keepalived_s_warning()
    {
        const string Text = """
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                virtual_ipaddress {
                    198.51.100.1/24
                }
                virtual_rules {
                    from 198.51.100.0/24 table 100
                    from 2001:db8::/64 table 101
                    from 198.51.101.0/24 table 102 preference 200
                    from 198.51.102.0/24 table 103
                }
            }
            """;
        var r = JudgedByKeepalived(Text, 8, 9, 11);
        var w = r.Diagnostics.Where(d => d.ErrorId == "KeepalivedRuleWithoutPreference").Select(d => (d.Line, d.Message)).ToArray();
        Assert.Equal([8, 9, 11], w.Select(x => x.Line));
        Assert.Contains("16384", w[0].Message); Assert.Contains("16384", w[1].Message); Assert.Contains("16383", w[2].Message);
    }
}

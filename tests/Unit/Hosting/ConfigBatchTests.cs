using VrrpPS.Engine.Tracking;
using VrrpPS.Hosting;
using VrrpPS.Cmdlets;
using VrrpPS.Config;
using VrrpPS.Engine;
using Xunit;

namespace VrrpPS.Tests.Hosting;

/// <summary>
/// Import-KeepalivedConfig | Start-VrrpInstance: how the imported objects become engine definitions
/// (scripts, files and processes bound by name; a sync group's own track_* applied to every member).
/// </summary>
public sealed class ConfigBatchTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vrrpps-batch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private List<InstanceDefinition> Definitions(string text, out List<string> warnings)
    {
        string path = Path.Combine(_dir, "k.conf");
        File.WriteAllText(path, text);
        var r = KeepalivedConfigReader.Read(path, new KeepalivedReadOptions { ConfigId = "node_a" });
        Assert.DoesNotContain(r.Diagnostics, d => d.Severity == ConfigDiagnosticSeverity.Error);
        var batch = new ConfigBatch();
        foreach (var o in r.Scripts.Cast<object>().Concat(r.TrackFiles).Concat(r.TrackProcesses).Concat(r.Instances).Concat(r.SyncGroups))
        {
            batch.Add(o);
        }
        var defs = batch.ToDefinitions().ToList();
        warnings = batch.Warnings;
        return defs;
    }

    private const string Group = """
        vrrp_script chk_api {
            script "/usr/bin/true"
            weight 0
        }
        vrrp_track_process chk_haproxy {
            process haproxy
            param_match partial
            quorum 2
            terminate_delay 1.5
        }
        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 51
            virtual_ipaddress {
                198.51.100.100/24
            }
            track_process {
                chk_haproxy weight -20
            }
        }
        vrrp_instance VI_2 {
            interface eth0
            virtual_router_id 52
            virtual_ipaddress {
                198.51.100.101/24
            }
        }
        vrrp_sync_group G1 {
            group {
                VI_1
                VI_2
            }
            track_script {
                chk_api
            }
            track_process {
                chk_haproxy
            }
        }
        """;

    [Fact]
    public void A_sync_groups_track_script_and_track_process_reach_every_member()
    {
        var defs = Definitions(Group, out var warnings).ToDictionary(d => d.Name);
        Assert.Empty(warnings);
        Assert.All(defs.Values, d => Assert.Equal("G1", d.SyncGroup));
        Assert.All(defs.Values, d => Assert.Equal("chk_api", Assert.Single(d.TrackScripts).Name));
        // VI_1: its own reference (weight -20) and the group's (the block's weight 0).
        Assert.Equal([("chk_haproxy", -20), ("chk_haproxy", 0)], defs["VI_1"].TrackProcesses.Select(p => (p.Name, p.Weight)));
        var p = Assert.Single(defs["VI_2"].TrackProcesses);
        Assert.Equal(("haproxy", true, ProcessParameterMatch.Partial, true, 2, int.MaxValue, 1.5),
            (p.Process, p.MatchParameters, p.ParameterMatch, p.FullCommand, p.Quorum, p.QuorumMax, p.TerminateDelaySeconds));
    }

    [Fact]
    public void A_track_process_reference_to_nothing_is_a_warning_not_a_silent_drop()
    {
        var defs = Definitions("""
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                virtual_ipaddress {
                    198.51.100.100/24
                }
                track_process {
                    chk_missing
                }
            }
            """, out var warnings);
        Assert.Empty(Assert.Single(defs).TrackProcesses);
        Assert.Contains(warnings, w => w.Contains("track_process 'chk_missing'", StringComparison.Ordinal) && w.Contains("names no vrrp_track_process", StringComparison.Ordinal));
    }

    [Fact]
    public void Notify_master_rx_lower_pri_becomes_an_argument_array_beside_the_other_notify_programs()
    {
        var d = Assert.Single(Definitions("""
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                virtual_ipaddress {
                    198.51.100.100/24
                }
                notify_master "/usr/local/bin/up.sh master"
                notify_master_rx_lower_pri "/usr/local/bin/lower.sh 'two words'"
            }
            """, out _));
        Assert.Equal(["/usr/local/bin/up.sh", "master"], d.Notify!.Master);
        Assert.Equal(["/usr/local/bin/lower.sh", "two words"], d.Notify.MasterRxLowerPriority);
    }
}

using VrrpPS.Config;
using Xunit;

namespace VrrpPS.Tests.Config;

/// <summary>Issue 12: Export keeps an include tree a tree (Export-KeepalivedConfig -PreserveIncludes). The main file keeps its
/// include lines where they were, each included file gets its own objects, and keepalived's dump of the exported tree equals
/// its dump of the original tree (<see cref="KeepalivedDumpLab"/>).</summary>
[Trait(TestCategories.Key, TestCategories.Root)]
public class KeepalivedIncludeTreeTests(KeepalivedDumpLab lab) : IClassFixture<KeepalivedDumpLab>
{
    /// <summary>An Ansible-style tree: global_defs and one instance in the main file, a glob include of conf.d/*.conf (a script, two
    /// instances, a sync group), and a nested include from an included file, by an absolute path.</summary>
    private static string MakeTree(string dir)
    {
        Directory.CreateDirectory(Path.Combine(dir, "conf.d"));
        Directory.CreateDirectory(Path.Combine(dir, "more"));
        string main = Path.Combine(dir, "keepalived.conf");
        File.WriteAllText(main, """
            global_defs {
                router_id node_a
                vrrp_garp_master_delay 2
                enable_script_security
                script_user root
            }
            include conf.d/*.conf
            vrrp_instance VI_MAIN {
                interface eth0
                virtual_router_id 60
                priority 150
                virtual_ipaddress {
                    198.51.100.60/24
                }
            }

            """);
        File.WriteAllText(Path.Combine(dir, "conf.d", "10-scripts.conf"), """
            vrrp_script chk_web {
                script "/bin/true"
                interval 2
                weight -20
            }

            """);
        File.WriteAllText(Path.Combine(dir, "conf.d", "20-web.conf"), $$"""
            vrrp_instance VI_WEB {
                interface eth1
                virtual_router_id 61
                garp_master_delay 7
                virtual_ipaddress {
                    198.51.100.61/24
                }
                track_script {
                    chk_web
                }
            }
            include {{Path.Combine(dir, "more", "db.inc")}}
            vrrp_sync_group SG_1 {
                group {
                    VI_WEB
                    VI_DB
                }
            }

            """);
        File.WriteAllText(Path.Combine(dir, "more", "db.inc"), """
            vrrp_instance VI_DB {
                interface eth1
                virtual_router_id 62
                nopreempt
                virtual_ipaddress {
                    198.51.100.62/24
                }
            }

            """);
        return main;
    }

    private static KeepalivedParseResult Read(string path) => KeepalivedConfigReader.Read(path, new KeepalivedReadOptions { ConfigId = "node_a" });

    [Fact]
    public void An_exported_include_tree_is_a_tree_that_keepalived_reads_as_the_original()
    {
        string src = Directory.CreateTempSubdirectory("vrrpps-tree-src-").FullName, dst = Directory.CreateTempSubdirectory("vrrpps-tree-dst-").FullName;
        try
        {
            string main = MakeTree(src);
            var r = Read(main);
            Assert.False(r.HasErrors, string.Join("\n", r.Diagnostics));
            string newMain = Path.Combine(dst, "keepalived.conf");
            var files = KeepalivedConfigWriter.WriteTree([r], new KeepalivedWriteOptions(), newMain);
            Assert.Equal([newMain, Path.Combine(dst, "conf.d", "10-scripts.conf"), Path.Combine(dst, "conf.d", "20-web.conf"), Path.Combine(dst, "more", "db.inc")],
                files.Select(f => f.Path));
            var text = files.ToDictionary(f => Path.GetRelativePath(dst, f.Path), f => f.Text);
            // the main file keeps its include line between global_defs and VI_MAIN; each object stays in its own file
            var mainLines = text["keepalived.conf"].Split('\n');
            int inc = Array.IndexOf(mainLines, "include conf.d/*.conf");
            Assert.True(inc > Array.FindIndex(mainLines, l => l.StartsWith("global_defs", StringComparison.Ordinal)) &&
                inc < Array.FindIndex(mainLines, l => l.StartsWith("vrrp_instance", StringComparison.Ordinal)), text["keepalived.conf"]);
            Assert.Contains("vrrp_instance VI_MAIN", text["keepalived.conf"]);
            Assert.DoesNotContain("vrrp_instance VI_WEB", text["keepalived.conf"]);
            Assert.Contains("vrrp_script chk_web", text[Path.Combine("conf.d", "10-scripts.conf")]);
            Assert.Contains("vrrp_sync_group SG_1", text[Path.Combine("conf.d", "20-web.conf")]);
            // an absolute include into the tree follows the tree to its new place
            Assert.Contains("include " + Path.Combine(dst, "more", "db.inc"), text[Path.Combine("conf.d", "20-web.conf")]);
            Assert.Contains("vrrp_instance VI_DB", text[Path.Combine("more", "db.inc")]);
            foreach (var f in files) { Directory.CreateDirectory(Path.GetDirectoryName(f.Path)!); File.WriteAllText(f.Path, f.Text); }
            string original = lab.DumpFile(main), exported = lab.DumpFile(newMain);
            Assert.False(original.StartsWith("NO DUMP", StringComparison.Ordinal), original);
            Assert.True(original == exported, KeepalivedFidelityTests.Diff("include tree", original, exported, string.Join("\n", files.Select(f => "### " + f.Path + "\n" + f.Text))));
            // and reading the exported tree again gives the same tree
            var again = KeepalivedConfigWriter.WriteTree([Read(newMain)], new KeepalivedWriteOptions(), newMain);
            Assert.Equal(files.Select(f => (f.Path, f.Text)), again.Select(f => (f.Path, f.Text)));
        }
        finally { Directory.Delete(src, true); Directory.Delete(dst, true); }
    }

    [Fact]
    public void An_include_outside_the_main_file_s_directory_cannot_be_moved_and_says_so()
    {
        string src = Directory.CreateTempSubdirectory("vrrpps-tree-src-").FullName, other = Directory.CreateTempSubdirectory("vrrpps-tree-out-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(other, "x.conf"), "vrrp_instance VI_X {\n    interface eth0\n    virtual_router_id 9\n    virtual_ipaddress {\n        198.51.100.9/24\n    }\n}\n");
            string main = Path.Combine(src, "k.conf");
            File.WriteAllText(main, $"include {Path.Combine(other, "x.conf")}\n");
            var r = Read(main);
            var e = Assert.Throws<VrrpPS.Engine.VrrpEngineException>(() => KeepalivedConfigWriter.WriteTree([r], new KeepalivedWriteOptions(), Path.Combine(src, "sub", "k.conf")));
            Assert.Equal("KeepalivedExportIncludeOutside", e.ErrorId);
            Assert.Contains(Path.Combine(other, "x.conf"), e.Message);
            // exported in place (same directory) the outside file stays where it is
            var same = KeepalivedConfigWriter.WriteTree([r], new KeepalivedWriteOptions(), main);
            Assert.Equal([main, Path.Combine(other, "x.conf")], same.Select(f => f.Path));
        }
        finally { Directory.Delete(src, true); Directory.Delete(other, true); }
    }
}

using VrrpPS.Engine.Notify;
using VrrpPS.Hosting;
using VrrpPS.Cmdlets;
using VrrpPS.Config;
using VrrpPS.Engine;
using VrrpPS.Engine.Tracking;
using VrrpPS.Platform.Linux;
using VrrpPS.StateMachine;
using Xunit;

namespace VrrpPS.Tests.Tracking;

/// <summary>
/// keepalived's `notify_master "/path args" [username [groupname]]` (and global script_user):
/// notify programs run as that user, and are refused at start when insecure, like track scripts.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class NotifyProgramTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vrrpps-notify-").FullName;

    public NotifyProgramTests() => File.SetUnixFileMode(_dir, (UnixFileMode)0x1ED); // 0755: nobody may traverse

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private KeepalivedParseResult Read(string text)
    {
        string path = Path.Combine(_dir, "k.conf");
        File.WriteAllText(path, text);
        var r = KeepalivedConfigReader.Read(path, new KeepalivedReadOptions());
        Assert.DoesNotContain(r.Diagnostics, d => d.Severity == ConfigDiagnosticSeverity.Error);
        return r;
    }

    private static InstanceDefinition Definition(KeepalivedParseResult r)
    {
        var batch = new ConfigBatch();
        batch.Add(r.Global);
        foreach (var o in r.Scripts.Cast<object>().Concat(r.Instances).Concat(r.SyncGroups))
        {
            batch.Add(o);
        }
        return Assert.Single(batch.ToDefinitions());
    }

    private static string Instance(string notifyLines) => $$"""
        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 51
            virtual_ipaddress {
                198.51.100.100/24
            }
        {{notifyLines}}
        }
        """;

    [Fact]
    public void ImportKeepsTheUserAndGroupAfterANotifyProgram()
    {
        // keepalived 2.2.7 (checked with keepalived -d in a namespace): the words after the program are
        // user and group, quoted program or not; `notify_fault /bin/echo x` is user 'x', not an argument.
        var r = Read(Instance("""
                notify_master "/bin/true" nobody
                notify_backup /bin/echo nobody nogroup
            """));
        var i = Assert.Single(r.Instances);
        Assert.Equal("/bin/true", i.NotifyMaster);
        Assert.Equal("/bin/echo", i.NotifyBackup);
        var master = Assert.Single(i.NotifyUser, u => u.Keyword == "notify_master");
        Assert.Equal(("nobody", (string?)null), (master.User, master.Group));
        var backup = Assert.Single(i.NotifyUser, u => u.Keyword == "notify_backup");
        Assert.Equal(("nobody", (string?)"nogroup"), (backup.User, backup.Group));
        // Export writes them back where keepalived reads them.
        string text = KeepalivedConfigWriter.Write([r]);
        Assert.Contains("notify_master \"/bin/true\" nobody\n", text);
        Assert.Contains("notify_backup \"/bin/echo\" nobody nogroup\n", text);
    }

    [Trait(TestCategories.Key, TestCategories.Root)]
    [Fact]
    public async Task ANotifyProgramRunsAsItsUser()
    {
        string output = Path.Combine(_dir, "out");
        Directory.CreateDirectory(output);
        File.SetUnixFileMode(output, (UnixFileMode)0x1FF | UnixFileMode.StickyBit); // 1777: nobody writes its own file
        string uidFile = Path.Combine(output, "uid");
        var def = Definition(Read(Instance($"""
                notify_master "/bin/sh -c 'id -u > {uidFile}'" nobody
            """)));
        using var dispatcher = new NotifyDispatcher(new EngineLog(), () => throw new InvalidOperationException("no ScriptBlock here"), LinuxProcessRunner.Shared);
        dispatcher.Transition("INSTANCE", "VI_1", def.Notify, new VrrpTransition { From = VrrpState.Backup, To = VrrpState.Master, Priority = 100 });
        dispatcher.Flush(TimeSpan.FromSeconds(10));
        Assert.Equal("65534", File.ReadAllText(uidFile).Trim());
        Assert.Equal(65534, OwnerOf(uidFile));
    }

    [Fact]
    public void TheGlobalScriptUserAppliesToNotifyPrograms()
    {
        var def = Definition(Read("global_defs {\n    script_user nobody\n    enable_script_security\n}\n" + Instance("""
                notify_master /bin/true
                notify_backup /bin/true root
            """)));
        Assert.Equal("nobody", def.Notify!.MasterUser?.User);
        Assert.Equal("root", def.Notify.BackupUser?.User);
    }

    [Trait(TestCategories.Key, TestCategories.Root)]
    [Fact]
    public void AnInsecureNotifyProgramIsRefusedAtStart()
    {
        string bad = Path.Combine(_dir, "notify.sh");
        File.WriteAllText(bad, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(bad, (UnixFileMode)0x1FF); // 0777
        using var engine = new VrrpEngine(new VrrpPS.Tests.Simulation.Engine.SimHost(new VrrpPS.Tests.Simulation.Engine.SimNetwork(new Random(1)), 1, "198.51.100.11"), EngineDriver.Manual);
        var def = Definition(Read("global_defs {\n    enable_script_security\n}\n" + Instance($"""
                notify_master {bad}
            """)));
        var ex = Assert.Throws<VrrpEngineException>(() => engine.Start([def]));
        Assert.Equal("VrrpScriptInsecure", ex.ErrorId);
        Assert.Empty(engine.GetStates());
    }

    private static unsafe long OwnerOf(string path)
    {
        Tmds.Linux.stat st;
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            Assert.Equal(0, Tmds.Linux.LibC.stat(p, &st));
        }
        return (long)(uint)st.st_uid;
    }
}

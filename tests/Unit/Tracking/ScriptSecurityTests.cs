using VrrpPS.Engine.Notify;
using VrrpPS.Engine;
using VrrpPS.Engine.Tracking;
using VrrpPS.Platform.Linux;
using Xunit;

namespace VrrpPS.Tests.Tracking;

/// <summary>These tests change the process's current directory and PATH: nothing else runs beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "Process environment";
}

/// <summary>
/// What a track script or notify program really executes (keepalived's script security): the
/// resolved file and every directory above it (through symlinks) root-owned and not writable by
/// others, bare names searched only in a fixed PATH, a minimal environment, setpriv by full path.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Trait(TestCategories.Key, TestCategories.Root)]
public sealed class ScriptSecurityTests : IDisposable
{
    private const UnixFileMode Mode755 = (UnixFileMode)0x1ED;
    private readonly string _dir = Directory.CreateTempSubdirectory("vrrpps-sec-").FullName;

    public ScriptSecurityTests()
    {
        Assert.True(ScriptSecurity.RunningAsRoot, "the unit suite runs as root (it needs CAP_NET_ADMIN for the lab tests)");
        File.SetUnixFileMode(_dir, Mode755); // others (nobody) may traverse to what a test hands them
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Script(string dir, string name, string body, UnixFileMode mode)
    {
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, mode);
        return path;
    }

    [Fact]
    public void SymlinkFromASafeDirectoryToAFileInAnUnsafeDirectoryIsRefused()
    {
        // The kernel executes the target: the directory that holds it must be safe too.
        string unsafeDir = Path.Combine(_dir, "drop");
        string target = Script(unsafeDir, "check.sh", "exit 0", Mode755);
        File.SetUnixFileMode(unsafeDir, (UnixFileMode)0x1FF); // 0777, no sticky bit: anyone may replace check.sh
        string safeDir = Path.Combine(_dir, "safe");
        Directory.CreateDirectory(safeDir);
        string link = Path.Combine(safeDir, "check");
        File.CreateSymbolicLink(link, target);
        var ex = Assert.Throws<VrrpEngineException>(() => ScriptSecurity.Check("track script chk", link));
        Assert.Equal(ScriptSecurity.InsecureErrorId, ex.ErrorId);
        Assert.Contains(unsafeDir, ex.Message);
    }

    [Fact]
    public void AFileOwnedByAnotherUserIsRefusedEvenWithoutWriteBits()
    {
        // keepalived: any owner but root is unsafe (the owner can chmod the file back to writable).
        string file = Script(Path.Combine(_dir, "bin"), "owned.sh", "exit 0", (UnixFileMode)0x16D); // 0555
        ChangeOwner(file, 65534, 0);
        var ex = Assert.Throws<VrrpEngineException>(() => ScriptSecurity.Check("track script chk", file));
        Assert.Equal(ScriptSecurity.InsecureErrorId, ex.ErrorId);
        Assert.Contains("uid 65534", ex.Message);
    }

    [Fact]
    public void AScriptInAGroupWritableDirectoryIsRefusedAtStart()
    {
        string dir = Path.Combine(_dir, "shared");
        string script = Script(dir, "check.sh", "exit 0", Mode755);
        ChangeOwner(dir, 0, 65534);
        File.SetUnixFileMode(dir, (UnixFileMode)0x1FD); // 0775, group nogroup
        using var engine = new VrrpEngine(new VrrpPS.Tests.Simulation.Engine.SimHost(new VrrpPS.Tests.Simulation.Engine.SimNetwork(new Random(1)), 1, "198.51.100.11"), EngineDriver.Manual);
        var def = Instance(new TrackScriptDefinition { Name = "chk", Command = [script] });
        var ex = Assert.Throws<VrrpEngineException>(() => engine.Start([def]));
        Assert.Equal("VrrpScriptInsecure", ex.ErrorId);
        Assert.Contains($"directory '{dir}'", ex.Message);
        Assert.Empty(engine.GetStates());
    }

    [Fact]
    public void WithoutEnableScriptSecurityAnUnsafeScriptRunsWithAWarningAsInKeepalived()
    {
        // keepalived 2.2.7 (seen in a namespace): "Unsafe permissions found for script ..." and
        // "SECURITY VIOLATION ...", then the script runs; with enable_script_security it is disabled.
        string bad = Script(Path.Combine(_dir, "bin"), "bad.sh", "exit 0", (UnixFileMode)0x1FF);
        using var engine = new VrrpEngine(new VrrpPS.Tests.Simulation.Engine.SimHost(new VrrpPS.Tests.Simulation.Engine.SimNetwork(new Random(1)), 1, "198.51.100.11"), EngineDriver.Manual);
        var log = engine.Log.Subscribe();
        var def = Instance(new TrackScriptDefinition { Name = "chk", Command = [bad] }) with { EnforceScriptSecurity = false, Source = "k.conf:7" };
        Assert.Single(engine.Start([def]));
        Assert.Contains(log, l => l.Level == EngineLogLevel.Warning && l.Message.Contains($"file '{bad}' is writable by others", StringComparison.Ordinal)
            && l.Message.Contains("k.conf:7", StringComparison.Ordinal) && l.Message.Contains("runs anyway", StringComparison.Ordinal));
        Assert.Equal(ScriptSecurity.InsecureErrorId,
            Assert.Throws<VrrpEngineException>(() => engine.Start([def with { Name = "VI_2", VirtualRouterId = 52, EnforceScriptSecurity = true }])).ErrorId);
    }

    [Fact]
    public void AProgramWhoseUserDoesNotExistRefusesTheStart()
    {
        using var engine = new VrrpEngine(new VrrpPS.Tests.Simulation.Engine.SimHost(new VrrpPS.Tests.Simulation.Engine.SimNetwork(new Random(1)), 1, "198.51.100.11"), EngineDriver.Manual);
        var def = Instance(null) with { Notify = new NotifyDefinition { Master = ["/bin/true"], MasterUser = new ProgramUser("vrrpps-no-such-user") } };
        var ex = Assert.Throws<VrrpEngineException>(() => engine.Start([def]));
        Assert.Equal(ScriptSecurity.UserNotFoundErrorId, ex.ErrorId);
        Assert.Contains("vrrpps-no-such-user", ex.Message);
        Assert.Empty(engine.GetStates());
    }

    private static InstanceDefinition Instance(TrackScriptDefinition? check) => new()
    {
        Name = "VI_1", InterfaceName = "eth0", VirtualRouterId = 51,
        VirtualAddresses = [new VirtualAddressSpec(VrrpPS.Protocol.IpAddressValue.Parse("198.51.100.100"), 24)],
        TrackScripts = check is null ? [] : [check],
    };

    [Fact]
    public async Task ABareNameIsNotRunFromTheCurrentDirectory()
    {
        string name = "vrrpps-probe-" + Guid.NewGuid().ToString("N")[..8];
        string marker = Path.Combine(_dir, "ran");
        Script(_dir, name, $"touch {marker}", Mode755);
        string saved = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = _dir;
            Assert.Null(ScriptSecurity.Resolve(name));
            var r = await LinuxProcessRunner.Shared.RunAsync(new ProcessRequest([name], TimeSpan.FromSeconds(5)));
            Assert.False(r.Success, "a program in the current directory was run");
            Assert.False(File.Exists(marker));
        }
        finally
        {
            Environment.CurrentDirectory = saved;
        }
    }

    [Fact]
    public async Task AScriptSeesAMinimalEnvironment()
    {
        // keepalived execs scripts with its own environment, which under systemd is little more than PATH;
        // pwsh's (PSModulePath, DOTNET_*, the caller's secrets) must not leak into a root script.
        string output = Path.Combine(_dir, "env.txt");
        string script = Script(Path.Combine(_dir, "bin"), "env.sh", $"env > {output}", Mode755);
        Environment.SetEnvironmentVariable("VRRPPS_LEAK_CANARY", "secret");
        try
        {
            var r = await LinuxProcessRunner.Shared.RunAsync(new ProcessRequest([script], TimeSpan.FromSeconds(5)));
            Assert.True(r.Success, r.Error);
        }
        finally
        {
            Environment.SetEnvironmentVariable("VRRPPS_LEAK_CANARY", null);
        }
        var names = File.ReadAllLines(output).Select(l => l.Split('=')[0]).Where(n => n.Length > 0).ToHashSet();
        Assert.Contains($"PATH={ScriptSecurity.SafePath}", File.ReadAllLines(output));
        names.ExceptWith(["PATH", "PWD", "SHLVL", "_"]); // the last three: /bin/sh's own
        Assert.Empty(names);
    }

    [Fact]
    public async Task SetprivIsFoundByItsFullPathWithPathEmptied()
    {
        string? saved = Environment.GetEnvironmentVariable("PATH");
        try
        {
            Environment.SetEnvironmentVariable("PATH", "");
            var r = await LinuxProcessRunner.Shared.RunAsync(new ProcessRequest(["/usr/bin/id", "-u"], TimeSpan.FromSeconds(5)) { User = "nobody" });
            Assert.True(r.Success, r.Error);
            Assert.Equal("65534", r.Output?.Trim());
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", saved);
        }
    }

    private static unsafe void ChangeOwner(string path, uint uid, uint gid)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            Assert.Equal(0, Tmds.Linux.LibC.chown(p, uid, gid));
        }
    }
}

using VrrpPS.Platform.Linux;
using Xunit;

namespace VrrpPS.Tests.Platform;

/// <summary>
/// The one launcher behind the process runner and the lab: arguments reach the program as given (no shell),
/// a minimal environment is exactly the variables given, and an account runs the program as that uid/gid.
/// </summary>
public sealed class ProcessLauncherTests
{
    private static (string Out, int Code) Run(ProcessLauncher.Launch launch)
    {
        using var p = ProcessLauncher.Start(launch);
        p.StandardInput.Close();
        string output = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(10_000), "the program did not end within 10 s");
        return (output, p.ExitCode);
    }

    [Fact]
    public void ArgumentsReachTheProgramLiterally()
    {
        var (output, code) = Run(new ProcessLauncher.Launch("/usr/bin/printf", ["%s|", "a b", "$HOME", "x;y", "'q'"]));
        Assert.Equal(0, code);
        Assert.Equal("a b|$HOME|x;y|'q'|", output);
    }

    [Fact]
    public void AMinimalEnvironmentHoldsOnlyTheGivenVariablesAndStartsInRoot()
    {
        var launch = new ProcessLauncher.Launch("/bin/sh", ["-c", "env | LC_ALL=C /usr/bin/sort; pwd"])
        {
            InheritEnvironment = false,
            Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["VRRPPS_X"] = "1" },
        };
        var (output, _) = Run(launch);
        // sh itself adds PWD (and may add SHLVL / _), nothing of the caller's environment
        var names = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains('=')).Select(l => l[..l.IndexOf('=')])
            .Where(n => n is not ("PWD" or "SHLVL" or "_" or "OLDPWD")).ToList();
        Assert.Equal(["PATH", "VRRPPS_X"], names);
        Assert.EndsWith("/\n", output);
    }

    [Fact]
    public void TheCallersEnvironmentIsInheritedWhenAsked()
    {
        Environment.SetEnvironmentVariable("VRRPPS_LAUNCHER_TEST", "inherited");
        try
        {
            var (output, _) = Run(new ProcessLauncher.Launch("/bin/sh", ["-c", "printf %s \"$VRRPPS_LAUNCHER_TEST\""]));
            Assert.Equal("inherited", output);
        }
        finally
        {
            Environment.SetEnvironmentVariable("VRRPPS_LAUNCHER_TEST", null);
        }
    }

    [Fact]
    [Trait(TestCategories.Key, TestCategories.Root)]
    public void AnAccountRunsTheProgramAsThatUserWithNoOtherGroups()
    {
        Assert.NotNull(ProcessLauncher.Setpriv);
        var (output, code) = Run(new ProcessLauncher.Launch("/usr/bin/id", []) { Account = (65534, 65534) });
        Assert.Equal(0, code);
        Assert.StartsWith("uid=65534(", output);
        Assert.Contains(" gid=65534(", output);
        Assert.Contains(" groups=65534(", output);
        Assert.DoesNotContain(",", output.Trim()); // one group only
    }
}

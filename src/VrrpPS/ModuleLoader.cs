using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace VrrpPS;

/// <summary>
/// Import-time set-up. Tmds.LibC ships one implementation assembly per runtime identifier
/// (runtimes/&lt;rid&gt;/lib/netstandard2.0/Tmds.LibC.dll); PowerShell does not resolve those
/// for a module, so we resolve the one for this process architecture ourselves.
/// </summary>
public sealed class ModuleLoader : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static int s_registered;

    public void OnImport()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 0)
        {
            AssemblyLoadContext.Default.Resolving += ResolveRidSpecific;
        }
    }

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        ModuleLifetime.RaiseRemoving();
    }

    internal static string RuntimeIdentifier => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => "linux-x64",
        Architecture.Arm64 => "linux-arm64",
        Architecture.Arm => "linux-arm",
        var other => "linux-" + other.ToString().ToLowerInvariant(),
    };

    private static Assembly? ResolveRidSpecific(AssemblyLoadContext context, AssemblyName name)
    {
        if (!string.Equals(name.Name, "Tmds.LibC", StringComparison.Ordinal))
        {
            return null;
        }
        string baseDir = Path.GetDirectoryName(typeof(ModuleLoader).Assembly.Location) ?? ".";
        string candidate = Path.Combine(baseDir, "runtimes", RuntimeIdentifier, "lib", "netstandard2.0", "Tmds.LibC.dll");
        return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
    }
}

/// <summary>Lets the engine stop cleanly when the module is removed (Remove-Module).</summary>
internal static class ModuleLifetime
{
    public static event Action? Removing;

    public static void RaiseRemoving() => Removing?.Invoke();
}

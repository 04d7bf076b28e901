using Microsoft.Win32.SafeHandles;
using Tmds.Linux;

namespace VrrpPS.Platform.Linux;

/// <summary>
/// Enters named network namespaces (<c>ip netns add NAME</c> → /var/run/netns/NAME). A network
/// namespace is a per-thread attribute: sockets created by the thread afterwards live in that
/// namespace (and keep living there when used from other threads). Only enter on threads you
/// own: a thread-pool thread left in a lab namespace would leak it into unrelated work, and
/// threads it creates inherit it.
/// </summary>
public static class NetworkNamespace
{
    public const string Directory = "/var/run/netns";

    /// <summary>Opens the namespace file of a named network namespace.</summary>
    public static SafeFileHandle Open(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('/') || name is "." or "..")
        {
            throw new ArgumentException($"'{name}' is not a network namespace name.", nameof(name));
        }
        return File.OpenHandle(Path.Combine(Directory, name), FileMode.Open, FileAccess.Read);
    }

    /// <summary>Moves the calling thread into the named network namespace (setns CLONE_NEWNET).</summary>
    public static void EnterOnCurrentThread(string name)
    {
        using SafeFileHandle handle = Open(name);
        Enter(handle, name);
    }

    /// <summary>Runs <paramref name="action"/> on a new dedicated thread inside the namespace and waits for it.</summary>
    public static T Run<T>(string name, Func<T> action, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                EnterOnCurrentThread(name);
                result = action();
            }
            catch (Exception ex)
            {
                error = ex;
            }
        })
        {
            IsBackground = true,
            Name = $"netns {name}",
        };
        thread.Start();
        if (!thread.Join(timeout ?? TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException($"Work inside network namespace '{name}' did not finish in time.");
        }
        if (error is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
        }
        return result;
    }

    /// <summary>Runs <paramref name="action"/> on a new dedicated thread inside the namespace and waits for it.</summary>
    public static void Run(string name, Action action, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        Run<bool>(name, () =>
        {
            action();
            return true;
        }, timeout);
    }

    private static void Enter(SafeFileHandle handle, string name)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            if (LibC.setns((int)handle.DangerousGetHandle(), LibC.CLONE_NEWNET) != 0)
            {
                throw new LinuxSyscallException($"setns({name}, CLONE_NEWNET)", Errno.Last);
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}

namespace VrrpPS.Engine;

/// <summary>
/// Where the engine sends work that may block (a file read, a /proc scan), so the engine thread never
/// waits on it: the thread pool in production; inline in the simulator (deterministic).
/// </summary>
internal interface IBlockingWork
{
    Task<T> Run<T>(Func<T> work);
}

/// <summary>The production choice: the thread pool.</summary>
internal sealed class ThreadPoolWork : IBlockingWork
{
    public static readonly ThreadPoolWork Shared = new();

    public Task<T> Run<T>(Func<T> work) => Task.Run(work);
}

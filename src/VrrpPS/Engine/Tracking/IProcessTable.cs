namespace VrrpPS.Engine.Tracking;

/// <summary>The host's processes (Linux: /proc). Behind an interface so tracking logic is testable without real processes.</summary>
public interface IProcessTable
{
    /// <summary>Live (not zombie) processes; the command line only when <paramref name="withCommandLine"/>.</summary>
    IReadOnlyList<ProcessEntry> Read(bool withCommandLine);
}

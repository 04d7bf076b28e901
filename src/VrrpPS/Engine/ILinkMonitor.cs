namespace VrrpPS.Engine;

public interface ILinkMonitor : IDisposable
{
    int FileDescriptor { get; }

    /// <summary>Times the kernel dropped notifications (ENOBUFS): the engine then re-reads every link.</summary>
    int Overruns { get; }

    /// <summary>Reads the pending rtnetlink link notifications (non-blocking).</summary>
    int Drain(Span<LinkChange> changes);
}

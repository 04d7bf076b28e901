namespace VrrpPS.Engine;

public interface IPoller : IDisposable
{
    void Add(int fileDescriptor);
    void Remove(int fileDescriptor);

    /// <summary>Waits until a descriptor is readable, Wake() is called, or the timeout passes.
    /// Returns the number of ready descriptors written to <paramref name="ready"/>.</summary>
    int Wait(long timeoutMicroseconds, Span<int> ready);

    /// <summary>Thread-safe: makes a concurrent Wait return.</summary>
    void Wake();
}

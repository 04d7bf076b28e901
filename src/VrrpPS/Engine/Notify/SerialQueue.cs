using System.Threading.Channels;

namespace VrrpPS.Engine.Notify;

/// <summary>
/// Runs queued work one item at a time, in the order it was queued, on the thread pool. keepalived
/// forks its notify scripts concurrently (its issues #996, #584: scripts see states out of order);
/// one of these per instance delivers them strictly in transition order.
/// </summary>
internal sealed class SerialQueue
{
    private readonly Channel<Func<Task>> _channel = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;
    private readonly Action<Exception>? _onError;

    public SerialQueue(Action<Exception>? onError = null)
    {
        _onError = onError;
        _pump = Task.Run(PumpAsync);
    }

    private int _pending;

    /// <summary>Items queued and not yet started.</summary>
    public int Pending => Volatile.Read(ref _pending);

    public void Enqueue(Func<Task> work)
    {
        Interlocked.Increment(ref _pending);
        _channel.Writer.TryWrite(work);
    }

    /// <summary>Completes when everything queued so far has run (bounded wait for shutdown).</summary>
    public bool Drain(TimeSpan timeout)
    {
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_channel.Writer.TryWrite(() => { marker.SetResult(); return Task.CompletedTask; }))
        {
            return _pump.Wait(timeout);
        }
        return marker.Task.Wait(timeout);
    }

    public void Complete() => _channel.Writer.TryComplete();

    private async Task PumpAsync()
    {
        await foreach (var work in _channel.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            Interlocked.Decrement(ref _pending);
            try
            {
                await work().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _onError?.Invoke(ex);
            }
        }
    }
}

namespace VrrpPS.Engine.Notify;

/// <summary>
/// Runs queued work one item at a time, in the order it was queued, on the thread pool. keepalived
/// forks its notify scripts concurrently (its issues #996, #584: scripts see states out of order);
/// one of these per instance delivers them strictly in transition order.
/// With a capacity, at most that many items wait: a new item beyond it pushes out the OLDEST waiting
/// one (never the running one, never the newest), so a flapping instance behind a slow program
/// neither grows the queue nor loses its latest state, and what is delivered stays in order.
/// </summary>
internal sealed class SerialQueue
{
    private sealed record Item(Func<Task> Work, Action? Dropped, bool Marker);

    private readonly object _gate = new();
    private readonly LinkedList<Item> _items = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Task _pump;
    private readonly Action<Exception>? _onError;
    private readonly int _capacity;
    private readonly Action<long>? _onDropped;
    private int _pending;
    private long _dropped;
    private long _droppedUnreported;
    private bool _completed;

    /// <param name="onError">Called with what a work item threw.</param>
    /// <param name="capacity">Items that may wait (0: no limit).</param>
    /// <param name="onDropped">Called on the queue's thread, before the next item runs, with how many were dropped since the last call.</param>
    public SerialQueue(Action<Exception>? onError = null, int capacity = 0, Action<long>? onDropped = null)
    {
        _onError = onError;
        _capacity = capacity;
        _onDropped = onDropped;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Items queued and not yet started (Drain markers not counted).</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Items pushed out by newer ones since the queue was made.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <param name="dropped">Called (on the caller's thread) if this item is pushed out before it runs.</param>
    public void Enqueue(Func<Task> work, Action? dropped = null) => Add(new Item(work, dropped, Marker: false));

    private bool Add(Item item)
    {
        Item? pushedOut = null;
        lock (_gate)
        {
            if (_completed)
            {
                return false;
            }
            if (!item.Marker && _capacity > 0 && _pending >= _capacity)
            {
                var oldest = _items.First;
                while (oldest is not null && oldest.Value.Marker)
                {
                    oldest = oldest.Next;
                }
                if (oldest is not null)
                {
                    _items.Remove(oldest);
                    pushedOut = oldest.Value;
                    _pending--;
                    _dropped++;
                    _droppedUnreported++;
                }
            }
            _items.AddLast(item);
            if (!item.Marker)
            {
                _pending++;
            }
        }
        _signal.Release();
        pushedOut?.Dropped?.Invoke();
        return true;
    }

    /// <summary>Completes when everything queued so far has run (bounded wait for shutdown).</summary>
    public bool Drain(TimeSpan timeout)
    {
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!Add(new Item(() => { marker.SetResult(); return Task.CompletedTask; }, null, Marker: true)))
        {
            return _pump.Wait(timeout);
        }
        return marker.Task.Wait(timeout);
    }

    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
        }
        _signal.Release();
    }

    private async Task PumpAsync()
    {
        while (true)
        {
            await _signal.WaitAsync().ConfigureAwait(false);
            Item item;
            long dropped;
            lock (_gate)
            {
                if (_items.First is not { } first)
                {
                    if (_completed)
                    {
                        return;
                    }
                    continue; // the signal of an item that was pushed out
                }
                _items.RemoveFirst();
                item = first.Value;
                if (!item.Marker)
                {
                    _pending--;
                }
                dropped = _droppedUnreported;
                _droppedUnreported = 0;
            }
            try
            {
                if (dropped > 0)
                {
                    _onDropped?.Invoke(dropped);
                }
                await item.Work().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _onError?.Invoke(ex);
            }
        }
    }
}

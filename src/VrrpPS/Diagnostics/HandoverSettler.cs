namespace VrrpPS.Diagnostics;

/// <summary>
/// Decides who won a hand-over from successive polls of the nodes. When two Backups' Master_Down
/// timers expire within a few milliseconds of each other (priorities 254 and 253 at 1 s differ by
/// 3.9 ms of Skew_Time), both may become Master before either hears the other; the lower one then
/// yields on the first advert of the higher (RFC 5798 §6.4.3). The first node seen as Master is
/// therefore not the winner: the winner is the single Master that stays so for <c>settle</c>
/// (longer than one advertisement interval, so every racing node has heard it).
/// No I/O: the caller feeds observations, which keeps the race testable.
/// </summary>
internal sealed class HandoverSettler<T> where T : class
{
    private readonly TimeSpan _settle;
    private readonly List<T> _seen = [];
    private TimeSpan _since;

    public HandoverSettler(TimeSpan settle) => _settle = settle;

    /// <summary>The single current Master, or null while there are none or several.</summary>
    public T? Winner { get; private set; }

    /// <summary>True once <see cref="Winner"/> has been the only Master for the settle time.</summary>
    public bool Settled { get; private set; }

    /// <summary>True once any node has been seen as a new Master.</summary>
    public bool AnySeen => _seen.Count > 0;

    /// <summary>Nodes that were Master during the hand-over but are not the winner.</summary>
    public IReadOnlyList<T> Transient => _seen.Where(n => n != Winner).ToList();

    /// <summary>The Masters seen at the last poll (several means a split that has not resolved yet).</summary>
    public IReadOnlyList<T> Current { get; private set; } = [];

    /// <param name="now">Monotonic time of this poll.</param>
    /// <param name="masters">Nodes that are Master now and entered Master during the hand-over.</param>
    /// <param name="enteredMaster">Nodes whose history shows a Master entry during the hand-over, even if they left it again between polls.</param>
    public void Observe(TimeSpan now, IReadOnlyList<T> masters, IEnumerable<T> enteredMaster)
    {
        foreach (var n in masters.Concat(enteredMaster))
        {
            if (!_seen.Contains(n))
            {
                _seen.Add(n);
            }
        }
        Current = masters;
        if (masters.Count != 1)
        {
            Winner = null;
            Settled = false;
            return;
        }
        if (masters[0] != Winner)
        {
            Winner = masters[0];
            _since = now;
            Settled = false;
            return;
        }
        Settled = now - _since >= _settle;
    }
}

namespace VrrpPS.Engine;

/// <summary>Monotonic time in microseconds (never goes back, unaffected by clock changes).</summary>
public interface IMonotonicClock
{
    long NowMicroseconds { get; }
}

using System.Collections.Concurrent;

namespace Agents.Runtime.Tests.Providers;

/// <summary>
/// Runs timers a hundred times faster than asked and remembers every due time asked for: retry
/// delays and timeouts really happen, in milliseconds, and tests can see what was asked.
/// </summary>
public sealed class FastClock : TimeProvider
{
    private const int Speedup = 100;

    public ConcurrentQueue<TimeSpan> Requested { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Record(dueTime);
        return new FastTimer(this, System.CreateTimer(callback, state, Scale(dueTime), Scale(period)));
    }

    private void Record(TimeSpan dueTime)
    {
        if (dueTime > TimeSpan.Zero)
        {
            Requested.Enqueue(dueTime);
        }
    }

    private static TimeSpan Scale(TimeSpan time) => time == Timeout.InfiniteTimeSpan ? time : time / Speedup;

    private sealed class FastTimer(FastClock clock, ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            clock.Record(dueTime);
            return inner.Change(Scale(dueTime), Scale(period));
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}

/// <summary>A clock stopped at one instant, for signatures.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

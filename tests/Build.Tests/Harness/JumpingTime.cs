using Microsoft.Extensions.Time.Testing;

namespace Runbook.Tests.Harness;

/// <summary>
/// A fake clock (starting at the real now, or at a given time) that jumps ahead to each timer's due time as soon as the timer is set: waits
/// take no real time, yet everything reading the clock sees them pass, poll by poll.
/// </summary>
public sealed class JumpingTime(DateTimeOffset start) : FakeTimeProvider(start)
{
    public JumpingTime() : this(DateTimeOffset.UtcNow) { }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan) Advance(dueTime);
        return timer;
    }
}

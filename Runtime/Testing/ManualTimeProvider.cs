namespace Granary.TestingHost;

/// <summary>
/// A clock that moves only when a test moves it. <see cref="Advance"/> fires every timer that falls due on the way,
/// in order, on the calling thread; a timer set to fire now is handed to the thread pool, as a real timer would be.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now;

    public ManualTimeProvider(DateTimeOffset? start = null) => _now = start ?? DefaultStart;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock) return _now;
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Timers that will fire if the clock moves far enough.</summary>
    public int ActiveTimers
    {
        get { lock (_lock) return _timers.Count; }
    }

    /// <summary>Moves the clock forward, firing each timer as its due time is passed.</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_lock) target = _now + delta;

        while (true)
        {
            ManualTimer? next = null;
            lock (_lock)
            {
                foreach (var timer in _timers)
                {
                    if (timer.Due is { } due && due <= target && (next is null || due < next.Due)) next = timer;
                }
                if (next is null)
                {
                    _now = target;
                    return;
                }
                if (next.Due > _now) _now = next.Due!.Value;
                next.Due = next.Period == Timeout.InfiniteTimeSpan ? null : _now + next.Period;
            }
            next.Fire();
        }
    }

    /// <summary>Moves the clock to <paramref name="time"/>, firing timers on the way.</summary>
    public void AdvanceTo(DateTimeOffset time) => Advance(time - GetUtcNow());

    private void Change(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        var fireNow = false;
        lock (_lock)
        {
            _timers.Remove(timer);
            timer.Period = period == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : period;
            timer.Due = null;
            if (dueTime == Timeout.InfiniteTimeSpan) return;
            if (dueTime <= TimeSpan.Zero)
            {
                fireNow = true;
                if (timer.Period != Timeout.InfiniteTimeSpan) timer.Due = _now + timer.Period;
            }
            else
            {
                timer.Due = _now + dueTime;
            }
            if (timer.Due is not null) _timers.Add(timer);
        }
        if (fireNow) ThreadPool.UnsafeQueueUserWorkItem(static t => t.Fire(), timer, preferLocal: false);
    }

    private void Remove(ManualTimer timer)
    {
        lock (_lock) _timers.Remove(timer);
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private volatile bool _disposed;

        public DateTimeOffset? Due { get; set; }

        public TimeSpan Period { get; set; } = Timeout.InfiniteTimeSpan;

        public void Fire()
        {
            if (!_disposed) callback(state);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (_disposed) return false;
            owner.Change(this, dueTime, period);
            return true;
        }

        public void Dispose()
        {
            _disposed = true;
            owner.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

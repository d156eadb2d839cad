using Granary.Catalog;
using Granary.Messaging;

namespace Granary.Timers;

/// <summary>
/// An in-memory timer of one activation. A tick is queued to the activation like a request, so it never runs beside
/// grain code, and the next tick is only scheduled once the callback has finished: a timer never overlaps itself.
/// </summary>
internal sealed class GrainTimer : IGrainTimer
{
    private readonly ActivationData _activation;
    private readonly Func<CancellationToken, Task> _callback;
    private readonly ITimer _timer;
    private readonly CancellationTokenSource _disposed = new();
    private TimeSpan _period;
    private bool _ticking;
    private TimeSpan? _dueAfterTick;

    public GrainTimer(ActivationData activation, Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period, TimeProvider time)
    {
        Validate(dueTime, period);
        _activation = activation;
        _callback = callback;
        _period = period;
        _timer = time.CreateTimer(static state => ((GrainTimer)state!).OnTimerFired(), this, dueTime, Timeout.InfiniteTimeSpan);
    }

    public void Change(TimeSpan dueTime, TimeSpan period)
    {
        Validate(dueTime, period);
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        _period = period;
        if (_ticking)
            _dueAfterTick = dueTime;
        else
            _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        if (_disposed.IsCancellationRequested) return;
        _disposed.Cancel();
        _timer.Dispose();
        _activation.RemoveTimer(this);
    }

    private void OnTimerFired()
    {
        if (!_disposed.IsCancellationRequested)
            _activation.Receive(new Tick(this));
    }

    private Task RunTick()
    {
        _ticking = true;
        return _callback(_disposed.Token);
    }

    private void OnTickFinished(Exception? exception)
    {
        _ticking = false;
        if (exception is not null && !_disposed.IsCancellationRequested)
            _activation.LogTimerFailure(exception);
        if (_disposed.IsCancellationRequested) return;

        var next = _dueAfterTick ?? _period;
        _dueAfterTick = null;
        if (next != Timeout.InfiniteTimeSpan)
            _timer.Change(next, Timeout.InfiniteTimeSpan);
    }

    private static void Validate(TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime < TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "The due time must be zero or more, or infinite.");
        if (period <= TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(period), period, "The period must be positive, or infinite for a single tick.");
    }

    /// <summary>A tick queued to the activation. Nobody waits for it, and it is dropped if the activation leaves.</summary>
    private sealed class Tick(GrainTimer timer) : Request(timer._activation.GrainId, callChain: null)
    {
        public override bool IsInterleaving => false;

        public override bool KeepsAlive => false;

        public override bool DiesWithActivation => true;

        public override bool IsAnswered => timer._disposed.IsCancellationRequested;

        public override Task Invoke(object grain) => timer.RunTick();

        public override void Complete(Task task) => timer.OnTickFinished(task.Exception?.GetBaseException());

        public override void Fail(Exception exception) => timer.OnTickFinished(exception);

        public override string ToString() => $"timer tick on {Target}";
    }
}

namespace Granary.TestingHost;

/// <summary>A count that tests can await: <see cref="WhenAtLeast"/> completes once <see cref="Increment"/> has been called often enough.</summary>
public sealed class SignalCounter
{
    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];
    private int _value;

    public int Value
    {
        get { lock (_lock) return _value; }
    }

    public void Increment()
    {
        List<TaskCompletionSource> done = [];
        lock (_lock)
        {
            _value++;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Count > _value) continue;
                done.Add(_waiters[i].Done);
                _waiters.RemoveAt(i);
            }
        }
        foreach (var waiter in done) waiter.TrySetResult();
    }

    public Task WhenAtLeast(int count)
    {
        lock (_lock)
        {
            if (_value >= count) return Task.CompletedTask;
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, waiter));
            return waiter.Task;
        }
    }
}

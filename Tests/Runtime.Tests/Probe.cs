using System.Collections.Concurrent;

namespace Granary.Tests;

/// <summary>
/// Awaitable signals between test grains and tests: a grain says something happened, a test awaits it. The waits
/// are bounded only as a safety net against a hung test; nothing here sleeps.
/// </summary>
public sealed class Probe
{
    public static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(20);

    private readonly ConcurrentDictionary<string, Counter> _counters = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new();

    public void Signal(string name) => Get(name).Increment();

    public int Count(string name) => Get(name).Value;

    /// <summary>Completes when <paramref name="name"/> has been signalled at least <paramref name="count"/> times.</summary>
    public Task WaitAsync(string name, int count = 1) => Get(name).WhenAtLeast(count).WaitAsync(SafetyTimeout);

    /// <summary>A gate grains can wait on until a test opens it.</summary>
    public Task Gate(string name) => _gates.GetOrAdd(name, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Open(string name) => _gates.GetOrAdd(name, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private Counter Get(string name) => _counters.GetOrAdd(name, _ => new Counter());

    private sealed class Counter
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
                _waiters.RemoveAll(w =>
                {
                    if (w.Count > _value) return false;
                    done.Add(w.Done);
                    return true;
                });
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
}

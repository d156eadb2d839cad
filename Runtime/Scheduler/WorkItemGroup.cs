using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Granary.Scheduler;

/// <summary>
/// Runs the work of one activation one item at a time on the thread pool. It is the activation's
/// <see cref="SynchronizationContext"/>, so every <c>await</c> in grain code resumes here: grain code never runs on
/// two threads at once and needs no locks.
/// </summary>
internal sealed class WorkItemGroup : SynchronizationContext, IThreadPoolWorkItem
{
    /// <summary>Items run per visit to the thread pool before yielding the thread to other activations.</summary>
    private const int MaxItemsPerQuantum = 128;

    private readonly ConcurrentQueue<WorkItem> _queue = new();
    private readonly ILogger _logger;
    private readonly object _owner;
    private int _scheduled;

    public WorkItemGroup(object owner, ILogger logger)
    {
        _owner = owner;
        _logger = logger;
    }

    /// <summary>True while this group runs an item on the current thread.</summary>
    public bool IsCurrent => Current == this;

    public void Enqueue(SendOrPostCallback callback, object? state)
    {
        _queue.Enqueue(new WorkItem(callback, state));
        if (Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    public override void Post(SendOrPostCallback d, object? state) => Enqueue(d, state);

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Grain code cannot block on its own activation.");

    public override SynchronizationContext CreateCopy() => this;

    void IThreadPoolWorkItem.Execute()
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            for (var i = 0; i < MaxItemsPerQuantum && _queue.TryDequeue(out var item); i++)
            {
                try
                {
                    item.Callback(item.State);
                }
                catch (Exception exception)
                {
                    _logger.LogError(exception, "A work item of {Owner} threw", _owner);
                }
            }
        }
        finally
        {
            SetSynchronizationContext(previous);
        }

        // A full fence: the queue must be read after the flag is cleared, or an item enqueued meanwhile (whose
        // enqueuer saw the flag still set) would wait until the next enqueue. A release-only write allows that.
        Interlocked.Exchange(ref _scheduled, 0);
        // Not preferLocal: the local queue is last-in-first-out, which starves activations that yielded earlier.
        if (!_queue.IsEmpty && Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    public override string ToString() => $"WorkItemGroup({_owner})";

    private readonly record struct WorkItem(SendOrPostCallback Callback, object? State);
}

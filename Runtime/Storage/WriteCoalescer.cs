namespace Granary.Storage;

/// <summary>
/// Keeps at most one write of a state in flight. A call made while one is in flight shares the next write, which
/// starts when the current one ends and so carries every change made before the call: group commit inside a grain.
/// </summary>
/// <remarks>
/// Used from the grain's turn only; awaits resume there, so no locks are needed. Writes complete on other threads,
/// though, so a write seen in flight may finish at any moment: the queued write is therefore a promise made before
/// anything awaits, and it is only ever answered by a write that started after it was queued.
/// </remarks>
internal sealed class WriteCoalescer(Func<Task> write)
{
    private Task? _inFlight;
    private TaskCompletionSource? _next;

    public Task WriteAsync()
    {
        if (_inFlight is not { IsCompleted: false }) return _inFlight = write();
        if (_next is { } queued) return queued.Task;
        var next = _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = WriteAfterAsync(_inFlight, next);
        return next.Task;
    }

    /// <summary>Completes when the writes in flight or queued at the time of the call have finished; starts none.</summary>
    public async Task WhenIdleAsync()
    {
        var pending = _next?.Task ?? (_inFlight is { IsCompleted: false } inFlight ? inFlight : null);
        if (pending is null) return;
        try
        {
            await pending;
        }
        catch
        {
            // The callers of that write have its failure; this only waits for it.
        }
    }

    private async Task WriteAfterAsync(Task previous, TaskCompletionSource next)
    {
        try
        {
            await previous;
        }
        catch
        {
            // A failed write leaves the state broken; the next write reports that itself.
        }
        if (_next == next) _next = null;
        try
        {
            // A write started since the previous one ended carries these changes too.
            if (_inFlight is not { IsCompleted: false }) _inFlight = write();
            await _inFlight;
            next.TrySetResult();
        }
        catch (Exception exception)
        {
            next.TrySetException(exception);
        }
    }
}

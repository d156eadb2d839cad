namespace Granary.Storage;

/// <summary>
/// Keeps at most one write of a state in flight. A call made while one is in flight shares the next write, which
/// starts when the current one ends and so carries every change made before the call: group commit inside a grain.
/// </summary>
/// <remarks>Used from the grain's turn only; awaits resume there, so no locks are needed.</remarks>
internal sealed class WriteCoalescer(Func<Task> write)
{
    private Task? _inFlight;
    private Task? _next;

    public Task WriteAsync()
    {
        if (_inFlight is not { IsCompleted: false }) return _inFlight = write();
        return _next ??= WriteAfterAsync(_inFlight);
    }

    /// <summary>Completes when no write is in flight or queued.</summary>
    public async Task WhenIdleAsync()
    {
        while ((_next ?? (_inFlight is { IsCompleted: false } inFlight ? inFlight : null)) is { } pending)
        {
            try
            {
                await pending;
            }
            catch
            {
                // The caller of that write has its failure; this only waits for quiet.
            }
        }
    }

    private async Task WriteAfterAsync(Task previous)
    {
        try
        {
            await previous;
        }
        catch
        {
            // A failed write leaves the state broken; the next write reports that itself.
        }
        _next = null;
        if (_inFlight is { IsCompleted: false } started)
            await started;
        else
            await (_inFlight = write());
    }
}

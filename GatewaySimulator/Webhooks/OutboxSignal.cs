namespace AdWallet.GatewaySimulator.Webhooks;

/// <summary>
/// Wakes the dispatcher: a new event, a finished delivery, a webhook URL set. A wake that comes while the dispatcher
/// is busy is kept until its next wait, so none is lost between its look at the outbox and its wait.
/// </summary>
internal sealed class OutboxSignal
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Wake()
    {
        lock (_lock)
            _wake.TrySetResult();
    }

    /// <summary>Returns at a wake (perhaps one that came before the call), after <paramref name="timeout"/>, or throws when cancelled.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task wake;
        lock (_lock)
            wake = _wake.Task;
        await Task.WhenAny(wake, Task.Delay(timeout, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_wake.Task.IsCompleted)
                _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}

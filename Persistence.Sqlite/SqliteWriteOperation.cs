namespace AdWallet.Persistence.Sqlite;

/// <summary>
/// One queued write. The writer runs it inside a savepoint of a batch transaction and completes its task only once
/// the batch has committed or failed. An operation canceled while still queued is never run.
/// </summary>
internal abstract class SqliteWriteOperation
{
    private const int Queued = 0;
    private const int Claimed = 1;
    private const int Canceled = 2;

    private int _state;
    private Exception? _error;
    private CancellationTokenRegistration _cancellation;

    protected void RegisterCancellation(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
            _cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((SqliteWriteOperation)state!).CancelQueued(token), this);
    }

    /// <summary>Takes the operation for execution. False when it was canceled first; it is then already complete.</summary>
    public bool TryClaim()
    {
        if (Interlocked.CompareExchange(ref _state, Claimed, Queued) != Queued) return false;
        _cancellation.Unregister();
        return true;
    }

    /// <summary>Runs the operation's statements. Throws to have them rolled back.</summary>
    public abstract void Execute(SqliteWriteSession session);

    /// <summary>Records that this operation failed and was rolled back to its savepoint; the rest of the batch goes on.</summary>
    public void Fail(Exception exception) => _error = exception;

    /// <summary>Completes the task once the batch's outcome is known: <paramref name="batchFailure"/> when nothing was committed.</summary>
    public void Complete(Exception? batchFailure)
    {
        if ((_error ?? batchFailure) is { } error)
            SetException(error);
        else
            SetResult();
    }

    /// <summary>Fails an operation that never reached the queue.</summary>
    public void Reject(Exception exception)
    {
        if (TryClaim()) SetException(exception);
    }

    protected abstract void SetResult();

    protected abstract void SetException(Exception exception);

    protected abstract void SetCanceled(CancellationToken cancellationToken);

    private void CancelQueued(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, Canceled, Queued) == Queued)
            SetCanceled(cancellationToken);
    }
}

internal sealed class SqliteWriteOperation<TResult> : SqliteWriteOperation
{
    private readonly Func<SqliteWriteSession, TResult> _execute;
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TResult? _result;

    public SqliteWriteOperation(Func<SqliteWriteSession, TResult> execute, CancellationToken cancellationToken)
    {
        _execute = execute;
        RegisterCancellation(cancellationToken);
    }

    public Task<TResult> Task => _completion.Task;

    public override void Execute(SqliteWriteSession session) => _result = _execute(session);

    protected override void SetResult() => _completion.SetResult(_result!);

    protected override void SetException(Exception exception) => _completion.SetException(exception);

    protected override void SetCanceled(CancellationToken cancellationToken) => _completion.SetCanceled(cancellationToken);
}

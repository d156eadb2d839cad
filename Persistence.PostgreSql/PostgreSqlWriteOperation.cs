namespace AdWallet.Persistence.PostgreSql;

/// <summary>
/// One queued write. The writer runs it inside a savepoint of a batch transaction and completes its task only once
/// the batch has committed or failed. An operation canceled while still queued is never run.
/// </summary>
internal abstract class PostgreSqlWriteOperation
{
    /// <summary>How many times an operation runs when PostgreSQL picks it as the victim of a deadlock.</summary>
    public const int MaxAttempts = 5;

    private const int Queued = 0;
    private const int Claimed = 1;
    private const int Canceled = 2;

    private int _state;
    private Exception? _error;
    private CancellationTokenRegistration _cancellation;

    protected PostgreSqlWriteOperation(string? lockKey) => LockKey = lockKey;

    /// <summary>
    /// The row the operation locks (table and key), or null. The writer runs a batch in the order of these keys, so
    /// that every silo locks rows in one order and their batches cannot deadlock each other.
    /// </summary>
    public string? LockKey { get; }

    /// <summary>How many times the operation has been run.</summary>
    public int Attempts { get; private set; }

    /// <summary>True when the last run was rolled back to be run again in a later batch.</summary>
    public bool RetryRequested { get; private set; }

    protected void RegisterCancellation(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
            _cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((PostgreSqlWriteOperation)state!).CancelQueued(token), this);
    }

    /// <summary>Takes the operation for execution. False when it was canceled first; it is then already complete.</summary>
    public bool TryClaim()
    {
        if (Interlocked.CompareExchange(ref _state, Claimed, Queued) != Queued) return false;
        _cancellation.Unregister();
        return true;
    }

    /// <summary>Runs the operation's statements. Throws to have them rolled back.</summary>
    public Task ExecuteAsync(PostgreSqlWriteSession session)
    {
        Attempts++;
        RetryRequested = false;
        _error = null;
        return ExecuteCoreAsync(session);
    }

    protected abstract Task ExecuteCoreAsync(PostgreSqlWriteSession session);

    /// <summary>Records that the operation should run (again) after the batch commits: its run was rolled back to its savepoint, or it did not run.</summary>
    public void RequestRetry() => RetryRequested = true;

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

    /// <summary>Fails an operation that never reached the queue, or that the writer will never run.</summary>
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

internal sealed class PostgreSqlWriteOperation<TResult> : PostgreSqlWriteOperation
{
    private readonly Func<PostgreSqlWriteSession, Task<TResult>> _execute;
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TResult? _result;

    public PostgreSqlWriteOperation(string? lockKey, Func<PostgreSqlWriteSession, Task<TResult>> execute, CancellationToken cancellationToken)
        : base(lockKey)
    {
        _execute = execute;
        RegisterCancellation(cancellationToken);
    }

    public Task<TResult> Task => _completion.Task;

    protected override async Task ExecuteCoreAsync(PostgreSqlWriteSession session) => _result = await _execute(session).ConfigureAwait(false);

    protected override void SetResult() => _completion.SetResult(_result!);

    protected override void SetException(Exception exception) => _completion.SetException(exception);

    protected override void SetCanceled(CancellationToken cancellationToken) => _completion.SetCanceled(cancellationToken);
}

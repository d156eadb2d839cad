using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace AdWallet.Persistence.Sqlite;

/// <summary>
/// The single writer of a database, with group commit. Operations queue up while a transaction is being committed;
/// the next transaction takes all of them (up to the batch size), so that many grains' writes share one fsync.
/// </summary>
/// <remarks>
/// Each operation of a batch of several runs inside its own savepoint: one that fails (a stale ETag, a constraint) is
/// rolled back alone and the rest of the batch still commits. No operation is acknowledged before COMMIT returns; if COMMIT fails, every
/// operation of the batch fails.
/// </remarks>
internal sealed partial class SqliteBatchWriter
{
    private const string Begin = "BEGIN IMMEDIATE";
    private const string Commit = "COMMIT";
    private const string Rollback = "ROLLBACK";
    private const string Savepoint = "SAVEPOINT operation";
    private const string ReleaseSavepoint = "RELEASE operation";
    private const string RollbackToSavepoint = "ROLLBACK TO operation";

    private readonly Channel<SqliteWriteOperation> _queue = Channel.CreateUnbounded<SqliteWriteOperation>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteWriteSession _session;
    private readonly int _maxBatchSize;
    private readonly ILogger _logger;
    private readonly Task _loop;

    /// <summary>Starts writing through <paramref name="session"/>, which the writer owns and disposes when it completes.</summary>
    public SqliteBatchWriter(SqliteWriteSession session, int maxBatchSize, ILogger logger)
    {
        _session = session;
        _maxBatchSize = maxBatchSize;
        _logger = logger;
        // A thread of its own: SQLite blocks on fsync and locks, which must not hold thread-pool threads that grains run on.
        _loop = Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Queues an operation. False once <see cref="CompleteAsync"/> has been called.</summary>
    public bool TryEnqueue(SqliteWriteOperation operation) => _queue.Writer.TryWrite(operation);

    /// <summary>Accepts no more operations, commits those already queued and closes the connection.</summary>
    public Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        return _loop;
    }

    private void Run()
    {
        var batch = new List<SqliteWriteOperation>(_maxBatchSize);
        try
        {
            while (WaitToRead())
            {
                while (batch.Count < _maxBatchSize && _queue.Reader.TryRead(out var operation))
                {
                    if (operation.TryClaim()) batch.Add(operation);
                }
                if (batch.Count == 0) continue;
                CommitBatch(batch);
                batch.Clear();
            }
        }
        finally
        {
            _session.Dispose();
        }
    }

    private bool WaitToRead()
    {
        var wait = _queue.Reader.WaitToReadAsync();
        return wait.IsCompleted ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    private void CommitBatch(List<SqliteWriteOperation> batch)
    {
        Exception? failure = null;
        try
        {
            // A transaction left open by a failed ROLLBACK would make every later BEGIN fail.
            if (_session.InTransaction) _session.Execute(Rollback);
            _session.Execute(Begin);
            if (batch.Count == 1)
                RunAlone(batch[0]);
            else
                foreach (var operation in batch) RunInSavepoint(operation);
            // A failed operation that ran alone has rolled the transaction back already.
            if (_session.InTransaction) _session.Execute(Commit);
        }
        catch (Exception exception)
        {
            failure = exception;
            LogBatchFailed(_logger, exception, batch.Count);
            TryRollback();
        }

        foreach (var operation in batch) operation.Complete(failure);
    }

    /// <summary>
    /// Runs the only operation of a batch without a savepoint, which would make SQLite copy every page it changes
    /// into a sub-journal: if the operation fails, the transaction is rolled back whole.
    /// </summary>
    private void RunAlone(SqliteWriteOperation operation)
    {
        try
        {
            operation.Execute(_session);
        }
        catch (Exception exception)
        {
            operation.Fail(exception);
            if (_session.InTransaction) _session.Execute(Rollback);
        }
    }

    private void RunInSavepoint(SqliteWriteOperation operation)
    {
        _session.Execute(Savepoint);
        try
        {
            operation.Execute(_session);
        }
        catch (Exception exception)
        {
            operation.Fail(exception);
            // Some errors (I/O, disk full) make SQLite roll back the whole transaction: then the batch has failed.
            if (!_session.InTransaction) throw;
            _session.Execute(RollbackToSavepoint);
            _session.Execute(ReleaseSavepoint);
            return;
        }
        _session.Execute(ReleaseSavepoint);
    }

    private void TryRollback()
    {
        try
        {
            if (_session.InTransaction) _session.Execute(Rollback);
        }
        catch (Exception exception)
        {
            LogRollbackFailed(_logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A SQLite write transaction of {OperationCount} operations failed; none of them was committed.")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int operationCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rolling back a failed SQLite write transaction failed.")]
    private static partial void LogRollbackFailed(ILogger logger, Exception exception);
}

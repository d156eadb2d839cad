using System.Data;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AdWallet.Persistence.PostgreSql;

/// <summary>
/// The single writer of a silo, with group commit. Operations queue up while a transaction is being committed; the
/// next transaction takes all of them (up to the batch size), so that many grains' writes share one commit.
/// </summary>
/// <remarks>
/// Each operation runs inside its own savepoint: one that fails (a stale ETag, a constraint) is rolled back alone and
/// the rest of the batch still commits. No operation is acknowledged before COMMIT returns; if COMMIT fails, every
/// operation of the batch fails. Other silos write to the same tables at the same time, so operations check ETags in
/// their statements (conditional UPDATE, INSERT ... ON CONFLICT DO NOTHING), never by reading first.
/// <para>
/// A batch holds the row locks of all its operations until COMMIT, and so does every other silo's. To keep two
/// batches from deadlocking, a batch runs its operations in the order of their <see cref="PostgreSqlWriteOperation.LockKey"/>
/// (a stable order: operations on one row keep the order they were queued in), so every silo locks rows in one
/// global order. An operation PostgreSQL still picks as a deadlock victim is rolled back to its savepoint and run
/// again in the next batch, after this one has committed and released its locks.
/// </para>
/// <para>
/// A connection found broken is replaced for the next batch; when BEGIN finds it broken, before any operation ran, the
/// batch goes on on a new connection.
/// </para>
/// </remarks>
internal sealed partial class PostgreSqlBatchWriter
{
    private const string Begin = "BEGIN";
    private const string Commit = "COMMIT";
    private const string Rollback = "ROLLBACK";

    // Operations alternate between two savepoint names; each one releases the previous operation's savepoint into the
    // transaction as it takes its own. Should an operation's savepoint never have been taken, rolling back to its name
    // fails (the other name's savepoint was released), and so does the batch: it can never undo the previous operation.
    private static readonly string[] FirstSavepoint = ["SAVEPOINT operation_a", "SAVEPOINT operation_b"];
    private static readonly string[] NextSavepoint = ["RELEASE SAVEPOINT operation_b; SAVEPOINT operation_a", "RELEASE SAVEPOINT operation_a; SAVEPOINT operation_b"];
    private static readonly string[] RollbackToSavepoint = ["ROLLBACK TO SAVEPOINT operation_a", "ROLLBACK TO SAVEPOINT operation_b"];

    private readonly Channel<PostgreSqlWriteOperation> _queue = Channel.CreateUnbounded<PostgreSqlWriteOperation>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly NpgsqlDataSource _dataSource;
    private readonly int _maxBatchSize;
    private readonly ILogger _logger;
    private readonly Task _loop;
    private readonly List<PostgreSqlWriteOperation> _retries = [];
    private NpgsqlConnection? _connection;

    /// <summary>Starts writing through <paramref name="connection"/>, which the writer owns (and replaces from <paramref name="dataSource"/> when it breaks).</summary>
    public PostgreSqlBatchWriter(NpgsqlDataSource dataSource, NpgsqlConnection connection, int maxBatchSize, ILogger logger)
    {
        _dataSource = dataSource;
        _connection = connection;
        _maxBatchSize = maxBatchSize;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues an operation. False once <see cref="CompleteAsync"/> has been called.</summary>
    public bool TryEnqueue(PostgreSqlWriteOperation operation) => _queue.Writer.TryWrite(operation);

    /// <summary>Accepts no more operations, commits those already queued and closes the connection.</summary>
    public Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        return _loop;
    }

    private async Task RunAsync()
    {
        var batch = new List<PostgreSqlWriteOperation>(_maxBatchSize);
        try
        {
            // Deadlock victims go first into the next batch, even after the queue has been completed.
            while (_retries.Count > 0 || await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                batch.AddRange(_retries);
                _retries.Clear();
                while (batch.Count < _maxBatchSize && _queue.Reader.TryRead(out var operation))
                {
                    if (operation.TryClaim()) batch.Add(operation);
                }
                if (batch.Count == 0) continue;
                await CommitBatchAsync(batch).ConfigureAwait(false);
                batch.Clear();
            }
        }
        finally
        {
            await DropConnectionAsync().ConfigureAwait(false);
        }
    }

    private async Task CommitBatchAsync(List<PostgreSqlWriteOperation> batch)
    {
        Exception? failure = null;
        try
        {
            var session = await BeginAsync().ConfigureAwait(false);
            var executed = 0;
            HashSet<string>? deferredRows = null;
            foreach (var operation in batch.OrderBy(operation => operation.LockKey, StringComparer.Ordinal))
            {
                // Writes to a row whose earlier write is to run again wait for it, so that one row's writes keep their order.
                if (operation.LockKey is { } row && deferredRows?.Contains(row) == true)
                {
                    operation.RequestRetry();
                    continue;
                }
                await RunInSavepointAsync(session, operation, executed++).ConfigureAwait(false);
                if (operation is { RetryRequested: true, LockKey: { } deferred }) (deferredRows ??= new(StringComparer.Ordinal)).Add(deferred);
            }
            await ExecuteAsync(session.Connection, Commit).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            failure = exception;
            LogBatchFailed(_logger, exception, batch.Count);
            await TryRollbackAsync().ConfigureAwait(false);
        }

        foreach (var operation in batch)
        {
            if (failure is null && operation.RetryRequested)
                _retries.Add(operation);
            else
                operation.Complete(failure);
        }
    }

    /// <summary>Opens the batch transaction, on a new connection if the current one is gone.</summary>
    private async Task<PostgreSqlWriteSession> BeginAsync()
    {
        if (_connection is { State: ConnectionState.Open } connection)
        {
            try
            {
                await ExecuteAsync(connection, Begin).ConfigureAwait(false);
                return new PostgreSqlWriteSession(connection);
            }
            catch (Exception exception) when (!IsOpen(connection))
            {
                // The server closed an idle connection (a restart, an idle timeout): nothing of this batch ran yet.
                LogReconnecting(_logger, exception);
            }
        }
        await DropConnectionAsync().ConfigureAwait(false);
        _connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await ExecuteAsync(_connection, Begin).ConfigureAwait(false);
        return new PostgreSqlWriteSession(_connection);
    }

    /// <summary>Runs the <paramref name="index"/>th operation of the batch in a savepoint of its own, which its first statement takes.</summary>
    private async Task RunInSavepointAsync(PostgreSqlWriteSession session, PostgreSqlWriteOperation operation, int index)
    {
        var name = index & 1;
        session.SetPendingSavepoint(index == 0 ? FirstSavepoint[name] : NextSavepoint[name]);
        try
        {
            await operation.ExecuteAsync(session).ConfigureAwait(false);
            await session.FlushPendingSavepointAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            if (exception is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected } && operation.Attempts < PostgreSqlWriteOperation.MaxAttempts)
            {
                LogDeadlockRetried(_logger, operation.LockKey, operation.Attempts);
                operation.RequestRetry();
            }
            else
            {
                operation.Fail(exception);
            }
            // A lost connection takes the whole transaction with it: then the batch has failed, with this cause.
            if (!IsOpen(session.Connection)) throw;
            // An error aborts the transaction up to the last savepoint; rolling back to it makes it usable again.
            await session.FlushPendingSavepointAsync().ConfigureAwait(false);
            await ExecuteAsync(session.Connection, RollbackToSavepoint[name]).ConfigureAwait(false);
        }
    }

    private async Task TryRollbackAsync()
    {
        if (_connection is not { } connection) return;
        try
        {
            // Harmless when the transaction already ended (a failed COMMIT rolls back): PostgreSQL only warns.
            if (IsOpen(connection))
            {
                await ExecuteAsync(connection, Rollback).ConfigureAwait(false);
                return;
            }
        }
        catch (Exception exception)
        {
            LogRollbackFailed(_logger, exception);
        }
        // A connection in an unknown state is not reused (a BEGIN inside a transaction left open would only be
        // warned about): the next batch opens another one.
        await DropConnectionAsync().ConfigureAwait(false);
    }

    private async Task DropConnectionAsync()
    {
        var connection = _connection;
        _connection = null;
        if (connection is null) return;
        try
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogCloseFailed(_logger, exception);
        }
    }

    private static bool IsOpen(NpgsqlConnection connection) => connection.FullState == ConnectionState.Open;

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A PostgreSQL write transaction of {OperationCount} operations failed; none of them was committed.")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int operationCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rolling back a failed PostgreSQL write transaction failed; its connection is dropped.")]
    private static partial void LogRollbackFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The PostgreSQL writer's connection was closed; opening a new one.")]
    private static partial void LogReconnecting(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A PostgreSQL write (row {LockKey}) was a deadlock victim on try {Attempt}; it runs again in the next batch.")]
    private static partial void LogDeadlockRetried(ILogger logger, string? lockKey, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing the PostgreSQL writer's connection failed.")]
    private static partial void LogCloseFailed(ILogger logger, Exception exception);
}

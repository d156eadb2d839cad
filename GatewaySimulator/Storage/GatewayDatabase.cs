using System.Threading.Channels;
using AdWallet.GatewaySimulator.Options;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using SQLitePCL;

namespace AdWallet.GatewaySimulator.Storage;

/// <summary>
/// The simulator's SQLite file. SQLite has one writer: every write is queued to one writer loop, which runs the writes
/// queued meanwhile in one transaction, each in a savepoint of its own (group commit). A write that throws is rolled
/// back alone; every caller is answered once the transaction has committed. Writes run one after the other, so a
/// check-then-insert inside a write is atomic. Reads open their own connections, which WAL runs beside the writer.
/// </summary>
internal sealed partial class GatewayDatabase : IDisposable
{
    /// <summary>Writes per transaction at most: enough to share a commit among every request in flight.</summary>
    private const int MaxWritesPerTransaction = 256;

    private readonly Channel<QueuedWrite> _queue = Channel.CreateUnbounded<QueuedWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _writer;
    private readonly Task _writerLoop;
    private readonly string _readConnectionString;

    public GatewayDatabase(IOptions<SimulatorOptions> options, ILogger<GatewayDatabase> logger)
    {
        DatabasePath = options.Value.DatabasePath;
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        // No pooling: a stopped simulator must leave the file closed, so that it can start again on it in this process.
        _writer = new SqliteConnection(ConnectionString(SqliteOpenMode.ReadWriteCreate));
        _writer.Open();
        Execute(_writer, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;");
        Execute(_writer, GatewaySchema.Script);
        _writer.KeepPreparedCommands();
        _readConnectionString = ConnectionString(SqliteOpenMode.ReadOnly);
        // SQLite's calls block: the loop has a thread of its own rather than one of the pool's.
        _writerLoop = Task.Factory.StartNew(RunWrites, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        LogOpened(logger, DatabasePath);
    }

    public string DatabasePath { get; }

    /// <summary>Runs <paramref name="work"/> in a write transaction; its changes commit if it returns and are rolled back if it throws.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken = default)
    {
        var write = new QueuedWrite<T>(work, cancellationToken);
        if (!_queue.Writer.TryWrite(write))
            throw new ObjectDisposedException(nameof(GatewayDatabase), $"The gateway simulator's database {DatabasePath} is closed.");
        return write.Outcome;
    }

    /// <summary>Runs <paramref name="read"/> on a connection of its own.</summary>
    public T Read<T>(Func<SqliteConnection, T> read)
    {
        using var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        return read(connection);
    }

    public void Dispose()
    {
        // Writes already queued still run; the loop ends when the queue is empty.
        _queue.Writer.TryComplete();
        _writerLoop.GetAwaiter().GetResult();
        _writer.Dispose();
    }

    private void RunWrites()
    {
        var batch = new List<QueuedWrite>(MaxWritesPerTransaction);
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (batch.Count < MaxWritesPerTransaction && _queue.Reader.TryRead(out var write))
            {
                // A request abandoned while it waited changes nothing.
                if (!write.CancelIfRequested()) batch.Add(write);
            }
            if (batch.Count > 0) Commit(batch);
            batch.Clear();
        }
    }

    private void Commit(List<QueuedWrite> batch)
    {
        try
        {
            // A transaction left open by a failed ROLLBACK would make every later BEGIN fail.
            if (InTransaction) _writer.Execute("ROLLBACK");
            // IMMEDIATE: the write lock is taken now, not at the first write, so no other process can slip in between.
            // Plain statements rather than BeginTransaction: the writer's prepared commands outlive every transaction.
            _writer.Execute("BEGIN IMMEDIATE");
            foreach (var write in batch)
            {
                _writer.Execute("SAVEPOINT write");
                if (!write.Run(_writer)) _writer.Execute("ROLLBACK TO write");
                _writer.Execute("RELEASE write");
            }
            _writer.Execute("COMMIT");
        }
        catch (Exception exception)
        {
            // Nothing of the batch committed: every write in it fails.
            if (InTransaction) TryRollback();
            foreach (var write in batch) write.Fail(exception);
            return;
        }
        foreach (var write in batch) write.Complete();
    }

    private bool InTransaction => raw.sqlite3_get_autocommit(_writer.Handle) == 0;

    private void TryRollback()
    {
        try
        {
            _writer.Execute("ROLLBACK");
        }
        catch (SqliteException)
        {
            // The next batch tries again before it begins.
        }
    }

    private string ConnectionString(SqliteOpenMode mode) =>
        new SqliteConnectionStringBuilder { DataSource = DatabasePath, Mode = mode, Pooling = false, DefaultTimeout = 5 }.ToString();

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Opened the gateway simulator's database {DatabasePath}.")]
    private static partial void LogOpened(ILogger logger, string databasePath);

    /// <summary>A write waiting for the writer loop, and how its caller is answered.</summary>
    private abstract class QueuedWrite
    {
        /// <summary>Runs the write; false if it threw (its outcome is then that exception, once the batch commits).</summary>
        public abstract bool Run(SqliteConnection connection);

        public abstract bool CancelIfRequested();

        /// <summary>Answers the caller with what <see cref="Run"/> produced: the batch committed.</summary>
        public abstract void Complete();

        public abstract void Fail(Exception exception);
    }

    private sealed class QueuedWrite<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken) : QueuedWrite
    {
        private readonly TaskCompletionSource<T> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _error;

        public Task<T> Outcome => _answer.Task;

        public override bool Run(SqliteConnection connection)
        {
            try
            {
                _result = work(connection);
                return true;
            }
            catch (Exception exception)
            {
                _error = exception;
                return false;
            }
        }

        public override bool CancelIfRequested() => cancellationToken.IsCancellationRequested && _answer.TrySetCanceled(cancellationToken);

        public override void Complete()
        {
            if (_error is null) _answer.TrySetResult(_result!);
            else _answer.TrySetException(_error);
        }

        public override void Fail(Exception exception) => _answer.TrySetException(_error ?? exception);
    }
}

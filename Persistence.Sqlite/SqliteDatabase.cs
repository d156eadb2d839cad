using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;

namespace AdWallet.Persistence.Sqlite;

/// <summary>
/// The embedded SQLite database file shared by the SQLite providers of a silo: one per process. Every write goes
/// through one writer that commits them in batches (<see cref="SqliteBatchWriter"/>), so writes never wait for a lock
/// on a caller's thread; reads use a small pool of read-only connections, which WAL lets run alongside the writer.
/// </summary>
/// <remarks>
/// Started by the silo lifecycle (<see cref="ServiceLifecycleStage.RuntimeStorageServices"/>, before grains and
/// reminders run) or by <see cref="StartAsync"/>, whichever comes first; a stopped database does not start again.
/// </remarks>
public sealed partial class SqliteDatabase : ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    /// <summary>How long a statement waits for a lock held by another process before failing.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(5);

    private const int NotStarted = 0;
    private const int Running = 1;
    private const int Stopped = 2;

    private readonly SqliteStorageOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SqliteDatabase> _logger;
    private readonly string _writeConnectionString;
    private readonly string _readConnectionString;
    private readonly SemaphoreSlim _readSlots;
    private readonly ConcurrentBag<SqliteConnection> _idleReaders = [];
    private readonly Lock _lifecycle = new();
    private int _state;
    private SqliteBatchWriter? _writer;

    public SqliteDatabase(IOptions<SqliteStorageOptions> options, TimeProvider time, ILogger<SqliteDatabase> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        DatabasePath = _options.DatabasePath;
        _writeConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString();
        _readConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadOnly,
            // This class pools the readers itself, to bound how many run at once.
            Pooling = false,
        }.ToString();
        ReadConnections = Math.Clamp(Environment.ProcessorCount, 2, 8);
        _readSlots = new SemaphoreSlim(ReadConnections, ReadConnections);
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>The most reads that run at once; further reads wait for a connection.</summary>
    public int ReadConnections { get; }

    public bool IsRunning => Volatile.Read(ref _state) == Running;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SqliteDatabase), ServiceLifecycleStage.RuntimeStorageServices, StartAsync, StopAsync);

    /// <summary>
    /// Opens the file (creating the data folder and applying the schema) and starts the writer. Does nothing if the
    /// database is running already; throws if it has been stopped.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        lock (_lifecycle)
        {
            if (_state == Running) return Task.CompletedTask;
            if (_state == Stopped) throw new InvalidOperationException($"The SQLite database {DatabasePath} has been stopped and cannot start again.");

            SqliteConnection? connection = null;
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
                connection = new SqliteConnection(_writeConnectionString);
                connection.Open();
                Configure(connection);
                var applied = SqliteSchema.Apply(connection, _time);
                _writer = new SqliteBatchWriter(new SqliteWriteSession(connection), _options.MaxBatchSize, _logger);
                Volatile.Write(ref _state, Running);
                LogOpened(_logger, DatabasePath, _options.Synchronous, SqliteSchema.LatestVersion, applied);
                return Task.CompletedTask;
            }
            catch
            {
                connection?.Dispose();
                throw;
            }
        }
    }

    /// <summary>Stops accepting reads and writes, commits the writes already queued and closes the file.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        SqliteBatchWriter writer;
        lock (_lifecycle)
        {
            if (_state != Running)
            {
                _state = Stopped;
                return;
            }
            _state = Stopped;
            writer = _writer!;
        }
        // Readers close first so that the writer's connection is the last one: closing it checkpoints and removes the WAL.
        while (_idleReaders.TryTake(out var reader)) reader.Dispose();
        await writer.CompleteAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        LogClosed(_logger, DatabasePath);
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    /// <summary>
    /// Queues <paramref name="execute"/> for the writer, which runs it on its own thread. The task completes after the
    /// transaction that ran it has committed, or fails: with the operation's own exception (only its savepoint was
    /// rolled back), or with the reason the whole transaction failed. A write canceled before the writer took it was
    /// never run.
    /// </summary>
    internal Task<TResult> WriteAsync<TResult>(Func<SqliteWriteSession, TResult> execute, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<TResult>(cancellationToken);
        var operation = new SqliteWriteOperation<TResult>(execute, cancellationToken);
        if (Volatile.Read(ref _state) != Running || !_writer!.TryEnqueue(operation))
            operation.Reject(NotRunning());
        return operation.Task;
    }

    /// <summary>Runs <paramref name="read"/> on a pooled read-only connection, waiting for one if all are busy.</summary>
    internal async Task<TResult> ReadAsync<TResult>(Func<SqliteConnection, TResult> read, CancellationToken cancellationToken)
    {
        if (!IsRunning) throw NotRunning();
        await _readSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        SqliteConnection? connection = null;
        try
        {
            if (!IsRunning) throw NotRunning();
            if (!_idleReaders.TryTake(out connection))
            {
                connection = new SqliteConnection(_readConnectionString);
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}";
                command.ExecuteNonQuery();
            }
            var result = read(connection);
            if (IsRunning)
            {
                _idleReaders.Add(connection);
                connection = null;
                // A stop that drained the pool meanwhile would miss this connection.
                if (!IsRunning)
                {
                    while (_idleReaders.TryTake(out var idle)) idle.Dispose();
                }
            }
            return result;
        }
        finally
        {
            connection?.Dispose();
            _readSlots.Release();
        }
    }

    private void Configure(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL";
        var journalMode = (string?)command.ExecuteScalar();
        if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"The SQLite database {DatabasePath} cannot use WAL mode (journal mode is {journalMode}).");

        command.CommandText = $"""
            PRAGMA synchronous = {_options.Synchronous.ToString().ToUpperInvariant()};
            PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds};
            PRAGMA foreign_keys = ON;
            PRAGMA temp_store = MEMORY;
            """;
        command.ExecuteNonQuery();
    }

    private InvalidOperationException NotRunning() => Volatile.Read(ref _state) switch
    {
        NotStarted => new InvalidOperationException($"The SQLite database {DatabasePath} has not been started."),
        _ => new InvalidOperationException($"The SQLite database {DatabasePath} has been stopped."),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Opened the SQLite database {DatabasePath} (synchronous {Synchronous}, schema version {SchemaVersion}, {ScriptsApplied} scripts applied now).")]
    private static partial void LogOpened(ILogger logger, string databasePath, SqliteSynchronous synchronous, int schemaVersion, int scriptsApplied);

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed the SQLite database {DatabasePath}.")]
    private static partial void LogClosed(ILogger logger, string databasePath);
}

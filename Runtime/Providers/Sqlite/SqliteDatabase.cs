using Granary.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Granary.Sqlite;

/// <summary>
/// The embedded SQLite database file shared by the SQLite providers of a silo. Writes go through one writer that
/// commits them in batches (<see cref="SqliteBatchWriter"/>); reads use pooled read-only connections, which WAL lets
/// run alongside the writer.
/// </summary>
public sealed partial class SqliteDatabase : ISiloLifecycleParticipant, IAsyncDisposable, IDisposable
{
    /// <summary>How long a statement waits for a lock held by another process before failing.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(5);

    private const int NotStarted = 0;
    private const int Starting = 1;
    private const int Running = 2;
    private const int Stopped = 3;

    private readonly SqliteStorageOptions _options;
    private readonly ILogger<SqliteDatabase> _logger;
    private readonly string _writeConnectionString;
    private readonly string _readConnectionString;
    private int _state;
    private SqliteBatchWriter? _writer;

    public SqliteDatabase(IOptions<SqliteStorageOptions> options, ILogger<SqliteDatabase> logger)
    {
        _options = options.Value;
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
            Pooling = true,
        }.ToString();
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    public int Stage => SiloLifecycleStage.RuntimeStorage;

    /// <summary>Opens the file (creating the data folder and the schema when missing) and starts the writer.</summary>
    public Task OnStartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, Starting, NotStarted) != NotStarted)
            throw new InvalidOperationException($"The SQLite database {DatabasePath} was already started.");

        SqliteConnection? connection = null;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
            connection = new SqliteConnection(_writeConnectionString);
            connection.Open();
            Configure(connection);
            SqliteSchema.Apply(connection);
            _writer = new SqliteBatchWriter(new SqliteWriteSession(connection), _options.MaxBatchSize, _logger);
            Volatile.Write(ref _state, Running);
            LogOpened(_logger, DatabasePath, _options.Synchronous);
            return Task.CompletedTask;
        }
        catch
        {
            connection?.Dispose();
            Volatile.Write(ref _state, Stopped);
            throw;
        }
    }

    /// <summary>Stops accepting writes, commits those already queued and closes the file.</summary>
    public async Task OnStopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, Stopped, Running) != Running) return;
        // Readers close first so that the writer's connection is the last one: closing it checkpoints and removes the WAL.
        using (var connection = new SqliteConnection(_readConnectionString))
            SqliteConnection.ClearPool(connection);
        await _writer!.CompleteAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        LogClosed(_logger, DatabasePath);
    }

    public async ValueTask DisposeAsync() => await OnStopAsync(CancellationToken.None).ConfigureAwait(false);

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// Queues <paramref name="execute"/> for the writer. The task completes after the transaction that ran it has
    /// committed, or fails: with the operation's own exception (only its savepoint was rolled back), or with the
    /// reason the whole transaction failed. A write canceled before the writer took it was never run.
    /// </summary>
    internal Task<TResult> WriteAsync<TResult>(Func<SqliteWriteSession, TResult> execute, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<TResult>(cancellationToken);
        var operation = new SqliteWriteOperation<TResult>(execute, cancellationToken);
        if (Volatile.Read(ref _state) != Running || !_writer!.TryEnqueue(operation))
            operation.Reject(NotRunning());
        return operation.Task;
    }

    /// <summary>An open read-only connection from the pool; dispose it to return it.</summary>
    internal SqliteConnection OpenReadConnection()
    {
        if (Volatile.Read(ref _state) != Running) throw NotRunning();
        var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        return connection;
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
        NotStarted or Starting => new InvalidOperationException($"The SQLite database {DatabasePath} has not been started."),
        _ => new InvalidOperationException($"The SQLite database {DatabasePath} has been stopped."),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Opened the SQLite database {DatabasePath} (synchronous {Synchronous}).")]
    private static partial void LogOpened(ILogger logger, string databasePath, SqliteSynchronous synchronous);

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed the SQLite database {DatabasePath}.")]
    private static partial void LogClosed(ILogger logger, string databasePath);
}

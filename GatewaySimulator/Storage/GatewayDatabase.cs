using AdWallet.GatewaySimulator.Options;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace AdWallet.GatewaySimulator.Storage;

/// <summary>
/// The simulator's SQLite file. SQLite has one writer: every write takes <see cref="_writeGate"/> and runs in one
/// transaction on the one write connection, so concurrent requests queue here instead of failing with SQLITE_BUSY,
/// and a check-then-insert inside a write is atomic. Reads open their own connections, which WAL runs beside the writer.
/// </summary>
internal sealed partial class GatewayDatabase : IDisposable
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly SqliteConnection _writer;
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
        _readConnectionString = ConnectionString(SqliteOpenMode.ReadOnly);
        LogOpened(logger, DatabasePath);
    }

    public string DatabasePath { get; }

    /// <summary>Runs <paramref name="work"/> in a write transaction, alone; commits if it returns, rolls back if it throws.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            // BEGIN IMMEDIATE: the write lock is taken now, not at the first write, so no other process can slip in between.
            using var transaction = _writer.BeginTransaction(deferred: false);
            var result = work(_writer);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
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
        _writer.Dispose();
        _writeGate.Dispose();
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
}

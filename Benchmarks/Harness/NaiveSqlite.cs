using AdWallet.Persistence.Sqlite;
using Microsoft.Data.Sqlite;

namespace AdWallet.Benchmarks.Harness;

/// <summary>
/// The database of a naive baseline: one SQLite file opened with the SQLite provider's settings (WAL, the same
/// <c>synchronous</c>, busy timeout and foreign keys as <see cref="SqliteDatabase"/>), one connection shared by every
/// worker under an async lock, and commands prepared once. SQLite has one writer, so a connection per worker would
/// only add busy waits; this is as fast as one transaction per operation honestly gets.
/// </summary>
internal sealed class NaiveSqlite : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<SqliteCommand> _commands = [];
    private readonly SqliteCommand _begin;
    private readonly SqliteCommand _commit;
    private readonly SqliteCommand _rollback;

    private NaiveSqlite(SqliteConnection connection)
    {
        _connection = connection;
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");
    }

    /// <summary>Creates <c>naive.db</c> in <paramref name="dataFolder"/> with <paramref name="schema"/>, synchronous=<paramref name="synchronous"/>.</summary>
    public static NaiveSqlite Create(string dataFolder, string schema, SqliteSynchronous synchronous = SqliteSynchronous.Full)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataFolder, "naive.db"),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        connection.Open();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA journal_mode = WAL";
            if (!string.Equals((string?)command.ExecuteScalar(), "wal", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException("The baseline's database cannot use WAL mode.");
            command.CommandText = $"""
                PRAGMA synchronous = {synchronous.ToString().ToUpperInvariant()};
                PRAGMA busy_timeout = {(int)SqliteDatabase.BusyTimeout.TotalMilliseconds};
                PRAGMA foreign_keys = ON;
                {schema}
                """;
            command.ExecuteNonQuery();
        }
        return new NaiveSqlite(connection);
    }

    /// <summary>A command prepared once and reused; <paramref name="parameters"/> are created empty, set them before each use.</summary>
    public SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var parameter in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = parameter });
        command.Prepare();
        _commands.Add(command);
        return command;
    }

    /// <summary>
    /// Runs <paramref name="body"/> in one transaction of its own: BEGIN IMMEDIATE, the body, COMMIT (ROLLBACK if it
    /// throws). Completes after COMMIT, so an answer is durable as far as <c>synchronous</c> makes it.
    /// </summary>
    public async Task<T> TransactionAsync<T>(Func<T> body)
    {
        await _gate.WaitAsync();
        try
        {
            _begin.ExecuteNonQuery();
            T result;
            try
            {
                result = body();
            }
            catch
            {
                _rollback.ExecuteNonQuery();
                throw;
            }
            _commit.ExecuteNonQuery();
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A query outside the workers' transactions, for checks once they have stopped.</summary>
    public T Query<T>(string sql, Func<SqliteDataReader, T> read)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        if (!reader.Read()) throw new InvalidOperationException($"No row for {sql}.");
        return read(reader);
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        foreach (var command in _commands) command.Dispose();
        // Closing the last connection checkpoints and removes the WAL, as the provider's writer does.
        await _connection.DisposeAsync();
        _gate.Dispose();
    }
}

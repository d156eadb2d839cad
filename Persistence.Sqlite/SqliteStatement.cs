using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AdWallet.Persistence.Sqlite;

/// <summary>
/// A statement prepared once on the writer's connection, whose parameters are set by position (1-based). The hot
/// inserts bind hundreds of parameters a millisecond: by position they skip the name lookups and the per-parameter
/// objects that a <see cref="SqliteCommand"/> spends on each execution.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;

    public SqliteStatement(SqliteConnection connection, string sql)
    {
        _database = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var result = raw.sqlite3_prepare_v2(_database, sql, out _statement);
        if (result != raw.SQLITE_OK)
        {
            _statement.Dispose();
            SqliteException.ThrowExceptionForRC(result, _database);
        }
    }

    public void Bind(int position, long value) => Check(raw.sqlite3_bind_int64(_statement, position, value));

    public void Bind(int position, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(_statement, position) : raw.sqlite3_bind_text16(_statement, position, value));

    /// <summary>Runs the statement, which returns no rows, and makes it ready to run again with its values unbound.</summary>
    public void Execute()
    {
        var result = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        // Bound texts are copies that would otherwise stay until the next run.
        raw.sqlite3_clear_bindings(_statement);
        if (result == raw.SQLITE_ROW) throw new InvalidOperationException("A statement run for its effect returned rows.");
        if (result != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(result, _database);
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(result, _database);
    }
}

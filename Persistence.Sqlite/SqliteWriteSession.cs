using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AdWallet.Persistence.Sqlite;

/// <summary>
/// The writer's connection as write operations see it. Commands are prepared on first use and reused for the life of
/// the connection, so the hot statements are compiled once.
/// </summary>
internal sealed class SqliteWriteSession : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SqliteStatement> _statements = new(StringComparer.Ordinal);

    public SqliteWriteSession(SqliteConnection connection) => _connection = connection;

    /// <summary>True while a transaction is open on the connection.</summary>
    public bool InTransaction => raw.sqlite3_get_autocommit(_connection.Handle) == 0;

    /// <summary>The prepared command for <paramref name="sql"/>. Parameters keep their last values; set every one before executing.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            command.Prepare();
            _commands.Add(sql, command);
        }
        return command;
    }

    /// <summary>The prepared statement for <paramref name="sql"/>, bound by position. Bind every parameter before executing.</summary>
    public SqliteStatement Statement(string sql)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            statement = new SqliteStatement(_connection, sql);
            _statements.Add(sql, statement);
        }
        return statement;
    }

    public void Execute(string sql) => Command(sql).ExecuteNonQuery();

    public void Dispose()
    {
        foreach (var command in _commands.Values) command.Dispose();
        _commands.Clear();
        foreach (var statement in _statements.Values) statement.Dispose();
        _statements.Clear();
        _connection.Dispose();
    }
}

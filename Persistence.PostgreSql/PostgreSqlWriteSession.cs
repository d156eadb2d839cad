using Npgsql;
using NpgsqlTypes;

namespace AdWallet.Persistence.PostgreSql;

/// <summary>
/// The writer's connection as write operations see it, inside the batch transaction. Statements are prepared by
/// Npgsql's automatic preparation, so the hot ones are parsed and planned once per connection.
/// </summary>
/// <remarks>
/// The savepoint of an operation is not sent on its own: it goes in front of the operation's first statement, in the
/// same round trip. An operation must therefore execute every command it creates (the first one carries the savepoint).
/// </remarks>
internal sealed class PostgreSqlWriteSession
{
    private string? _pendingSavepoint;

    public PostgreSqlWriteSession(NpgsqlConnection connection) => Connection = connection;

    public NpgsqlConnection Connection { get; }

    /// <summary>A new command on the writer's connection; dispose it after use, and execute it.</summary>
    public NpgsqlCommand Command(string sql)
    {
        if (_pendingSavepoint is not { } savepoint) return new NpgsqlCommand(sql, Connection);
        _pendingSavepoint = null;
        return new NpgsqlCommand(savepoint + ";\n" + sql, Connection);
    }

    public async Task<int> ExecuteAsync(string sql)
    {
        await using var command = Command(sql);
        return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>Sets the savepoint statements that the next command carries.</summary>
    internal void SetPendingSavepoint(string sql) => _pendingSavepoint = sql;

    /// <summary>Sends the savepoint statements if no command carried them (an operation that ran no statement).</summary>
    internal async Task FlushPendingSavepointAsync()
    {
        if (_pendingSavepoint is not { } savepoint) return;
        _pendingSavepoint = null;
        await using var command = new NpgsqlCommand(savepoint, Connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}

internal static class NpgsqlCommandExtensions
{
    /// <summary>Adds a parameter of an explicit type, so that a statement keeps one parameter type whatever the value (null included).</summary>
    public static NpgsqlCommand Bind(this NpgsqlCommand command, string name, NpgsqlDbType type, object? value)
    {
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
        return command;
    }
}

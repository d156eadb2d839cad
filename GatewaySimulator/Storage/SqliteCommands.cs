using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace AdWallet.GatewaySimulator.Storage;

/// <summary>
/// One-line statements: the SQL and its parameters, nothing else at the call site. On a connection that
/// <see cref="KeepPreparedCommands">keeps its commands</see> (the writer's, which runs every write), a statement is
/// compiled on its first use and reused after: Microsoft.Data.Sqlite compiles a command's SQL again for every new
/// command, which cost the writer more than the writes themselves.
/// </summary>
internal static class SqliteCommands
{
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> Prepared = [];

    /// <summary>From now on, <paramref name="connection"/> reuses one prepared command per SQL text until it is disposed.</summary>
    public static void KeepPreparedCommands(this SqliteConnection connection)
    {
        var commands = new Dictionary<string, SqliteCommand>(StringComparer.Ordinal);
        Prepared.AddOrUpdate(connection, commands);
        connection.Disposed += (_, _) =>
        {
            foreach (var command in commands.Values) command.Dispose();
            commands.Clear();
        };
    }

    public static int Execute(this SqliteConnection connection, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var command = connection.Lease(sql, parameters);
        return command.Value.ExecuteNonQuery();
    }

    public static long ScalarLong(this SqliteConnection connection, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        // NULL (an aggregate over no rows) reads as zero.
        connection.Scalar(sql, parameters) ?? 0;

    /// <summary>The first column of the first row; null when there is no row or it holds NULL.</summary>
    public static long? Scalar(this SqliteConnection connection, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var command = connection.Lease(sql, parameters);
        return command.Value.ExecuteScalar() as long?;
    }

    public static List<T> Query<T>(this SqliteConnection connection, Func<SqliteDataReader, T> map, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var command = connection.Lease(sql, parameters);
        using var reader = command.Value.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
            rows.Add(map(reader));
        return rows;
    }

    public static string? NullableString(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static CommandLease Lease(this SqliteConnection connection, string sql, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        SqliteCommand? command = null;
        var kept = Prepared.TryGetValue(connection, out var commands);
        if (kept && !commands!.TryGetValue(sql, out command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            commands.Add(sql, command);
        }
        if (command is null)
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
        }
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return new CommandLease(command, kept);
    }

    /// <summary>A command for one execution: disposed after it unless its connection keeps it.</summary>
    private readonly ref struct CommandLease(SqliteCommand command, bool kept)
    {
        public SqliteCommand Value => command;

        public void Dispose()
        {
            if (!kept) command.Dispose();
        }
    }
}

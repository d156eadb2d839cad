using Microsoft.Data.Sqlite;

namespace AdWallet.GatewaySimulator.Storage;

/// <summary>One-line statements: the SQL and its parameters, nothing else at the call site.</summary>
internal static class SqliteCommands
{
    public static SqliteCommand Command(this SqliteConnection connection, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public static int Execute(this SqliteConnection connection, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var command = connection.Command(sql, parameters);
        return command.ExecuteNonQuery();
    }

    public static long ScalarLong(this SqliteConnection connection, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var command = connection.Command(sql, parameters);
        // NULL (an aggregate over no rows) reads as zero.
        return command.ExecuteScalar() is long value ? value : 0;
    }

    public static List<T> Query<T>(this SqliteConnection connection, Func<SqliteDataReader, T> map, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var command = connection.Command(sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
            rows.Add(map(reader));
        return rows;
    }

    public static string? NullableString(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}

using Microsoft.Data.Sqlite;

namespace Granary.Sqlite;

/// <summary>
/// Creates the tables from the scripts under <c>Sql/</c>, embedded in this assembly; every script is idempotent. Then
/// rebuilds, once, the tables an older version created in a layout the scripts no longer create (<c>Sql/Rebuilds/</c>,
/// one script per table, run while the table still has a rowid).
/// </summary>
internal static class SqliteSchema
{
    private const string ScriptPrefix = "Granary.Sqlite.Sql.";
    private const string RebuildPrefix = "Granary.Sqlite.Rebuilds.";
    private const string ScriptSuffix = ".sql";

    public static void Apply(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        foreach (var (_, script) in LoadScripts(ScriptPrefix))
            Execute(connection, transaction, script);
        foreach (var (table, script) in LoadScripts(RebuildPrefix))
        {
            if (HasRowid(connection, transaction, table)) Execute(connection, transaction, script);
        }
        transaction.Commit();
    }

    /// <summary>True when <paramref name="table"/> exists and was created with a rowid, that is without <c>WITHOUT ROWID</c>.</summary>
    internal static bool HasRowid(SqliteConnection connection, SqliteTransaction? transaction, string table)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = @name";
        command.Parameters.AddWithValue("@name", table);
        return command.ExecuteScalar() is string sql && !sql.Contains("WITHOUT ROWID", StringComparison.OrdinalIgnoreCase);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string script)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = script;
        command.ExecuteNonQuery();
    }

    /// <summary>The scripts under <paramref name="prefix"/> in name order, each with its name (without prefix and suffix).</summary>
    private static IEnumerable<(string Name, string Script)> LoadScripts(string prefix)
    {
        var assembly = typeof(SqliteSchema).Assembly;
        var names = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(ScriptSuffix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (name[prefix.Length..^ScriptSuffix.Length], reader.ReadToEnd());
        }
    }
}

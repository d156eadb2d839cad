using Microsoft.Data.Sqlite;

namespace Granary.Sqlite;

/// <summary>
/// Creates the tables from the scripts under <c>Sql/</c>, embedded in this assembly; every script is idempotent. A table
/// the scripts now create WITHOUT ROWID, but which an older version created with a rowid, is rebuilt once: it is
/// renamed aside, the scripts create it anew, and its rows are copied over.
/// </summary>
internal static class SqliteSchema
{
    private const string ScriptPrefix = "Granary.Sqlite.Sql.";
    private const string ScriptSuffix = ".sql";
    private const string AsideSuffix = "_with_rowid";

    /// <summary>The tables the scripts create WITHOUT ROWID.</summary>
    private static readonly string[] KeyOrderedTables = ["grain_journal", "grain_state_item"];

    public static void Apply(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        var scripts = LoadScripts().ToList();
        RunScripts(connection, transaction, scripts);
        var rebuilt = KeyOrderedTables.Where(table => HasRowid(connection, transaction, table)).ToList();
        if (rebuilt.Count > 0)
        {
            foreach (var table in rebuilt) SetAside(connection, transaction, table);
            RunScripts(connection, transaction, scripts);
            foreach (var table in rebuilt) CopyBack(connection, transaction, table);
        }
        transaction.Commit();
    }

    /// <summary>True when <paramref name="table"/> exists and was created with a rowid, that is without <c>WITHOUT ROWID</c>.</summary>
    internal static bool HasRowid(SqliteConnection connection, SqliteTransaction? transaction, string table)
    {
        using var command = Command(connection, transaction, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = @name");
        command.Parameters.AddWithValue("@name", table);
        return command.ExecuteScalar() is string sql && !sql.Contains("WITHOUT ROWID", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Renames the table aside and drops its indexes, whose names the scripts create again.</summary>
    private static void SetAside(SqliteConnection connection, SqliteTransaction transaction, string table)
    {
        var indexes = new List<string>();
        using (var query = Command(connection, transaction, "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = @table AND sql IS NOT NULL"))
        {
            query.Parameters.AddWithValue("@table", table);
            using var reader = query.ExecuteReader();
            while (reader.Read()) indexes.Add(reader.GetString(0));
        }
        foreach (var index in indexes) Execute(connection, transaction, $"DROP INDEX \"{index}\"");
        Execute(connection, transaction, $"ALTER TABLE \"{table}\" RENAME TO \"{table}{AsideSuffix}\"");
    }

    private static void CopyBack(SqliteConnection connection, SqliteTransaction transaction, string table)
    {
        var columns = new List<string>();
        using (var query = Command(connection, transaction, $"SELECT name FROM pragma_table_info('{table}')"))
        {
            using var reader = query.ExecuteReader();
            while (reader.Read()) columns.Add($"\"{reader.GetString(0)}\"");
        }
        var list = string.Join(", ", columns);
        Execute(connection, transaction, $"INSERT INTO \"{table}\" ({list}) SELECT {list} FROM \"{table}{AsideSuffix}\"");
        Execute(connection, transaction, $"DROP TABLE \"{table}{AsideSuffix}\"");
    }

    private static void RunScripts(SqliteConnection connection, SqliteTransaction transaction, IEnumerable<string> scripts)
    {
        foreach (var script in scripts) Execute(connection, transaction, script);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = Command(connection, transaction, sql);
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static IEnumerable<string> LoadScripts()
    {
        var assembly = typeof(SqliteSchema).Assembly;
        var names = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ScriptPrefix, StringComparison.Ordinal) && name.EndsWith(ScriptSuffix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return reader.ReadToEnd();
        }
    }
}

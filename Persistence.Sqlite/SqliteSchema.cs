using System.Globalization;
using Microsoft.Data.Sqlite;

namespace AdWallet.Persistence.Sqlite;

/// <summary>
/// Creates the tables from the versioned scripts under <c>Sql/</c> (<c>NNN_Name.sql</c>), embedded in this assembly.
/// <c>schema_version</c> records the scripts applied; a start applies those above the highest recorded, in one
/// transaction, so a database is never left half upgraded. Scripts are idempotent as well, so that a database created
/// by hand with the same statements upgrades cleanly.
/// </summary>
internal static class SqliteSchema
{
    private const string ScriptPrefix = "AdWallet.Persistence.Sqlite.Sql.";
    private const string ScriptSuffix = ".sql";

    private const string CreateVersionTableSql = """
        CREATE TABLE IF NOT EXISTS schema_version
        (
            version    INTEGER NOT NULL PRIMARY KEY,
            name       TEXT    NOT NULL,
            applied_at INTEGER NOT NULL -- UTC ticks
        )
        """;

    /// <summary>The scripts embedded in this assembly, by version.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts { get; } = LoadScripts();

    /// <summary>The version of the newest script.</summary>
    public static int LatestVersion => Scripts[^1].Version;

    /// <summary>Applies the scripts the database lacks. Returns how many were applied.</summary>
    public static int Apply(SqliteConnection connection, TimeProvider time)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, transaction, CreateVersionTableSql);
        var current = Convert.ToInt32(Scalar(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_version"), CultureInfo.InvariantCulture);
        if (current > LatestVersion)
            throw new InvalidOperationException(
                $"The SQLite database has schema version {current}, newer than this build knows ({LatestVersion}).");

        var applied = 0;
        foreach (var (version, name, sql) in Scripts.Where(script => script.Version > current))
        {
            Execute(connection, transaction, sql);
            using var record = Command(connection, transaction, "INSERT INTO schema_version (version, name, applied_at) VALUES (@version, @name, @applied_at)");
            record.Parameters.AddWithValue("@version", version);
            record.Parameters.AddWithValue("@name", name);
            record.Parameters.AddWithValue("@applied_at", time.GetUtcNow().UtcTicks);
            record.ExecuteNonQuery();
            applied++;
        }
        transaction.Commit();
        return applied;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = Command(connection, transaction, sql);
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = Command(connection, transaction, sql);
        return command.ExecuteScalar();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static List<(int Version, string Name, string Sql)> LoadScripts()
    {
        var assembly = typeof(SqliteSchema).Assembly;
        var scripts = new List<(int Version, string Name, string Sql)>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ScriptPrefix, StringComparison.Ordinal) || !resource.EndsWith(ScriptSuffix, StringComparison.Ordinal)) continue;
            var name = resource[ScriptPrefix.Length..^ScriptSuffix.Length];
            var separator = name.IndexOf('_', StringComparison.Ordinal);
            if (separator <= 0 || !int.TryParse(name.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
                throw new InvalidOperationException($"Schema script {name} is not named NNN_Name.sql.");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            scripts.Add((version, name, reader.ReadToEnd()));
        }
        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < scripts.Count; i++)
        {
            if (scripts[i].Version == scripts[i - 1].Version)
                throw new InvalidOperationException($"Schema scripts {scripts[i - 1].Name} and {scripts[i].Name} have the same version.");
        }
        if (scripts.Count == 0) throw new InvalidOperationException("No schema scripts are embedded.");
        return scripts;
    }
}

using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Granary.PostgreSql;

/// <summary>
/// Creates or migrates the schema from the scripts under <c>Sql/</c> (embedded in this assembly), safely when several
/// silos start at once: everything runs in one transaction that first takes a transaction-level advisory lock, so
/// silos migrate one after the other and each sees what the previous one committed. <c>schema_version</c> records the
/// number of every script applied; a script runs only if its number is missing there, and is idempotent all the same.
/// </summary>
internal static class PostgreSqlSchema
{
    /// <summary>The advisory lock key of migrations, the same for every schema and silo: "GRANARY\0".</summary>
    public const long MigrationLockKey = 0x4752_414E_4152_5900;

    /// <summary>How long a silo waits for another one's migration, and for a script to run.</summary>
    public static readonly TimeSpan MigrationTimeout = TimeSpan.FromMinutes(5);

    private const string ResourcePrefix = "Granary.PostgreSql.Sql.";

    /// <summary>The embedded scripts in the order they are applied.</summary>
    public static IReadOnlyList<Migration> Migrations { get; } = LoadMigrations();

    /// <summary>Applies the migrations missing from <paramref name="schema"/>, creating it when needed. Returns those it applied.</summary>
    public static async Task<IReadOnlyList<Migration>> ApplyAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        var quotedSchema = QuoteIdentifier(schema);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(@key)", cancellationToken, ("key", NpgsqlDbType.Bigint, MigrationLockKey)).ConfigureAwait(false);

        // Checked before creating: CREATE ... IF NOT EXISTS needs the CREATE privilege even when there is nothing to create,
        // and a silo whose role may only read and write must still start on a schema that is up to date.
        var schemaExists = await ScalarAsync(connection, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @schema)", cancellationToken,
            ("schema", NpgsqlDbType.Text, schema)).ConfigureAwait(false) is true;
        if (!schemaExists) await ExecuteAsync(connection, $"CREATE SCHEMA {quotedSchema}", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"SET LOCAL search_path TO {quotedSchema}", cancellationToken).ConfigureAwait(false);

        var versionTableExists = await ScalarAsync(connection, "SELECT to_regclass(@name) IS NOT NULL", cancellationToken,
            ("name", NpgsqlDbType.Text, $"{quotedSchema}.schema_version")).ConfigureAwait(false) is true;
        if (!versionTableExists)
        {
            await ExecuteAsync(connection, """
                CREATE TABLE schema_version
                (
                    version    integer     NOT NULL PRIMARY KEY,
                    name       text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, cancellationToken).ConfigureAwait(false);
        }

        var applied = new HashSet<int>();
        await using (var command = new NpgsqlCommand("SELECT version FROM schema_version", connection))
        {
            command.CommandTimeout = (int)MigrationTimeout.TotalSeconds;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) applied.Add(reader.GetInt32(0));
        }

        var newlyApplied = new List<Migration>();
        foreach (var migration in Migrations)
        {
            if (applied.Contains(migration.Version)) continue;
            await ExecuteAsync(connection, migration.Sql, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, "INSERT INTO schema_version (version, name) VALUES (@version, @name)", cancellationToken,
                ("version", NpgsqlDbType.Integer, migration.Version), ("name", NpgsqlDbType.Text, migration.Name)).ConfigureAwait(false);
            newlyApplied.Add(migration);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return newlyApplied;
    }

    /// <summary>The identifier as a quoted SQL identifier.</summary>
    public static string QuoteIdentifier(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken,
        params (string Name, NpgsqlDbType Type, object Value)[] parameters)
    {
        await using var command = CreateCommand(connection, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken,
        params (string Name, NpgsqlDbType Type, object Value)[] parameters)
    {
        await using var command = CreateCommand(connection, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlCommand CreateCommand(NpgsqlConnection connection, string sql, (string Name, NpgsqlDbType Type, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection) { CommandTimeout = (int)MigrationTimeout.TotalSeconds };
        foreach (var (name, type, value) in parameters) command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value });
        return command;
    }

    private static List<Migration> LoadMigrations()
    {
        var assembly = typeof(PostgreSqlSchema).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal))
        {
            var name = resource[ResourcePrefix.Length..^".sql".Length];
            var underscore = name.IndexOf('_');
            if (underscore <= 0 || !int.TryParse(name[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version <= 0)
                throw new InvalidOperationException($"The migration script {name}.sql must be named NNN_Description.sql with a positive number NNN.");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(version, name, reader.ReadToEnd()));
        }
        migrations.Sort((left, right) => left.Version.CompareTo(right.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
                throw new InvalidOperationException($"The migration scripts {migrations[i - 1].Name}.sql and {migrations[i].Name}.sql have the same number.");
        }
        return migrations;
    }

    /// <summary>One embedded script: <see cref="Version"/> is the number its file name starts with.</summary>
    internal sealed record Migration(int Version, string Name, string Sql);
}

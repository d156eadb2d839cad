using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace AdWallet.Persistence.PostgreSql;

/// <summary>
/// Creates the tables of the cluster database from the scripts under <c>Sql/</c>, embedded in this assembly and
/// applied in the order of their numbers: the Orleans query catalog, clustering, reminders, grain state.
/// </summary>
/// <remarks>
/// Silos start at the same time, so everything runs in one transaction that first takes a transaction-scoped advisory
/// lock (<c>pg_advisory_xact_lock</c>): processes apply the scripts one after the other, and each sees what the one
/// before committed. <c>adwallet_schema_version</c> records the number of every script applied, and a script runs
/// only if its number is missing there; the scripts are idempotent all the same (IF NOT EXISTS, ON CONFLICT).
/// <para>
/// Where: every object is created unqualified, in the first schema of the search path. With
/// <see cref="PostgreSqlStorageOptions.Schema"/> set, that schema is created if missing and made the search path for
/// the transaction (the effective connection string sets it for every other connection). Without it, the connection's
/// own search path decides (normally <c>public</c>). Orleans' ADO.NET queries name tables unqualified as well, so they
/// find them there as long as they get the same effective connection string.
/// </para>
/// </remarks>
public static class PostgreSqlSchema
{
    /// <summary>The advisory lock key of schema changes, the same for every schema and process: "ADWALLET" in ASCII.</summary>
    public const long LockKey = 0x4144_5741_4C4C_4554;

    /// <summary>How long a process waits for another one's schema change, and for a script to run.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private const string ResourcePrefix = "AdWallet.Persistence.PostgreSql.Sql.";

    /// <summary>The embedded scripts in the order they are applied.</summary>
    public static IReadOnlyList<Script> Scripts { get; } = LoadScripts();

    /// <summary>Applies the scripts missing from the database of <paramref name="options"/>; returns those it applied.</summary>
    public static async Task<IReadOnlyList<Script>> ApplyAsync(PostgreSqlStorageOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new NpgsqlConnectionStringBuilder(options.EffectiveConnectionString()) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ApplyAsync(connection, options.Schema, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies the scripts missing from <paramref name="schema"/> (null: the connection's search path) on an open connection.</summary>
    public static async Task<IReadOnlyList<Script>> ApplyAsync(NpgsqlConnection connection, string? schema, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(@key)", cancellationToken, ("key", NpgsqlDbType.Bigint, LockKey)).ConfigureAwait(false);

        if (!string.IsNullOrEmpty(schema))
        {
            // Checked before creating: CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege even when there is nothing
            // to create, and a process whose role may only read and write must still start on an up-to-date schema.
            var exists = await ScalarAsync(connection, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @schema)", cancellationToken,
                ("schema", NpgsqlDbType.Text, schema)).ConfigureAwait(false) is true;
            var quoted = PostgreSqlStorageOptions.QuoteIdentifier(schema);
            if (!exists) await ExecuteAsync(connection, $"CREATE SCHEMA {quoted}", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"SET LOCAL search_path TO {quoted}", cancellationToken).ConfigureAwait(false);
        }
        if (await ScalarAsync(connection, "SELECT current_schema()", cancellationToken).ConfigureAwait(false) is not string current)
        {
            throw new InvalidOperationException(
                $"No schema of the connection's search path exists: set {PostgreSqlStorageOptions.SchemaKey}, or a Search Path naming an existing schema.");
        }

        var versionTableExists = await ScalarAsync(connection, "SELECT to_regclass(@name) IS NOT NULL", cancellationToken,
            ("name", NpgsqlDbType.Text, $"{PostgreSqlStorageOptions.QuoteIdentifier(current)}.adwallet_schema_version")).ConfigureAwait(false) is true;
        if (!versionTableExists)
        {
            await ExecuteAsync(connection, """
                CREATE TABLE adwallet_schema_version
                (
                    version    integer     NOT NULL PRIMARY KEY,
                    name       text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, cancellationToken).ConfigureAwait(false);
        }

        var applied = new HashSet<int>();
        await using (var command = CreateCommand(connection, "SELECT version FROM adwallet_schema_version", []))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) applied.Add(reader.GetInt32(0));
        }

        var newlyApplied = new List<Script>();
        foreach (var script in Scripts)
        {
            if (applied.Contains(script.Version)) continue;
            await ExecuteAsync(connection, script.Sql, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, "INSERT INTO adwallet_schema_version (version, name) VALUES (@version, @name)", cancellationToken,
                ("version", NpgsqlDbType.Integer, script.Version), ("name", NpgsqlDbType.Text, script.Name)).ConfigureAwait(false);
            newlyApplied.Add(script);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return newlyApplied;
    }

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
        var command = new NpgsqlCommand(sql, connection) { CommandTimeout = (int)Timeout.TotalSeconds };
        foreach (var (name, type, value) in parameters) command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value });
        return command;
    }

    private static List<Script> LoadScripts()
    {
        var assembly = typeof(PostgreSqlSchema).Assembly;
        var scripts = new List<Script>();
        foreach (var resource in assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..^".sql".Length];
            var underscore = name.IndexOf('_');
            if (underscore <= 0 || !int.TryParse(name[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version <= 0)
                throw new InvalidOperationException($"The schema script {name}.sql must be named NNN_Description.sql with a positive number NNN.");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            scripts.Add(new Script(version, name, reader.ReadToEnd()));
        }
        scripts.Sort((left, right) => left.Version.CompareTo(right.Version));
        for (var i = 1; i < scripts.Count; i++)
        {
            if (scripts[i].Version == scripts[i - 1].Version)
                throw new InvalidOperationException($"The schema scripts {scripts[i - 1].Name}.sql and {scripts[i].Name}.sql have the same number.");
        }
        return scripts;
    }

    /// <summary>One embedded script: <see cref="Version"/> is the number its file name starts with.</summary>
    public sealed record Script(int Version, string Name, string Sql);
}

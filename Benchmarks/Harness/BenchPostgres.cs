using Npgsql;

namespace Granary.Benchmarks.Harness;

/// <summary>
/// The PostgreSQL server of the benchmarks that need one (<c>wallet-pg</c>, <c>cluster</c>): <c>GRANARY_BENCH_POSTGRES</c>,
/// else <c>GRANARY_TEST_POSTGRES</c> (the tests' server; test.sh prepares one), else the local test server. Each point
/// gets a schema of its own, dropped afterwards.
/// </summary>
internal static class BenchPostgres
{
    public const string ConnectionStringVariable = "GRANARY_BENCH_POSTGRES";

    public const string TestConnectionStringVariable = "GRANARY_TEST_POSTGRES";

    private const string LocalServer = "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;Database=granary_test";

    public static string ConnectionString => Read(ConnectionStringVariable) ?? Read(TestConnectionStringVariable) ?? LocalServer;

    public static string NewSchema(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    /// <summary>A schema name no other run uses: <c>bench_</c> and 12 random hex digits.</summary>
    public static string NewSchemaName() => $"bench_{Guid.NewGuid():N}"[..18];

    /// <summary>A data source whose connections use <paramref name="schema"/>, with at most <paramref name="maxConnections"/> connections.</summary>
    public static NpgsqlDataSource DataSource(string schema, int maxConnections) =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(ConnectionString)
        {
            SearchPath = $"\"{schema}\"",
            MaxPoolSize = maxConnections,
            MinPoolSize = 0,
            // Statements run again and again are prepared on each connection, as the SQLite baselines prepare theirs.
            MaxAutoPrepare = 16,
            AutoPrepareMinUsages = 2,
        });

    public static async Task DropSchemaAsync(string schema)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Whether a silo has created the schema (its migrations commit in one transaction, so the membership table comes last).</summary>
    public static async Task<bool> HasMembershipTableAsync(string schema)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", connection);
        command.Parameters.AddWithValue("table", $"\"{schema}\".silos");
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// The ledger entries of kind <paramref name="category"/> stored in the schema's journal, per grain key (the part of
    /// <c>grain_id</c> after its type): read straight from the table, apart from any grain.
    /// </summary>
    public static async Task<Dictionary<string, long>> CountJournalEntriesAsync(string schema, string category)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT grain_id, count(*) FROM \"{schema}\".grain_journal WHERE category = @category GROUP BY grain_id", connection);
        command.Parameters.AddWithValue("category", category);
        var counts = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var grainId = reader.GetString(0);
            counts[grainId[(grainId.IndexOf('/') + 1)..]] = reader.GetInt64(1);
        }
        return counts;
    }

    private static async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static string? Read(string variable) => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value : null;
}

using Npgsql;

namespace Granary.Benchmarks.Harness;

/// <summary>
/// The PostgreSQL server of the <c>wallet-pg</c> suite: <c>GRANARY_BENCH_POSTGRES</c>, else <c>GRANARY_TEST_POSTGRES</c>
/// (the tests' server; test.sh prepares one). Each point gets a schema of its own, dropped afterwards.
/// </summary>
internal static class BenchPostgres
{
    public const string ConnectionStringVariable = "GRANARY_BENCH_POSTGRES";

    public const string TestConnectionStringVariable = "GRANARY_TEST_POSTGRES";

    public static string ConnectionString =>
        Read(ConnectionStringVariable) ?? Read(TestConnectionStringVariable) ?? throw new InvalidOperationException(
            $"The PostgreSQL scenarios need a server: set {ConnectionStringVariable} (or {TestConnectionStringVariable}) to an Npgsql connection " +
            "string, for example Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;Database=granary_test.");

    public static string NewSchema(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

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

    private static string? Read(string variable) => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value : null;
}

using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Runtime;

namespace AdWallet.Persistence.PostgreSql.Tests;

/// <summary>
/// A scratch schema (<c>pgtest_&lt;guid&gt;</c>) on the test server, so that test runs in parallel never share tables;
/// dropped on dispose with everything in it. The server is <c>ADWALLET_TEST_POSTGRES</c>, else the local default.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string ConnectionStringVariable = "ADWALLET_TEST_POSTGRES";

    public const string DefaultConnectionString = "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;Database=adwallet_test";

    private readonly List<PostgreSqlDatabase> _databases = [];

    public TestDatabase()
    {
        Schema = $"pgtest_{Guid.NewGuid():N}";
    }

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } value ? value : DefaultConnectionString;

    public string Schema { get; }

    public PostgreSqlStorageOptions Options(int maxBatchSize = PostgreSqlStorageOptions.DefaultMaxBatchSize) =>
        new() { ConnectionString = ConnectionString, Schema = Schema, MaxBatchSize = maxBatchSize };

    /// <summary>Configuration as a silo or client reads it.</summary>
    public Dictionary<string, string?> Configuration() => new()
    {
        [PostgreSqlStorageOptions.ConnectionStringKey] = ConnectionString,
        [PostgreSqlStorageOptions.SchemaKey] = Schema,
    };

    /// <summary>A started database on this schema (the schema is applied).</summary>
    public async Task<PostgreSqlDatabase> StartAsync(PostgreSqlStorageOptions? options = null)
    {
        var database = new PostgreSqlDatabase(Microsoft.Extensions.Options.Options.Create(options ?? Options()), NullLogger<PostgreSqlDatabase>.Instance);
        lock (_databases) _databases.Add(database);
        await database.StartAsync();
        return database;
    }

    public async Task<PostgreSqlGrainStorage> StartStorageAsync(string name = "Default") =>
        new(name, await StartAsync(), TimeProvider.System);

    public static GrainId NewGrainId(string type = "test") => GrainId.Create(type, Guid.NewGuid().ToString("N"));

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    public async Task<List<object?[]>> RowsAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            rows.Add([.. row.Select(value => value is DBNull ? null : value)]);
        }
        return rows;
    }

    /// <summary>A connection of its own (no pool) with the scratch schema as its search path.</summary>
    public async Task<NpgsqlConnection> OpenAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = $"\"{Schema}\"", Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        PostgreSqlDatabase[] databases;
        lock (_databases) databases = [.. _databases];
        foreach (var database in databases) await database.StopAsync();
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }
}

using System.Security.Cryptography;
using Npgsql;

namespace AdWallet.Benchmarks.Harness;

/// <summary>
/// A scratch PostgreSQL database for one point: <c>adwallet_bench_&lt;random&gt;</c>, created on the server of
/// <c>ADWALLET_BENCH_POSTGRES</c> (or <c>ADWALLET_TEST_POSTGRES</c>, or the local test server) and dropped, with any
/// connection still on it, when disposed. The server allows 100 connections and is shared, so every user of the
/// scratch database gets a small pool (<see cref="ConnectionString(int)"/>).
/// </summary>
internal sealed class BenchPostgres : IAsyncDisposable
{
    public const string DefaultServer = "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;Database=adwallet_test";

    private readonly string _server;

    private BenchPostgres(string server, string database)
    {
        _server = server;
        Database = database;
    }

    public string Database { get; }

    /// <summary>The server's connection string, from the environment or the local test server.</summary>
    public static string Server =>
        Environment.GetEnvironmentVariable("ADWALLET_BENCH_POSTGRES") is { Length: > 0 } bench ? bench
        : Environment.GetEnvironmentVariable("ADWALLET_TEST_POSTGRES") is { Length: > 0 } test ? test
        : DefaultServer;

    public static async Task<BenchPostgres> CreateAsync()
    {
        var server = Server;
        var database = "adwallet_bench_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        await using (var connection = await OpenAdminAsync(server))
        await using (var command = new NpgsqlCommand($"CREATE DATABASE {database}", connection))
            await command.ExecuteNonQueryAsync();
        return new BenchPostgres(server, database);
    }

    /// <summary>The scratch database with a pool of at most <paramref name="maxPoolSize"/> connections.</summary>
    public string ConnectionString(int maxPoolSize) => new NpgsqlConnectionStringBuilder(_server)
    {
        Database = Database,
        MaxPoolSize = maxPoolSize,
        MinPoolSize = 0,
    }.ConnectionString;

    private static async Task<NpgsqlConnection> OpenAdminAsync(string server)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = await OpenAdminAsync(_server);
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Database} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}

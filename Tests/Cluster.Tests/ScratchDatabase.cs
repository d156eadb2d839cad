using Npgsql;

namespace AdWallet.Cluster.Tests;

/// <summary>A database of its own (<c>adwallet_mp_&lt;random&gt;</c>) on the test server, dropped on dispose.</summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly string _serverConnectionString;

    private ScratchDatabase(string serverConnectionString, string name)
    {
        _serverConnectionString = serverConnectionString;
        Name = name;
        // Pools of at most 5 per process: the two cluster tests run at once (eight processes) on a server of 100
        // connections that other tests share; Npgsql's default of 100 per process let a busy run exhaust it (53300).
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name, MaxPoolSize = 5 }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>The connection string the silos and the API are given.</summary>
    public string ConnectionString { get; }

    public static async Task<ScratchDatabase> CreateAsync(string serverConnectionString)
    {
        var database = new ScratchDatabase(serverConnectionString, $"adwallet_mp_{Guid.NewGuid():N}"[..24]);
        await database.ExecuteOnServerAsync($"CREATE DATABASE \"{database.Name}\"");
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        // FORCE: a silo killed mid-transaction may leave a backend the server has not noticed yet.
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(_serverConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

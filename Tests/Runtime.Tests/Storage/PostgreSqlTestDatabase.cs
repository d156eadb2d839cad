using Granary.PostgreSql;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit;

namespace Granary.Tests.Storage;

/// <summary>
/// A fresh schema (<c>granary_test_&lt;guid&gt;</c>) on the server of <see cref="PostgreSqlTestEnvironment"/>. Databases
/// opened on it are stopped, and the schema dropped, on dispose. Fails at construction when no server is configured.
/// </summary>
public sealed class PostgreSqlTestDatabase : IAsyncDisposable
{
    private readonly List<PostgreSqlDatabase> _databases = [];

    public PostgreSqlTestDatabase()
    {
        ConnectionString = PostgreSqlTestEnvironment.RequireConnectionString();
        Schema = $"granary_test_{Guid.NewGuid():N}";
    }

    public string ConnectionString { get; }

    public string Schema { get; }

    public PostgreSqlStorageOptions NewOptions(int maxBatchSize = PostgreSqlStorageOptions.DefaultMaxBatchSize) =>
        new() { ConnectionString = ConnectionString, Schema = Schema, MaxBatchSize = maxBatchSize };

    /// <summary>A database on this schema, not started.</summary>
    public PostgreSqlDatabase Create(PostgreSqlStorageOptions? options = null)
    {
        var database = new PostgreSqlDatabase(Microsoft.Extensions.Options.Options.Create(options ?? NewOptions()), NullLogger<PostgreSqlDatabase>.Instance);
        lock (_databases) _databases.Add(database);
        return database;
    }

    /// <summary>A started database on this schema.</summary>
    public async Task<PostgreSqlDatabase> StartAsync(PostgreSqlStorageOptions? options = null)
    {
        var database = Create(options);
        await database.OnStartAsync(CancellationToken.None);
        return database;
    }

    /// <summary>Runs <paramref name="query"/> on a connection of its own, outside any Granary database, with the schema as its search path.</summary>
    public async Task<T> QueryAsync<T>(Func<NpgsqlConnection, Task<T>> query)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = $"\"{Schema}\"", Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return await query(connection);
    }

    public Task<object?> ScalarAsync(string sql) => QueryAsync(async connection =>
    {
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    });

    public Task<int> ExecuteAsync(string sql) => QueryAsync(async connection =>
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    });

    /// <summary>
    /// Holds the writer inside a batch of its own, submits <paramref name="submit"/>'s writes while it waits, then lets
    /// it go: the writes queued meanwhile are committed together in the next transaction.
    /// </summary>
    /// <param name="waitForWrites">Whether to return only once every write has completed.</param>
    public static async Task<Task<T>[]> WhileWriterIsHeldAsync<T>(PostgreSqlDatabase database, Func<Task<T>[]> submit, bool waitForWrites = true)
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = database.WriteAsync(async _ =>
        {
            held.SetResult();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return true;
        }, CancellationToken.None);
        await held.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var writes = submit();
        release.SetResult();
        Assert.True(await holder);
        if (waitForWrites) await Task.WhenAll(writes.Select(write => write.ContinueWith(_ => { }, TaskScheduler.Default)));
        return writes;
    }

    public async ValueTask DisposeAsync()
    {
        PostgreSqlDatabase[] databases;
        lock (_databases) databases = [.. _databases];
        foreach (var database in databases) await database.OnStopAsync(CancellationToken.None);
        await ExecuteAsync($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE");
    }
}

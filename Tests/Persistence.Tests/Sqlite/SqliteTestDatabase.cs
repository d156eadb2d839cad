using AdWallet.Persistence.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace AdWallet.Persistence.Tests.Sqlite;

/// <summary>A temporary data folder for SQLite tests. Databases opened on it are stopped, and the folder deleted, on dispose.</summary>
public sealed class SqliteTestDatabase : IAsyncDisposable
{
    private readonly List<SqliteDatabase> _databases = [];

    public SqliteTestDatabase() =>
        DataPath = Directory.CreateTempSubdirectory("adwallet-sqlite-").FullName;

    public string DataPath { get; }

    public SqliteStorageOptions NewOptions(int maxBatchSize = SqliteStorageOptions.DefaultMaxBatchSize) =>
        new() { Path = DataPath, MaxBatchSize = maxBatchSize };

    /// <summary>A database on this folder's file, not started.</summary>
    public SqliteDatabase Create(SqliteStorageOptions? options = null)
    {
        var database = new SqliteDatabase(Microsoft.Extensions.Options.Options.Create(options ?? NewOptions()), TimeProvider.System, NullLogger<SqliteDatabase>.Instance);
        _databases.Add(database);
        return database;
    }

    /// <summary>A started database on this folder's file.</summary>
    public async Task<SqliteDatabase> StartAsync(SqliteStorageOptions? options = null)
    {
        var database = Create(options);
        await database.StartAsync();
        return database;
    }

    /// <summary>
    /// Blocks the writer inside a transaction of its own, submits <paramref name="submit"/>'s writes while it waits,
    /// then lets it go: the writes queued meanwhile are committed together in the next transaction.
    /// </summary>
    public static async Task<Task<string>[]> WhileWriterIsHeldAsync(SqliteDatabase database, Func<Task<string>[]> submit)
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new ManualResetEventSlim();
        var holder = database.WriteAsync(_ =>
        {
            held.SetResult();
            return release.Wait(TimeSpan.FromSeconds(30));
        }, CancellationToken.None);
        await held.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var writes = submit();
        release.Set();
        Assert.True(await holder);
        await Task.WhenAll(writes.Select(write => write.ContinueWith(_ => { }, TaskScheduler.Default)));
        return writes;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases) await database.StopAsync();
        Directory.Delete(DataPath, recursive: true);
    }
}

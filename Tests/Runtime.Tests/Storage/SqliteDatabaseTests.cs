using Granary.Hosting;
using Granary.Sqlite;
using Granary.Storage;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Granary.Tests.Storage;

public sealed class SqliteDatabaseTests : IAsyncLifetime
{
    private readonly SqliteTestDatabase _folder = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _folder.DisposeAsync();

    [Fact]
    public async Task Starting_creates_the_data_folder_and_a_database_in_wal_mode()
    {
        var options = _folder.NewOptions();
        options.Path = Path.Combine(_folder.DataPath, "nested", "data");
        options.FileName = "silo.db";

        var database = await _folder.StartAsync(options);

        Assert.Equal(Path.Combine(options.Path, "silo.db"), database.DatabasePath);
        Assert.True(File.Exists(database.DatabasePath));
        Assert.Equal(SiloLifecycleStage.RuntimeStorage, database.Stage);
        await using var connection = new SqliteConnection($"Data Source={database.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", await command.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData(SqliteSynchronous.Off, 0L)]
    [InlineData(SqliteSynchronous.Normal, 1L)]
    [InlineData(SqliteSynchronous.Full, 2L)]
    [InlineData(SqliteSynchronous.Extra, 3L)]
    public async Task The_writer_uses_the_configured_synchronous_setting_and_foreign_keys(SqliteSynchronous synchronous, long expected)
    {
        var options = _folder.NewOptions();
        options.Synchronous = synchronous;
        var database = await _folder.StartAsync(options);

        var settings = await database.WriteAsync(session => (
            Synchronous: (long)session.Command("PRAGMA synchronous").ExecuteScalar()!,
            ForeignKeys: (long)session.Command("PRAGMA foreign_keys").ExecuteScalar()!), CancellationToken.None);

        Assert.Equal(expected, settings.Synchronous);
        Assert.Equal(1L, settings.ForeignKeys);
    }

    [Fact]
    public async Task A_database_starts_once_and_reopening_the_file_reapplies_the_schema()
    {
        var first = await _folder.StartAsync();
        await first.OnStopAsync(CancellationToken.None);
        var second = await _folder.StartAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => second.OnStartAsync(CancellationToken.None));
        Assert.Equal("1", await Storage(second).WriteAsync("state", GrainId.Create("wallet", "w"), GrainStateWrite.StateOnly("{}", null)));
    }

    [Fact]
    public async Task Reads_and_writes_before_start_fail()
    {
        var database = _folder.Create();
        var storage = Storage(database);
        var grain = GrainId.Create("wallet", "w");

        var write = await Assert.ThrowsAsync<InvalidOperationException>(() => storage.WriteAsync("state", grain, GrainStateWrite.StateOnly("{}", null)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => storage.ReadAsync("state", grain));
        await Assert.ThrowsAsync<InvalidOperationException>(() => new SqliteReminderTable(database).ReadAllRowsAsync());

        Assert.Contains("not been started", write.Message);
    }

    [Fact]
    public async Task Stopping_commits_the_queued_writes_and_refuses_new_ones()
    {
        const int queued = 100;
        var database = await _folder.StartAsync();
        var storage = Storage(database);
        var grains = Enumerable.Range(0, queued).Select(i => GrainId.Create("wallet", $"w{i}")).ToArray();
        Task<string>[] writes = [];
        Task? stopping = null;

        await SqliteTestDatabase.WhileWriterIsHeldAsync(database, () =>
        {
            writes = [.. grains.Select(grain => storage.WriteAsync("state", grain, GrainStateWrite.StateOnly(grain.Key, null)))];
            stopping = database.OnStopAsync(CancellationToken.None);
            return writes;
        });
        await stopping!;

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(
            () => storage.WriteAsync("state", grains[0], GrainStateWrite.StateOnly("late", "1")));
        Assert.Contains("stopped", refused.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => storage.ReadAsync("state", grains[0]));
        foreach (var write in writes) Assert.Equal("1", await write);

        var reopened = Storage(await _folder.StartAsync());
        foreach (var grain in grains)
            Assert.Equal(new GrainStateRecord(grain.Key, "1"), await reopened.ReadAsync("state", grain));
    }

    [Fact]
    public async Task When_commit_fails_every_write_of_the_batch_fails_and_none_is_applied()
    {
        var database = await _folder.StartAsync();
        var storage = Storage(database);
        var grain = GrainId.Create("wallet", "w");
        var eTag = await storage.WriteAsync("state", grain, GrainStateWrite.StateOnly("before", null));

        var writes = await SqliteTestDatabase.WhileWriterIsHeldAsync(database, () =>
        [
            storage.WriteAsync("state", grain, GrainStateWrite.StateOnly("after", eTag)),
            storage.WriteAsync("state", GrainId.Create("wallet", "other"), GrainStateWrite.StateOnly("new", null)),
            // A journal row without its state row passes the statement because the foreign key check is deferred,
            // and fails the COMMIT.
            database.WriteAsync(session =>
            {
                session.Execute("PRAGMA defer_foreign_keys = ON");
                session.Execute("INSERT INTO grain_journal VALUES ('Default', 'state', 'wallet/orphan', 1, NULL, 0, '{}')");
                return "orphan";
            }, CancellationToken.None),
        ]);

        foreach (var write in writes)
        {
            var exception = await Assert.ThrowsAsync<SqliteException>(() => write);
            Assert.Contains("FOREIGN KEY", exception.Message);
        }
        Assert.Equal(new GrainStateRecord("before", eTag), await storage.ReadAsync("state", grain));
        Assert.Equal(GrainStateRecord.None, await storage.ReadAsync("state", GrainId.Create("wallet", "other")));
        Assert.Equal("2", await storage.WriteAsync("state", grain, GrainStateWrite.StateOnly("after", eTag)));
    }

    [Fact]
    public async Task When_sqlite_abandons_the_transaction_every_write_of_the_batch_fails_with_the_cause()
    {
        var database = await _folder.StartAsync();
        var storage = Storage(database);
        var grains = Enumerable.Range(0, 4).Select(i => GrainId.Create("wallet", $"w{i}")).ToArray();

        var writes = await SqliteTestDatabase.WhileWriterIsHeldAsync(database, () =>
        [
            storage.WriteAsync("state", grains[0], GrainStateWrite.StateOnly("before", null)),
            storage.WriteAsync("state", grains[1], GrainStateWrite.StateOnly("before", null)),
            // What SQLite does on an I/O error or a full disk: the whole transaction is rolled back.
            database.WriteAsync<string>(session =>
            {
                session.Execute("ROLLBACK");
                throw new IOException("disk I/O error");
            }, CancellationToken.None),
            storage.WriteAsync("state", grains[2], GrainStateWrite.StateOnly("after", null)),
        ]);

        foreach (var write in writes)
            Assert.Equal("disk I/O error", (await Assert.ThrowsAsync<IOException>(() => write)).Message);
        foreach (var grain in grains)
            Assert.Equal(GrainStateRecord.None, await storage.ReadAsync("state", grain));
        Assert.Equal("1", await storage.WriteAsync("state", grains[3], GrainStateWrite.StateOnly("next batch", null)));
    }

    private static SqliteGrainStorage Storage(SqliteDatabase database) => new(StorageNames.Default, database, TimeProvider.System);
}

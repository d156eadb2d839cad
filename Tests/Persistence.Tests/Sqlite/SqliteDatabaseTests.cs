using AdWallet.Persistence.Sqlite;
using Microsoft.Data.Sqlite;
using Orleans.Runtime;

namespace AdWallet.Persistence.Tests.Sqlite;

public sealed class SqliteDatabaseTests : IAsyncLifetime
{
    private readonly SqliteTestDatabase _folder = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _folder.DisposeAsync();

    private static readonly GrainId Wallet = GrainId.Create("wallet", "w");

    [Fact]
    public async Task Starting_creates_the_data_folder_and_a_database_in_wal_mode()
    {
        var options = _folder.NewOptions();
        options.Path = Path.Combine(_folder.DataPath, "nested", "data");
        options.FileName = "silo.db";

        var database = await _folder.StartAsync(options);

        Assert.Equal(Path.Combine(options.Path, "silo.db"), database.DatabasePath);
        Assert.True(File.Exists(database.DatabasePath));
        Assert.Equal("wal", await ScalarAsync(database.DatabasePath, "PRAGMA journal_mode"));
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
    public async Task The_schema_is_versioned_and_applied_once()
    {
        var first = await _folder.StartAsync();
        var path = first.DatabasePath;
        await first.StopAsync();
        await (await _folder.StartAsync()).StopAsync();

        Assert.Equal((long)SqliteSchema.LatestVersion, await ScalarAsync(path, "SELECT MAX(version) FROM schema_version"));
        Assert.Equal((long)SqliteSchema.Scripts.Count, await ScalarAsync(path, "SELECT COUNT(*) FROM schema_version"));
        Assert.Equal(["001_GrainState", "002_Reminders"], SqliteSchema.Scripts.Select(script => script.Name).Take(2));
        foreach (var table in new[] { "grain_state", "grain_state_data", "grain_journal", "grain_state_item", "reminders", "reminder_etag" })
            Assert.Equal(1L, await ScalarAsync(path, $"SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = '{table}'"));
        Assert.Equal(1L, await ScalarAsync(path, "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index' AND name = 'grain_state_item_sequence'"));
    }

    [Fact]
    public async Task Newest_first_item_pages_use_the_sequence_index()
    {
        var database = await _folder.StartAsync();
        var storage = new SqliteGrainStorage(JournalStorageNames.Default, database, TimeProvider.System);
        await storage.ReadItemsAsync("balance", Wallet, new ItemQuery("charges", 10, 5));

        var plan = await database.ReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                EXPLAIN QUERY PLAN SELECT collection, item_key, sequence, data FROM grain_state_item
                WHERE storage_name = 'Default' AND state_name = 'balance' AND grain_id = 'wallet/w' AND collection = 'charges' AND sequence < 10
                ORDER BY sequence DESC, item_key DESC LIMIT 5
                """;
            using var reader = command.ExecuteReader();
            var details = new List<string>();
            while (reader.Read()) details.Add(reader.GetString(3));
            return string.Join("\n", details);
        }, CancellationToken.None);

        Assert.Contains("grain_state_item_sequence", plan);
        Assert.DoesNotContain("TEMP B-TREE", plan);
    }

    [Fact]
    public async Task A_database_starts_once_and_does_not_start_again_after_stopping()
    {
        var database = await _folder.StartAsync();

        await database.StartAsync();
        Assert.True(database.IsRunning);
        await database.StopAsync();
        await database.StopAsync();

        Assert.False(database.IsRunning);
        await Assert.ThrowsAsync<InvalidOperationException>(() => database.StartAsync());
        var reopened = new SqliteGrainStorage(JournalStorageNames.Default, await _folder.StartAsync(), TimeProvider.System);
        Assert.Equal(JournalStateRecord.None, await reopened.ReadAsync("state", Wallet));
    }

    [Fact]
    public async Task Reads_and_writes_before_start_fail()
    {
        var database = _folder.Create();
        var storage = new SqliteGrainStorage(JournalStorageNames.Default, database, TimeProvider.System);

        var write = await Assert.ThrowsAsync<InvalidOperationException>(() => Write(storage, Wallet, "{}", null));
        await Assert.ThrowsAsync<InvalidOperationException>(() => storage.ReadAsync("state", Wallet));
        await Assert.ThrowsAsync<InvalidOperationException>(() => new SqliteReminderTable(database).ReadRows(Wallet));

        Assert.Contains("not been started", write.Message);
    }

    [Fact]
    public async Task Stopping_commits_the_queued_writes_and_refuses_new_ones()
    {
        const int queued = 100;
        var database = await _folder.StartAsync();
        var storage = new SqliteGrainStorage(JournalStorageNames.Default, database, TimeProvider.System);
        var grains = Enumerable.Range(0, queued).Select(i => GrainId.Create("wallet", $"w{i}")).ToArray();
        Task<string>[] writes = [];
        Task? stopping = null;

        await SqliteTestDatabase.WhileWriterIsHeldAsync(database, () =>
        {
            writes = [.. grains.Select(grain => Write(storage, grain, grain.Key.ToString()!, null))];
            stopping = database.StopAsync();
            return writes;
        });
        await stopping!;

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Write(storage, grains[0], "late", "1"));
        Assert.Contains("stopped", refused.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => storage.ReadAsync("state", grains[0]));
        foreach (var write in writes) Assert.Equal("1", await write);

        var reopened = new SqliteGrainStorage(JournalStorageNames.Default, await _folder.StartAsync(), TimeProvider.System);
        foreach (var grain in grains)
            Assert.Equal(new JournalStateRecord(grain.Key.ToString(), "1"), await reopened.ReadAsync("state", grain));
    }

    [Fact]
    public async Task When_commit_fails_every_write_of_the_batch_fails_and_none_is_applied()
    {
        var database = await _folder.StartAsync();
        var storage = new SqliteGrainStorage(JournalStorageNames.Default, database, TimeProvider.System);
        var other = GrainId.Create("wallet", "other");
        var eTag = await Write(storage, Wallet, "before", null);

        var writes = await SqliteTestDatabase.WhileWriterIsHeldAsync(database, () =>
        [
            Write(storage, Wallet, "after", eTag),
            Write(storage, other, "new", null),
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
        Assert.Equal(new JournalStateRecord("before", eTag), await storage.ReadAsync("state", Wallet));
        Assert.Equal(JournalStateRecord.None, await storage.ReadAsync("state", other));
        Assert.Equal("2", await Write(storage, Wallet, "after", eTag));
    }

    [Fact]
    public async Task When_sqlite_abandons_the_transaction_every_write_of_the_batch_fails_with_the_cause()
    {
        var database = await _folder.StartAsync();
        var storage = new SqliteGrainStorage(JournalStorageNames.Default, database, TimeProvider.System);
        var grains = Enumerable.Range(0, 4).Select(i => GrainId.Create("wallet", $"w{i}")).ToArray();

        var writes = await SqliteTestDatabase.WhileWriterIsHeldAsync(database, () =>
        [
            Write(storage, grains[0], "before", null),
            Write(storage, grains[1], "before", null),
            // What SQLite does on an I/O error or a full disk: the whole transaction is rolled back.
            database.WriteAsync<string>(session =>
            {
                session.Execute("ROLLBACK");
                throw new IOException("disk I/O error");
            }, CancellationToken.None),
            Write(storage, grains[2], "after", null),
        ]);

        foreach (var write in writes)
            Assert.Equal("disk I/O error", (await Assert.ThrowsAsync<IOException>(() => write)).Message);
        foreach (var grain in grains)
            Assert.Equal(JournalStateRecord.None, await storage.ReadAsync("state", grain));
        Assert.Equal("1", await Write(storage, grains[3], "next batch", null));
    }

    [Fact]
    public async Task Writes_run_on_the_writer_thread_not_the_callers()
    {
        var database = await _folder.StartAsync();
        var caller = Environment.CurrentManagedThreadId;

        var (first, isPool) = await database.WriteAsync(_ => (Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread), CancellationToken.None);
        var again = await database.WriteAsync(_ => Environment.CurrentManagedThreadId, CancellationToken.None);

        Assert.NotEqual(caller, first);
        Assert.Equal(first, again);
        Assert.False(isPool);
    }

    [Fact]
    public async Task Concurrent_reads_are_bounded_by_the_read_pool_and_all_complete()
    {
        var database = await _folder.StartAsync();
        var storage = new SqliteGrainStorage(JournalStorageNames.Default, database, TimeProvider.System);
        await Write(storage, Wallet, "{}", null);
        var running = 0;
        var most = 0;
        // Each read waits inside its connection until the pool is full, so the reads really overlap; the deadline only
        // keeps a broken pool from hanging the test.
        using var poolFull = new ManualResetEventSlim();

        var reads = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => database.ReadAsync(connection =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            if (now == database.ReadConnections) poolFull.Set();
            poolFull.Wait(TimeSpan.FromSeconds(10));
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM grain_state";
            var count = (long)command.ExecuteScalar()!;
            Interlocked.Decrement(ref running);
            return count;
        }, CancellationToken.None))));

        Assert.All(reads, count => Assert.Equal(1L, count));
        Assert.True(poolFull.IsSet, "The reads never filled the read pool.");
        Assert.Equal(database.ReadConnections, most);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current) return;
            current = seen;
        }
    }

    private static Task<string> Write(SqliteGrainStorage storage, GrainId grain, string data, string? eTag) =>
        storage.WriteAsync("state", grain, new FixedWrite(new JournalWrite(data, eTag, [], [])));

    private static async Task<object?> ScalarAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private sealed class FixedWrite(JournalWrite write) : IDeferredJournalWrite
    {
        public JournalWrite Take() => write;

        public void Executed(string etag)
        {
        }
    }
}

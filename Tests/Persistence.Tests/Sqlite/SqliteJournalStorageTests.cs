using AdWallet.Persistence.Sqlite;
using Orleans.Storage;

namespace AdWallet.Persistence.Tests.Sqlite;

public sealed class SqliteJournalStorageTests : JournalStorageConformance, IAsyncLifetime
{
    private readonly SqliteTestDatabase _folder = new();
    private readonly Dictionary<IJournalStorage, SqliteDatabase> _databases = [];

    protected override async Task<IJournalStorage> CreateStorageAsync()
    {
        var database = await _folder.StartAsync();
        var storage = Storage(database);
        _databases[storage] = database;
        return storage;
    }

    /// <summary>Holds the writer so that every write submitted is queued and committed in one transaction.</summary>
    protected override Task<Task<string>[]> WhileWritesAreHeldAsync(IJournalStorage storage, Func<Task<string>[]> submit) =>
        SqliteTestDatabase.WhileWriterIsHeldAsync(_databases[storage], submit);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _folder.DisposeAsync();

    [Fact]
    public async Task State_journal_items_and_tombstones_survive_reopening_the_database()
    {
        var grain = NewGrainId();
        var first = await _folder.StartAsync();
        var eTag = await WriteAsync(Storage(first), StateName, grain, new JournalWrite("kept", null, [Entry(1, "charge"), Entry(2)], [Item("charges", "c1", 1)]));
        var tombstone = await ClearAsync(Storage(first), grain, null, "cleared");
        await first.StopAsync();

        var storage = Storage(await _folder.StartAsync());

        Assert.Equal(new JournalStateRecord("kept", eTag), await storage.ReadAsync(StateName, grain));
        Assert.Equal([Entry(2), Entry(1, "charge")], await JournalAsync(storage, grain));
        Assert.Equal([Item("charges", "c1", 1)], await ItemsAsync(storage, grain, "charges"));
        Assert.Equal(new JournalStateRecord(null, tombstone), await storage.ReadAsync("cleared", grain));
        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(storage, "cleared", grain, StateOnly("x", null)));
    }

    [Fact]
    public async Task Providers_with_different_names_do_not_share_rows()
    {
        var database = await _folder.StartAsync();
        var grain = NewGrainId();
        var main = new SqliteGrainStorage("Default", database, TimeProvider.System);
        var archive = new SqliteGrainStorage("Archive", database, TimeProvider.System);

        var eTag = await WriteAsync(main, StateName, grain, new JournalWrite("main", null, [Entry(1)], [Item("charges", "c1", 1)]));

        Assert.Equal(JournalStateRecord.None, await archive.ReadAsync(StateName, grain));
        Assert.Empty(await JournalAsync(archive, grain));
        Assert.Null(await archive.ReadItemAsync(StateName, grain, "charges", "c1"));
        await WriteAsync(archive, StateName, grain, WriteWith("archive", null, Entry(1)));
        Assert.Equal(new JournalStateRecord("main", eTag), await main.ReadAsync(StateName, grain));
    }

    /// <summary>No writer sends a key twice in one write, but SQLite applies the rows in order, so the last one wins.</summary>
    [Fact]
    public async Task An_item_written_twice_in_one_write_keeps_its_last_data()
    {
        var storage = Storage(await _folder.StartAsync());
        var grain = NewGrainId();

        // 20 items, 16 + 4: a key repeats within a statement and across statements.
        await WriteAsync(storage, StateName, grain, new JournalWrite("s", null, [], [.. Enumerable.Range(0, 20).Select(i => Item("charges", $"{i % 3}", i, $"{i}"))]));

        Assert.Equal([Item("charges", "1", 19, "19"), Item("charges", "0", 18, "18"), Item("charges", "2", 17, "17")], await ItemsAsync(storage, grain, "charges"));
    }

    [Fact]
    public async Task Items_of_one_sequence_page_by_key_descending_within_it()
    {
        var storage = Storage(await _folder.StartAsync());
        var grain = NewGrainId();

        await WriteAsync(storage, StateName, grain, new JournalWrite("s", null, [], [Item("charges", "a", 5), Item("charges", "c", 5), Item("charges", "b", 5), Item("charges", "z", 4)]));

        Assert.Equal(["c", "b", "a", "z"], (await ItemsAsync(storage, grain, "charges")).Select(item => item.Key));
    }

    [Fact]
    public async Task Writes_to_one_grain_in_one_batch_apply_in_order()
    {
        var database = await _folder.StartAsync();
        var storage = Storage(database);
        var grain = NewGrainId();

        var writes = await SqliteTestDatabase.WhileWriterIsHeldAsync(database, () =>
        [
            WriteAsync(storage, StateName, grain, WriteWith("1", null, Entry(1))),
            WriteAsync(storage, StateName, grain, WriteWith("2", "1", Entry(2))),
            WriteAsync(storage, StateName, grain, WriteWith("stale", "1", Entry(3))),
            WriteAsync(storage, StateName, grain, WriteWith("3", "2", Entry(3))),
        ]);

        Assert.Equal("1", await writes[0]);
        Assert.Equal("2", await writes[1]);
        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[2]);
        Assert.Equal("3", await writes[3]);
        Assert.Equal(new JournalStateRecord("3", "3"), await storage.ReadAsync(StateName, grain));
        Assert.Equal([Entry(3), Entry(2), Entry(1)], await JournalAsync(storage, grain));
    }

    [Fact]
    public async Task A_write_canceled_while_queued_is_never_taken_nor_applied()
    {
        var database = await _folder.StartAsync();
        var storage = Storage(database);
        var grain = NewGrainId();
        using var cancellation = new CancellationTokenSource();
        var deferred = new FixedWrite(WriteWith("canceled", null, Entry(1)));

        var writes = await SqliteTestDatabase.WhileWriterIsHeldAsync(database, () =>
        {
            var write = storage.WriteAsync(StateName, grain, deferred, cancellation.Token);
            cancellation.Cancel();
            return [write];
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writes[0]);
        Assert.Equal(0, deferred.Takes);
        Assert.Equal(JournalStateRecord.None, await storage.ReadAsync(StateName, grain));
        Assert.Empty(await JournalAsync(storage, grain));
    }

    [Fact]
    public async Task More_queued_writes_than_the_batch_size_all_commit_over_several_transactions()
    {
        var database = await _folder.StartAsync(_folder.NewOptions(maxBatchSize: 3));
        var storage = Storage(database);
        var grains = Enumerable.Range(0, 10).Select(_ => NewGrainId()).ToArray();

        var writes = await SqliteTestDatabase.WhileWriterIsHeldAsync(database, () =>
            [.. grains.Select(grain => WriteAsync(storage, StateName, grain, WriteWith(grain.ToString(), null, Entry(1))))]);

        Assert.All(writes, write => Assert.Equal("1", write.Result));
        foreach (var grain in grains) Assert.Equal(new JournalStateRecord(grain.ToString(), "1"), await storage.ReadAsync(StateName, grain));
    }

    private static SqliteGrainStorage Storage(SqliteDatabase database) => new(JournalStorageNames.Default, database, TimeProvider.System);
}

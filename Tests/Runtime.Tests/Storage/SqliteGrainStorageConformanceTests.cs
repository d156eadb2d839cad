using Granary.Sqlite;
using Granary.Storage;
using Xunit;

namespace Granary.Tests.Storage;

public sealed class SqliteGrainStorageConformanceTests : GrainStorageConformance, IAsyncLifetime
{
    private readonly SqliteTestDatabase _folder = new();

    protected override async Task<IGrainStorage> CreateStorageAsync() => Storage(await _folder.StartAsync());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _folder.DisposeAsync();

    [Fact]
    public async Task State_and_journal_survive_reopening_the_database()
    {
        var grain = NewGrainId();
        var first = await _folder.StartAsync();
        var eTag = await Storage(first).WriteAsync(StateName, grain, WriteWith("kept", null, Entry(1, "charge"), Entry(2)));
        var tombstone = await Storage(first).ClearAsync("cleared", grain, null);
        await first.OnStopAsync(CancellationToken.None);

        var storage = Storage(await _folder.StartAsync());

        Assert.Equal(new GrainStateRecord("kept", eTag), await storage.ReadAsync(StateName, grain));
        Assert.Equal([Entry(2), Entry(1, "charge")], await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 10)));
        Assert.Equal(new GrainStateRecord(null, tombstone), await storage.ReadAsync("cleared", grain));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync("cleared", grain, GrainStateWrite.StateOnly("x", null)));
    }

    [Fact]
    public async Task Providers_with_different_names_do_not_share_rows()
    {
        var database = await _folder.StartAsync();
        var grain = NewGrainId();
        var main = new SqliteGrainStorage("Default", database, TimeProvider.System);
        var archive = new SqliteGrainStorage("Archive", database, TimeProvider.System);

        var eTag = await main.WriteAsync(StateName, grain, WriteWith("main", null, Entry(1)));

        Assert.Equal(GrainStateRecord.None, await archive.ReadAsync(StateName, grain));
        Assert.Empty(await archive.ReadJournalAsync(StateName, grain, new JournalQuery(null, 10)));
        await archive.WriteAsync(StateName, grain, WriteWith("archive", null, Entry(1)));
        Assert.Equal(new GrainStateRecord("main", eTag), await main.ReadAsync(StateName, grain));
    }

    [Fact]
    public async Task A_conflicting_write_fails_alone_and_the_rest_of_its_batch_commits()
    {
        var database = await _folder.StartAsync();
        var storage = Storage(database);
        var contested = NewGrainId();
        var stale = await storage.WriteAsync(StateName, contested, WriteWith("1", null, Entry(1)));
        var current = await storage.WriteAsync(StateName, contested, WriteWith("2", stale, Entry(2)));
        var others = Enumerable.Range(0, 10).Select(_ => NewGrainId()).ToArray();

        // Hold the writer so that everything below is queued and committed as one transaction.
        var writes = await SqliteTestDatabase.WhileWriterIsHeldAsync(database, () =>
        [
            .. others.Take(5).Select(grain => storage.WriteAsync(StateName, grain, WriteWith("ok", null, Entry(1)))),
            storage.WriteAsync(StateName, contested, WriteWith("lost", stale, Entry(3))),
            storage.WriteAsync(StateName, contested, WriteWith("duplicate", current, Entry(2))),
            .. others.Skip(5).Select(grain => storage.WriteAsync(StateName, grain, WriteWith("ok", null, Entry(1)))),
        ]);

        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[5]);
        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[6]);
        foreach (var grain in others)
        {
            Assert.Equal("ok", (await storage.ReadAsync(StateName, grain)).Data);
            Assert.Equal([Entry(1)], await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 10)));
        }
        Assert.Equal(new GrainStateRecord("2", current), await storage.ReadAsync(StateName, contested));
        Assert.Equal([Entry(2), Entry(1)], await storage.ReadJournalAsync(StateName, contested, new JournalQuery(null, 10)));
    }

    /// <summary>No writer sends a key twice in one write (PostgreSQL refuses it), but SQLite applies the rows in order, as one statement per item did.</summary>
    [Fact]
    public async Task An_item_written_twice_in_one_write_keeps_its_last_data()
    {
        var storage = Storage(await _folder.StartAsync());
        var grain = NewGrainId();

        // 20 items, 16 + 4: a key repeats within a statement and across statements.
        await storage.WriteAsync(StateName, grain, new GrainStateWrite("s", null, [], [.. Enumerable.Range(0, 20).Select(i => new GrainStateItem($"{i % 3}", $"{i}"))]));

        Assert.Equal([new("0", "18"), new("1", "19"), new("2", "17")], await storage.ReadItemsAsync(StateName, grain, null, 10));
    }

    [Fact]
    public async Task Writes_to_one_grain_in_one_batch_apply_in_order()
    {
        var database = await _folder.StartAsync();
        var storage = Storage(database);
        var grain = NewGrainId();

        var writes = await SqliteTestDatabase.WhileWriterIsHeldAsync(database, () =>
        [
            storage.WriteAsync(StateName, grain, WriteWith("1", null, Entry(1))),
            storage.WriteAsync(StateName, grain, WriteWith("2", "1", Entry(2))),
            storage.WriteAsync(StateName, grain, WriteWith("stale", "1", Entry(3))),
            storage.WriteAsync(StateName, grain, WriteWith("3", "2", Entry(3))),
        ]);

        Assert.Equal("1", await writes[0]);
        Assert.Equal("2", await writes[1]);
        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[2]);
        Assert.Equal("3", await writes[3]);
        Assert.Equal(new GrainStateRecord("3", "3"), await storage.ReadAsync(StateName, grain));
        Assert.Equal([Entry(3), Entry(2), Entry(1)], await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 10)));
    }

    [Fact]
    public async Task A_write_canceled_while_queued_is_never_applied()
    {
        var database = await _folder.StartAsync();
        var storage = Storage(database);
        var grain = NewGrainId();
        using var cancellation = new CancellationTokenSource();

        var writes = await SqliteTestDatabase.WhileWriterIsHeldAsync(database, () =>
        {
            var write = storage.WriteAsync(StateName, grain, WriteWith("canceled", null, Entry(1)), cancellation.Token);
            cancellation.Cancel();
            return [write];
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writes[0]);
        Assert.Equal(GrainStateRecord.None, await storage.ReadAsync(StateName, grain));
        Assert.Empty(await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 10)));
    }

    private static SqliteGrainStorage Storage(SqliteDatabase database) => new(StorageNames.Default, database, TimeProvider.System);
}

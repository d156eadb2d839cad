using Orleans.Runtime;
using Orleans.Storage;

namespace AdWallet.Persistence.PostgreSql.Tests;

/// <summary>The journaled-state contract of <see cref="PostgreSqlGrainStorage"/> on a real PostgreSQL server.</summary>
public sealed class JournalStorageTests : IAsyncLifetime
{
    private const string State = "wallet";
    private readonly TestDatabase _database = new();
    private PostgreSqlGrainStorage _storage = null!;

    public async Task InitializeAsync() => _storage = await _database.StartStorageAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Writes_are_conditional_on_the_etag()
    {
        var grain = TestDatabase.NewGrainId();
        Assert.Equal(JournalStateRecord.None, await _storage.ReadAsync(State, grain));

        var first = await WriteAsync(grain, new JournalWrite("{\"v\":1}", null, [], []));
        Assert.Equal("1", first);
        // A second writer that also read no row loses.
        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(grain, new JournalWrite("{\"v\":9}", null, [], [])));

        var second = await WriteAsync(grain, new JournalWrite("{\"v\":2}", first, [], []));
        Assert.Equal("2", second);
        var stale = await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(grain, new JournalWrite("{\"v\":3}", first, [], [])));
        Assert.Equal("2", stale.StoredEtag);
        Assert.Equal("1", stale.CurrentEtag);
        // An ETag this provider never produced matches nothing.
        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(grain, new JournalWrite("{\"v\":3}", "02", [], [])));

        Assert.Equal(new JournalStateRecord("{\"v\":2}", "2"), await _storage.ReadAsync(State, grain));
    }

    [Fact]
    public async Task A_write_without_data_keeps_the_stored_data_and_moves_the_etag()
    {
        var grain = TestDatabase.NewGrainId();
        var etag = await WriteAsync(grain, new JournalWrite("{\"snapshot\":true}", null, [Entry(1)], []));
        etag = await WriteAsync(grain, new JournalWrite(null, etag, [Entry(2)], []));
        Assert.Equal("2", etag);
        Assert.Equal(new JournalStateRecord("{\"snapshot\":true}", "2"), await _storage.ReadAsync(State, grain));
        Assert.Equal([2L, 1L], (await _storage.ReadJournalAsync(State, grain, new JournalQuery(null, 10))).Select(e => e.Sequence));
    }

    [Fact]
    public async Task Journal_pages_newest_first_and_filters_by_category()
    {
        var grain = TestDatabase.NewGrainId();
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(7);
        string? etag = null;
        for (var batch = 0; batch < 4; batch++)
        {
            var entries = Enumerable.Range(batch * 5 + 1, 5)
                .Select(s => new JournalRecord(s, s % 3 == 0 ? "refund" : s % 3 == 1 ? "charge" : null, at.AddSeconds(s), $"{{\"s\":{s}}}"))
                .ToArray();
            etag = await WriteAsync(grain, new JournalWrite(batch == 0 ? "{}" : null, etag, entries, []));
        }

        var page = await _storage.ReadJournalAsync(State, grain, new JournalQuery(null, 3));
        Assert.Equal([20L, 19L, 18L], page.Select(e => e.Sequence));
        Assert.Equal(at.AddSeconds(20), page[0].Timestamp); // exact to the tick
        Assert.Equal("{\"s\":20}", page[0].Data);
        page = await _storage.ReadJournalAsync(State, grain, new JournalQuery(18, 3));
        Assert.Equal([17L, 16L, 15L], page.Select(e => e.Sequence));
        page = await _storage.ReadJournalAsync(State, grain, new JournalQuery(2, 10));
        Assert.Equal([1L], page.Select(e => e.Sequence));

        var refunds = await _storage.ReadJournalAsync(State, grain, new JournalQuery(null, 3, ["refund"]));
        Assert.Equal([18L, 15L, 12L], refunds.Select(e => e.Sequence));
        Assert.All(refunds, e => Assert.Equal("refund", e.Category));
        refunds = await _storage.ReadJournalAsync(State, grain, new JournalQuery(12, 10, ["refund"]));
        Assert.Equal([9L, 6L, 3L], refunds.Select(e => e.Sequence));

        var both = await _storage.ReadJournalAsync(State, grain, new JournalQuery(15, 4, ["refund", "charge"]));
        Assert.Equal([13L, 12L, 10L, 9L], both.Select(e => e.Sequence));
        // An empty category list filters nothing.
        Assert.Equal(20, (await _storage.ReadJournalAsync(State, grain, new JournalQuery(null, 100, []))).Count);
    }

    [Fact]
    public async Task Entries_that_do_not_follow_the_stored_ones_fail_the_whole_write()
    {
        var grain = TestDatabase.NewGrainId();
        var etag = await WriteAsync(grain, new JournalWrite("{}", null, [Entry(1), Entry(2)], []));
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            WriteAsync(grain, new JournalWrite("{\"changed\":1}", etag, [Entry(2), Entry(3)], [Item("charges", "k", 3)])));

        // Neither the state, the entries nor the items of the failed write were stored.
        Assert.Equal(new JournalStateRecord("{}", etag), await _storage.ReadAsync(State, grain));
        Assert.Equal([2L, 1L], (await _storage.ReadJournalAsync(State, grain, new JournalQuery(null, 10))).Select(e => e.Sequence));
        Assert.Null(await _storage.ReadItemAsync(State, grain, "charges", "k"));
    }

    [Fact]
    public async Task Items_are_upserted_read_and_paged_by_sequence()
    {
        var grain = TestDatabase.NewGrainId();
        var etag = await WriteAsync(grain, new JournalWrite("{}", null, [Entry(1)],
            [.. Enumerable.Range(1, 10).Select(i => Item("charges", $"c{i}", i)), Item("refunds", "r1", 5)]));

        var item = await _storage.ReadItemAsync(State, grain, "charges", "c3");
        Assert.Equal(new StateItemRecord("charges", "c3", 3, "{\"key\":\"c3\",\"seq\":3}"), item);
        Assert.Null(await _storage.ReadItemAsync(State, grain, "charges", "missing"));
        Assert.Null(await _storage.ReadItemAsync(State, grain, "refunds", "c3"));

        // Replacing an item moves it to its new place in the collection; the last of one key in a write wins.
        await WriteAsync(grain, new JournalWrite(null, etag, [Entry(2)], [Item("charges", "c3", 11), Item("charges", "c3", 12)]));
        Assert.Equal(12, (await _storage.ReadItemAsync(State, grain, "charges", "c3"))!.Sequence);

        var page = await _storage.ReadItemsAsync(State, grain, new ItemQuery("charges", null, 4));
        Assert.Equal(["c3", "c10", "c9", "c8"], page.Select(i => i.Key));
        Assert.Equal([12L, 10L, 9L, 8L], page.Select(i => i.Sequence));
        page = await _storage.ReadItemsAsync(State, grain, new ItemQuery("charges", 8, 4));
        Assert.Equal(["c7", "c6", "c5", "c4"], page.Select(i => i.Key));
        page = await _storage.ReadItemsAsync(State, grain, new ItemQuery("charges", 4, 4));
        Assert.Equal(["c2", "c1"], page.Select(i => i.Key));
        Assert.Equal(["r1"], (await _storage.ReadItemsAsync(State, grain, new ItemQuery("refunds", null, 10))).Select(i => i.Key));
        // Another grain's items are its own.
        Assert.Empty(await _storage.ReadItemsAsync(State, TestDatabase.NewGrainId(), new ItemQuery("charges", null, 10)));
    }

    [Fact]
    public async Task Concurrent_writes_of_many_grains_commit_together_and_only_the_stale_one_fails()
    {
        var database = await _database.StartAsync(_database.Options());
        var storage = new PostgreSqlGrainStorage("Default", database, TimeProvider.System);
        var grains = Enumerable.Range(0, 40).Select(_ => TestDatabase.NewGrainId()).ToArray();
        var etags = await Task.WhenAll(grains.Select(grain =>
            storage.WriteAsync(State, grain, new TestWrite(new JournalWrite("{\"n\":0}", null, [Entry(1)], [])))));
        Assert.All(etags, etag => Assert.Equal("1", etag));

        var stale = grains[17];
        var writes = new Task<string>[grains.Length];
        var deferred = new TestWrite[grains.Length];
        // The writer is held inside a transaction of its own while every write is queued, so they all wait for the next batch.
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = database.WriteAsync<bool>(null, async _ =>
        {
            held.SetResult();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return true;
        }, CancellationToken.None);
        await held.Task.WaitAsync(TimeSpan.FromSeconds(30));
        for (var i = 0; i < grains.Length; i++)
        {
            var expected = grains[i] == stale ? "7" : "1";
            deferred[i] = new TestWrite(new JournalWrite("{\"n\":1}", expected, [Entry(2)], [Item("charges", "c", 2)]));
            writes[i] = storage.WriteAsync(State, grains[i], deferred[i]);
        }
        // Queued last, and ordered last in its batch: it sees what the writes before it in its transaction wrote,
        // while another connection does not see it yet, so they share its transaction.
        var probe = database.WriteAsync("\uffff", async session =>
        {
            await using var command = session.Command("SELECT count(*) FROM grain_state WHERE version = 2");
            var inside = (long)(await command.ExecuteScalarAsync())!;
            var outside = await _database.ScalarAsync<long>("SELECT count(*) FROM grain_state WHERE version = 2");
            return (Inside: inside, Outside: outside);
        }, CancellationToken.None);
        release.SetResult();
        Assert.True(await holder);
        await Task.WhenAll(writes.Select(write => write.ContinueWith(_ => { }, TaskScheduler.Default)));

        for (var i = 0; i < grains.Length; i++)
        {
            if (grains[i] == stale)
            {
                var failure = await Assert.ThrowsAsync<InconsistentStateException>(() => writes[i]);
                Assert.Equal("1", failure.StoredEtag);
                Assert.Null(deferred[i].ExecutedETag);
                Assert.Equal(new JournalStateRecord("{\"n\":0}", "1"), await storage.ReadAsync(State, grains[i]));
            }
            else
            {
                Assert.Equal("2", await writes[i]);
                Assert.Equal("2", deferred[i].ExecutedETag);
            }
        }
        Assert.Equal((grains.Length - 1, 0L), await probe);
        Assert.Equal(grains.Length - 1, await _database.ScalarAsync<long>("SELECT count(*) FROM grain_state WHERE version = 2"));
        Assert.Equal(grains.Length - 1, await _database.ScalarAsync<long>("SELECT count(*) FROM grain_state_item"));
    }

    [Fact]
    public async Task A_deferred_write_is_taken_when_the_writer_runs_it()
    {
        var grain = TestDatabase.NewGrainId();
        var write = new TestWrite(new JournalWrite("{\"late\":true}", null, [Entry(1)], []));
        Assert.Equal(0, write.Takes);
        Assert.Equal("1", await _storage.WriteAsync(State, grain, write));
        Assert.Equal(1, write.Takes);
        Assert.Equal("1", write.ExecutedETag);
    }

    /// <summary>
    /// A silo frozen in the middle of a batch keeps its transaction, and the locks on the rows it was writing, open.
    /// The server ends that transaction after a few seconds (so the frozen writer can never commit it) and no write
    /// of the survivors waits longer than that on its locks: the grain it held is writable again, and the writes of
    /// other grains, which share the survivors' single writer, are not held up behind it for long.
    /// </summary>
    [Fact]
    public async Task A_frozen_writers_open_transaction_holds_its_locks_only_for_seconds()
    {
        var held = TestDatabase.NewGrainId();
        var first = await WriteAsync(held, new JournalWrite("{\"v\":1}", null, [], []));

        // The frozen writer: a session with the provider's own limits that locks the row and then says nothing.
        var frozenSession = new Npgsql.NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString)
        {
            SearchPath = $"\"{_database.Schema}\"",
            Pooling = false,
            Options = PostgreSqlDatabase.SessionLimits,
        };
        await using var frozen = new Npgsql.NpgsqlConnection(frozenSession.ConnectionString);
        await frozen.OpenAsync();
        await using (var begin = new Npgsql.NpgsqlCommand("BEGIN; UPDATE grain_state SET version = version WHERE grain_id = @grain", frozen))
        {
            begin.Parameters.AddWithValue("grain", held.ToString());
            await begin.ExecuteNonQueryAsync();
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var other = WriteAsync(TestDatabase.NewGrainId(), new JournalWrite("{\"v\":1}", null, [], []));
        var blocked = WriteAsync(held, new JournalWrite("{\"v\":2}", first, [], []));
        // Either the lock wait gives up or the server has ended the idle transaction by then: within seconds, not never.
        try
        {
            await blocked.WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch (Exception exception) when (exception is not TimeoutException)
        {
            // A lock timeout fails the write; the row is free again once the server ended the frozen transaction.
        }
        Assert.Equal("1", await other.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"The survivors waited {clock.Elapsed} on a frozen writer.");

        // The frozen writer cannot commit: its transaction was ended by the server.
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var commit = new Npgsql.NpgsqlCommand("COMMIT", frozen);
            await commit.ExecuteNonQueryAsync();
        });
        var stored = await _storage.ReadAsync(State, held);
        var retried = stored.ETag == first ? await WriteAsync(held, new JournalWrite("{\"v\":2}", first, [], [])) : stored.ETag;
        Assert.Equal("2", retried);
    }

    private Task<string> WriteAsync(GrainId grain, JournalWrite write) => _storage.WriteAsync(State, grain, new TestWrite(write));

    private static JournalRecord Entry(long sequence, string? category = null) =>
        new(sequence, category, DateTimeOffset.UnixEpoch.AddDays(sequence), $"{{\"entry\":{sequence}}}");

    private static StateItemRecord Item(string collection, string key, long sequence) =>
        new(collection, key, sequence, $"{{\"key\":\"{key}\",\"seq\":{sequence}}}");

    private sealed class TestWrite(JournalWrite write) : IDeferredJournalWrite
    {
        public int Takes { get; private set; }

        public string? ExecutedETag { get; private set; }

        public JournalWrite Take()
        {
            Takes++;
            return write;
        }

        public void Executed(string etag) => ExecutedETag = etag;
    }
}

using System.Globalization;
using Orleans.Runtime;
using Orleans.Storage;

namespace AdWallet.Persistence.Tests;

/// <summary>
/// The behaviour every <see cref="IJournalStorage"/> provider must have; the provider's <see cref="IGrainStorage"/>
/// side is in the other part of this class. Each provider runs it through a subclass.
/// </summary>
public abstract partial class JournalStorageConformance
{
    protected const string StateName = "balance";

    private static readonly DateTimeOffset FirstEntryTime = new(2025, 3, 1, 9, 30, 15, 123, TimeSpan.FromHours(9));

    /// <summary>A started, empty storage that also implements <see cref="IGrainStorage"/>. Called once or more per test.</summary>
    protected abstract Task<IJournalStorage> CreateStorageAsync();

    /// <summary>
    /// Submits the writes so that the provider commits them together where it can (SQLite holds its writer meanwhile),
    /// and waits for all of them to finish, whatever their outcome.
    /// </summary>
    protected virtual async Task<Task<string>[]> WhileWritesAreHeldAsync(IJournalStorage storage, Func<Task<string>[]> submit)
    {
        var writes = submit();
        await Task.WhenAll(writes.Select(write => write.ContinueWith(_ => { }, TaskScheduler.Default)));
        return writes;
    }

    protected static GrainId NewGrainId() => GrainId.Create("wallet", Guid.NewGuid().ToString("N"));

    protected static JournalRecord Entry(long sequence, string? category = null) =>
        new(sequence, category, FirstEntryTime.AddTicks(sequence * TimeSpan.TicksPerMillisecond + sequence), $$"""{"amount":{{sequence}}}""");

    protected static StateItemRecord Item(string collection, string key, long sequence, string? data = null) =>
        new(collection, key, sequence, data ?? $$"""{"key":"{{key}}","sequence":{{sequence}}}""");

    protected static JournalWrite WriteWith(string? data, string? expectedETag, params JournalRecord[] entries) => new(data, expectedETag, entries, []);

    protected static JournalWrite StateOnly(string data, string? expectedETag) => new(data, expectedETag, [], []);

    /// <summary>A write whose content is fixed when it is issued.</summary>
    protected static Task<string> WriteAsync(IJournalStorage storage, string stateName, GrainId grain, JournalWrite write, CancellationToken cancellationToken = default) =>
        storage.WriteAsync(stateName, grain, new FixedWrite(write), cancellationToken);

    protected static Task<IReadOnlyList<JournalRecord>> JournalAsync(IJournalStorage storage, GrainId grain, string stateName = StateName) =>
        storage.ReadJournalAsync(stateName, grain, new JournalQuery(null, 1000));

    protected static Task<IReadOnlyList<StateItemRecord>> ItemsAsync(IJournalStorage storage, GrainId grain, string collection, string stateName = StateName) =>
        storage.ReadItemsAsync(stateName, grain, new ItemQuery(collection, null, 1000));

    /// <summary>Clears through the provider's <see cref="IGrainStorage"/> side, the only way to clear a state. Returns the tombstone's ETag.</summary>
    protected static async Task<string?> ClearAsync(IJournalStorage storage, GrainId grain, string? eTag, string stateName = StateName)
    {
        var state = new AccountState(new Account()) { ETag = eTag };
        await GrainStorage(storage).ClearStateAsync(stateName, grain, state);
        return state.ETag;
    }

    protected static IGrainStorage GrainStorage(IJournalStorage storage) => Assert.IsAssignableFrom<IGrainStorage>(storage);

    [Fact]
    public async Task Reading_a_missing_state_returns_none()
    {
        var storage = await CreateStorageAsync();

        Assert.Equal(JournalStateRecord.None, await storage.ReadAsync(StateName, NewGrainId()));
    }

    [Fact]
    public async Task An_inserted_state_reads_back_with_its_etag()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();

        var eTag = await WriteAsync(storage, StateName, grain, StateOnly("""{"balance":1000}""", null));

        Assert.False(string.IsNullOrEmpty(eTag));
        Assert.Equal(new JournalStateRecord("""{"balance":1000}""", eTag), await storage.ReadAsync(StateName, grain));
    }

    [Fact]
    public async Task An_update_with_the_current_etag_replaces_the_state_and_changes_the_etag()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var first = await WriteAsync(storage, StateName, grain, StateOnly("1", null));

        var second = await WriteAsync(storage, StateName, grain, StateOnly("2", first));
        var third = await WriteAsync(storage, StateName, grain, StateOnly("3", second));

        Assert.Equal(3, new[] { first, second, third }.Distinct().Count());
        Assert.Equal(new JournalStateRecord("3", third), await storage.ReadAsync(StateName, grain));
    }

    [Fact]
    public async Task An_update_with_a_stale_etag_throws_and_changes_nothing()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var stale = await WriteAsync(storage, StateName, grain, WriteWith("1", null, Entry(1)));
        var current = await WriteAsync(storage, StateName, grain, WriteWith("2", stale, Entry(2)));

        var exception = await Assert.ThrowsAsync<InconsistentStateException>(
            () => WriteAsync(storage, StateName, grain, new JournalWrite("lost update", stale, [Entry(3)], [Item("charges", "c3", 3)])));

        Assert.Equal(current, exception.StoredEtag);
        Assert.Equal(stale, exception.CurrentEtag);
        Assert.Equal(new JournalStateRecord("2", current), await storage.ReadAsync(StateName, grain));
        Assert.Equal([Entry(2), Entry(1)], await JournalAsync(storage, grain));
        Assert.Empty(await ItemsAsync(storage, grain, "charges"));
    }

    [Fact]
    public async Task An_update_of_a_missing_state_throws_and_creates_nothing()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();

        var exception = await Assert.ThrowsAsync<InconsistentStateException>(
            () => WriteAsync(storage, StateName, grain, new JournalWrite("1", "1", [Entry(1)], [Item("charges", "c1", 1)])));

        Assert.Null(exception.StoredEtag);
        Assert.Equal(JournalStateRecord.None, await storage.ReadAsync(StateName, grain));
        Assert.Empty(await JournalAsync(storage, grain));
        Assert.Empty(await ItemsAsync(storage, grain, "charges"));
    }

    [Fact]
    public async Task An_insert_over_an_existing_state_throws_and_changes_nothing()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var eTag = await WriteAsync(storage, StateName, grain, StateOnly("first", null));

        var exception = await Assert.ThrowsAsync<InconsistentStateException>(
            () => WriteAsync(storage, StateName, grain, StateOnly("second", null)));

        Assert.Equal(eTag, exception.StoredEtag);
        Assert.Equal(new JournalStateRecord("first", eTag), await storage.ReadAsync(StateName, grain));
    }

    [Theory]
    [InlineData("0{0}")]
    [InlineData(" {0}")]
    [InlineData("{0} ")]
    [InlineData("+{0}")]
    [InlineData("{0}.0")]
    [InlineData("")]
    [InlineData("not an etag")]
    public async Task Only_the_exact_etag_text_matches(string format)
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var eTag = await WriteAsync(storage, StateName, grain, StateOnly("kept", null));

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => WriteAsync(storage, StateName, grain, StateOnly("changed", string.Format(CultureInfo.InvariantCulture, format, eTag))));

        Assert.Equal(new JournalStateRecord("kept", eTag), await storage.ReadAsync(StateName, grain));
    }

    [Fact]
    public async Task A_write_without_data_appends_entries_and_keeps_the_stored_state()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var first = await WriteAsync(storage, StateName, grain, WriteWith("snapshot", null, Entry(1)));

        var second = await WriteAsync(storage, StateName, grain, WriteWith(null, first, Entry(2), Entry(3)));

        Assert.NotEqual(first, second);
        Assert.Equal(new JournalStateRecord("snapshot", second), await storage.ReadAsync(StateName, grain));
        Assert.Equal([Entry(3), Entry(2), Entry(1)], await JournalAsync(storage, grain));
        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(storage, StateName, grain, WriteWith(null, first, Entry(4))));
        await Assert.ThrowsAsync<ArgumentException>(() => WriteAsync(storage, StateName, NewGrainId(), WriteWith(null, null, Entry(1))));
    }

    [Fact]
    public async Task The_journal_pages_newest_first()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var eTag = await WriteAsync(storage, StateName, grain, WriteWith("4", null, Entry(1), Entry(2), Entry(3), Entry(4)));
        await WriteAsync(storage, StateName, grain, WriteWith("7", eTag, Entry(5), Entry(6), Entry(7)));

        var newest = await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 3));
        var next = await storage.ReadJournalAsync(StateName, grain, new JournalQuery(newest[^1].Sequence, 3));
        var last = await storage.ReadJournalAsync(StateName, grain, new JournalQuery(next[^1].Sequence, 3));
        var beyond = await storage.ReadJournalAsync(StateName, grain, new JournalQuery(last[^1].Sequence, 3));

        Assert.Equal([Entry(7), Entry(6), Entry(5)], newest);
        Assert.Equal([Entry(4), Entry(3), Entry(2)], next);
        Assert.Equal([Entry(1)], last);
        Assert.Empty(beyond);
        Assert.Equal([Entry(7), Entry(6), Entry(5), Entry(4), Entry(3), Entry(2), Entry(1)], await JournalAsync(storage, grain));
    }

    [Fact]
    public async Task Journal_entries_round_trip_exactly()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var entry = new JournalRecord(42, "charge", new DateTimeOffset(2025, 12, 31, 23, 59, 59, 999, TimeSpan.FromHours(9)).AddTicks(1234),
            """{"memo":"카카오 비즈니스 지갑 충전 ✓","amount":50000}""");
        await WriteAsync(storage, StateName, grain, WriteWith("s", null, entry));

        var read = Assert.Single(await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 1)));

        Assert.Equal(entry, read);
        Assert.Equal(entry.Timestamp.UtcTicks, read.Timestamp.UtcTicks);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(85)]
    [InlineData(300)]
    public async Task Many_entries_in_one_write_all_round_trip_in_order(int count)
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var entries = Enumerable.Range(1, count).Select(i => Entry(i, i % 3 == 0 ? null : "charge")).ToArray();
        await WriteAsync(storage, StateName, grain, WriteWith("s", null, entries));

        var read = await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, count + 1));

        Assert.Equal(entries.Reverse(), read);
    }

    [Fact]
    public async Task The_journal_can_be_filtered_by_category_and_paged()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        await WriteAsync(storage, StateName, grain, WriteWith("s", null,
            Entry(1, "charge"), Entry(2, "spend"), Entry(3, null), Entry(4, "charge"), Entry(5, "Charge"), Entry(6, "charge"), Entry(7, "spend")));

        var charges = await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 2, ["charge"]));
        var olderCharges = await storage.ReadJournalAsync(StateName, grain, new JournalQuery(charges[^1].Sequence, 2, ["charge"]));
        var spends = await storage.ReadJournalAsync(StateName, grain, new JournalQuery(7, 10, ["spend"]));

        Assert.Equal([Entry(6, "charge"), Entry(4, "charge")], charges);
        Assert.Equal([Entry(1, "charge")], olderCharges);
        Assert.Equal([Entry(2, "spend")], spends);
        Assert.Empty(await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 10, ["refund"])));
        Assert.Equal(7, (await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 10, []))).Count);
    }

    [Fact]
    public async Task The_journal_can_be_filtered_by_several_categories()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        await WriteAsync(storage, StateName, grain, WriteWith("s", null,
            Entry(1, "charge"), Entry(2, "spend"), Entry(3, null), Entry(4, "refund"), Entry(5, "internal"), Entry(6, "charge")));

        var money = await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 3, ["charge", "refund", "spend"]));
        var older = await storage.ReadJournalAsync(StateName, grain, new JournalQuery(money[^1].Sequence, 3, ["charge", "refund", "spend"]));

        Assert.Equal([Entry(6, "charge"), Entry(4, "refund"), Entry(2, "spend")], money);
        Assert.Equal([Entry(1, "charge")], older);
    }

    [Fact]
    public async Task Reading_the_journal_or_items_of_a_missing_state_returns_nothing()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();

        Assert.Empty(await JournalAsync(storage, grain));
        Assert.Empty(await ItemsAsync(storage, grain, "charges"));
        Assert.Null(await storage.ReadItemAsync(StateName, grain, "charges", "c1"));
    }

    [Fact]
    public async Task A_page_needs_a_positive_limit()
    {
        var storage = await CreateStorageAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => storage.ReadJournalAsync(StateName, NewGrainId(), new JournalQuery(null, 0)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => storage.ReadItemsAsync(StateName, NewGrainId(), new ItemQuery("charges", null, 0)));
    }

    [Fact]
    public async Task A_journal_sequence_that_already_exists_is_rejected_with_the_whole_write()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var eTag = await WriteAsync(storage, StateName, grain, WriteWith("1", null, Entry(1), Entry(2)));

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => WriteAsync(storage, StateName, grain, new JournalWrite("2", eTag, [Entry(2), Entry(3)], [Item("charges", "c3", 3)])));
        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(storage, StateName, grain, WriteWith("2", eTag, Entry(1))));

        Assert.Equal(new JournalStateRecord("1", eTag), await storage.ReadAsync(StateName, grain));
        Assert.Equal([Entry(2), Entry(1)], await JournalAsync(storage, grain));
        Assert.Empty(await ItemsAsync(storage, grain, "charges"));
        var next = await WriteAsync(storage, StateName, grain, WriteWith("2", eTag, Entry(3)));
        Assert.Equal(new JournalStateRecord("2", next), await storage.ReadAsync(StateName, grain));
    }

    [Fact]
    public async Task Journal_sequences_within_one_write_must_increase()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();

        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(storage, StateName, grain, WriteWith("1", null, Entry(1), Entry(1))));
        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(storage, StateName, grain, WriteWith("1", null, Entry(2), Entry(1))));

        Assert.Equal(JournalStateRecord.None, await storage.ReadAsync(StateName, grain));
        Assert.Empty(await JournalAsync(storage, grain));
    }

    [Fact]
    public async Task Concurrent_updates_with_the_same_etag_have_exactly_one_winner()
    {
        const int writers = 50;
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var eTag = await WriteAsync(storage, StateName, grain, WriteWith("start", null, Entry(1)));

        var outcomes = await RaceAsync(writers, i => WriteAsync(storage, StateName, grain, WriteWith($"writer {i}", eTag, Entry(100 + i))));

        var (winner, newETag, _) = Assert.Single(outcomes, outcome => outcome.ETag is not null);
        Assert.All(outcomes.Where(outcome => outcome.Index != winner), outcome => Assert.IsType<InconsistentStateException>(outcome.Error));
        Assert.Equal(new JournalStateRecord($"writer {winner}", newETag), await storage.ReadAsync(StateName, grain));
        Assert.Equal([Entry(100 + winner), Entry(1)], await JournalAsync(storage, grain));
    }

    [Fact]
    public async Task Concurrent_inserts_have_exactly_one_winner()
    {
        const int writers = 50;
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();

        var outcomes = await RaceAsync(writers, i => WriteAsync(storage, StateName, grain, WriteWith($"writer {i}", null, Entry(100 + i))));

        var (winner, eTag, _) = Assert.Single(outcomes, outcome => outcome.ETag is not null);
        Assert.All(outcomes.Where(outcome => outcome.Index != winner), outcome => Assert.IsType<InconsistentStateException>(outcome.Error));
        Assert.Equal(new JournalStateRecord($"writer {winner}", eTag), await storage.ReadAsync(StateName, grain));
        Assert.Equal([Entry(100 + winner)], await JournalAsync(storage, grain));
    }

    [Fact]
    public async Task Concurrent_writes_of_many_grains_commit_together_and_one_stale_etag_fails_alone()
    {
        var storage = await CreateStorageAsync();
        var contested = NewGrainId();
        var stale = await WriteAsync(storage, StateName, contested, WriteWith("1", null, Entry(1)));
        var current = await WriteAsync(storage, StateName, contested, WriteWith("2", stale, Entry(2)));
        var others = Enumerable.Range(0, 40).Select(_ => NewGrainId()).ToArray();

        var writes = await WhileWritesAreHeldAsync(storage, () =>
        [
            .. others.Take(20).Select(grain => WriteAsync(storage, StateName, grain, new JournalWrite("ok", null, [Entry(1)], [Item("charges", "c1", 1)]))),
            WriteAsync(storage, StateName, contested, new JournalWrite("lost", stale, [Entry(3)], [Item("charges", "lost", 3)])),
            WriteAsync(storage, StateName, contested, WriteWith("duplicate", current, Entry(2))),
            .. others.Skip(20).Select(grain => WriteAsync(storage, StateName, grain, new JournalWrite("ok", null, [Entry(1)], [Item("charges", "c1", 1)]))),
        ]);

        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[20]);
        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[21]);
        foreach (var grain in others)
        {
            Assert.Equal("ok", (await storage.ReadAsync(StateName, grain)).Data);
            Assert.Equal([Entry(1)], await JournalAsync(storage, grain));
            Assert.Equal([Item("charges", "c1", 1)], await ItemsAsync(storage, grain, "charges"));
        }
        Assert.Equal(new JournalStateRecord("2", current), await storage.ReadAsync(StateName, contested));
        Assert.Equal([Entry(2), Entry(1)], await JournalAsync(storage, contested));
        Assert.Empty(await ItemsAsync(storage, contested, "charges"));
    }

    [Fact]
    public async Task Large_data_round_trips()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var data = string.Create(1024 * 1024, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = (char)('a' + i % 26);
        });
        var entry = new JournalRecord(1, null, DateTimeOffset.UnixEpoch, data);

        var eTag = await WriteAsync(storage, StateName, grain, new JournalWrite(data, null, [entry], [Item("big", "one", 1, data)]));

        Assert.Equal(new JournalStateRecord(data, eTag), await storage.ReadAsync(StateName, grain));
        Assert.Equal([entry], await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 1)));
        Assert.Equal(data, (await storage.ReadItemAsync(StateName, grain, "big", "one"))!.Data);
    }

    [Fact]
    public async Task State_names_and_grain_ids_isolate_each_other()
    {
        var storage = await CreateStorageAsync();
        var key = Guid.NewGuid().ToString("N");
        GrainId[] grains =
        [
            GrainId.Create("wallet", key),
            GrainId.Create("Wallet", key),
            GrainId.Create("wallet", key.ToUpperInvariant()),
            GrainId.Create("wallet", key + "/x"),
            GrainId.Create("campaign", key),
        ];
        string[] stateNames = [StateName, "Balance", "ledger"];
        var states = grains.SelectMany(grain => stateNames.Select(stateName => (StateName: stateName, Grain: grain))).ToArray();
        var eTags = new Dictionary<(string, GrainId), string>();
        foreach (var (stateName, grain) in states)
        {
            eTags[(stateName, grain)] = await WriteAsync(storage, stateName, grain,
                new JournalWrite($"{stateName} of {grain}", null, [Entry(1, $"{stateName} of {grain}")], [Item("charges", "c1", 1, $"{stateName} of {grain}")]));
        }

        var cleared = await ClearAsync(storage, grains[0], eTags[(StateName, grains[0])]);

        Assert.Equal(new JournalStateRecord(null, cleared), await storage.ReadAsync(StateName, grains[0]));
        foreach (var (stateName, grain) in states.Skip(1))
        {
            Assert.Equal(new JournalStateRecord($"{stateName} of {grain}", eTags[(stateName, grain)]), await storage.ReadAsync(stateName, grain));
            Assert.Equal([Entry(1, $"{stateName} of {grain}")], await JournalAsync(storage, grain, stateName));
            Assert.Equal([Item("charges", "c1", 1, $"{stateName} of {grain}")], await ItemsAsync(storage, grain, "charges", stateName));
        }
    }

    /// <summary>Starts every write at once and reports each one's outcome.</summary>
    private static async Task<(int Index, string? ETag, Exception? Error)[]> RaceAsync(int writers, Func<int, Task<string>> write)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = Enumerable.Range(0, writers)
            .Select(async i =>
            {
                await start.Task;
                try
                {
                    return (i, (string?)await write(i), (Exception?)null);
                }
                catch (Exception exception)
                {
                    return (i, null, exception);
                }
            })
            .ToArray();
        start.SetResult();
        return await Task.WhenAll(attempts);
    }

    /// <summary>A deferred write whose content was fixed when it was made; it records what the provider did with it.</summary>
    protected sealed class FixedWrite(JournalWrite write) : IDeferredJournalWrite
    {
        private int _takes;

        public int Takes => Volatile.Read(ref _takes);

        public string? ExecutedETag { get; private set; }

        public JournalWrite Take()
        {
            Interlocked.Increment(ref _takes);
            return write;
        }

        public void Executed(string etag) => ExecutedETag = etag;
    }
}

using Granary.Storage;
using Xunit;

namespace Granary.Tests.Storage;

/// <summary>The behaviour every <see cref="IGrainStorage"/> must have. Each provider runs it through a subclass.</summary>
public abstract partial class GrainStorageConformance
{
    protected const string StateName = "balance";

    private static readonly DateTimeOffset FirstEntryTime = new(2025, 3, 1, 9, 30, 15, 123, TimeSpan.FromHours(9));

    /// <summary>A started, empty storage. Called once or more per test.</summary>
    protected abstract Task<IGrainStorage> CreateStorageAsync();

    protected static GrainId NewGrainId() => GrainId.Create("wallet", Guid.NewGuid().ToString("N"));

    protected static JournalRecord Entry(long sequence, string? category = null) =>
        new(sequence, category, FirstEntryTime.AddTicks(sequence * TimeSpan.TicksPerMillisecond + sequence), $$"""{"amount":{{sequence}}}""");

    private static GrainStateItem Item(int key, string data) => new(key.ToString("D4", System.Globalization.CultureInfo.InvariantCulture), data);

    protected static GrainStateWrite WriteWith(string data, string? expectedETag, params JournalRecord[] entries) => new(data, expectedETag, entries);

    [Fact]
    public async Task Reading_a_missing_state_returns_none()
    {
        var storage = await CreateStorageAsync();

        var record = await storage.ReadAsync(StateName, NewGrainId());

        Assert.Equal(GrainStateRecord.None, record);
    }

    [Fact]
    public async Task An_inserted_state_reads_back_with_its_etag()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();

        var eTag = await storage.WriteAsync(StateName, grain, GrainStateWrite.StateOnly("""{"balance":1000}""", null));

        Assert.False(string.IsNullOrEmpty(eTag));
        Assert.Equal(new GrainStateRecord("""{"balance":1000}""", eTag), await storage.ReadAsync(StateName, grain));
    }

    [Fact]
    public async Task An_update_with_the_current_etag_replaces_the_state_and_changes_the_etag()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var first = await storage.WriteAsync(StateName, grain, GrainStateWrite.StateOnly("1", null));

        var second = await storage.WriteAsync(StateName, grain, GrainStateWrite.StateOnly("2", first));
        var third = await storage.WriteAsync(StateName, grain, GrainStateWrite.StateOnly("3", second));

        Assert.Equal(3, new[] { first, second, third }.Distinct().Count());
        Assert.Equal(new GrainStateRecord("3", third), await storage.ReadAsync(StateName, grain));
    }

    [Fact]
    public async Task An_update_with_a_stale_etag_throws_and_changes_nothing()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var stale = await storage.WriteAsync(StateName, grain, GrainStateWrite.StateOnly("1", null));
        var current = await storage.WriteAsync(StateName, grain, GrainStateWrite.StateOnly("2", stale));

        var exception = await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteAsync(StateName, grain, GrainStateWrite.StateOnly("lost update", stale)));

        Assert.Equal(current, exception.StoredETag);
        Assert.Equal(stale, exception.CurrentETag);
        Assert.Equal(new GrainStateRecord("2", current), await storage.ReadAsync(StateName, grain));
    }

    [Fact]
    public async Task An_update_of_a_missing_state_throws()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();

        var exception = await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteAsync(StateName, grain, GrainStateWrite.StateOnly("1", "1")));

        Assert.Null(exception.StoredETag);
        Assert.Equal(GrainStateRecord.None, await storage.ReadAsync(StateName, grain));
    }

    [Fact]
    public async Task An_insert_over_an_existing_state_throws_and_changes_nothing()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var eTag = await storage.WriteAsync(StateName, grain, GrainStateWrite.StateOnly("first", null));

        var exception = await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteAsync(StateName, grain, GrainStateWrite.StateOnly("second", null)));

        Assert.Equal(eTag, exception.StoredETag);
        Assert.Equal(new GrainStateRecord("first", eTag), await storage.ReadAsync(StateName, grain));
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
        var eTag = await storage.WriteAsync(StateName, grain, GrainStateWrite.StateOnly("kept", null));

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteAsync(StateName, grain, GrainStateWrite.StateOnly("changed", string.Format(format, eTag))));

        Assert.Equal(new GrainStateRecord("kept", eTag), await storage.ReadAsync(StateName, grain));
    }

    [Fact]
    public async Task Clearing_leaves_a_tombstone_that_an_insert_cannot_recreate()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var written = await storage.WriteAsync(StateName, grain, WriteWith("1", null, Entry(1), Entry(2)));

        var cleared = await storage.ClearAsync(StateName, grain, written);

        Assert.NotEqual(written, cleared);
        Assert.Equal(new GrainStateRecord(null, cleared), await storage.ReadAsync(StateName, grain));
        Assert.Empty(await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 10)));
        var exception = await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteAsync(StateName, grain, GrainStateWrite.StateOnly("recreated", null)));
        Assert.Equal(cleared, exception.StoredETag);
        Assert.Equal(new GrainStateRecord(null, cleared), await storage.ReadAsync(StateName, grain));
    }

    [Fact]
    public async Task A_cleared_state_can_be_written_again_with_the_tombstone_etag_and_its_journal_restarts()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var written = await storage.WriteAsync(StateName, grain, WriteWith("1", null, Entry(1), Entry(2)));
        var cleared = await storage.ClearAsync(StateName, grain, written);

        var rewritten = await storage.WriteAsync(StateName, grain, WriteWith("again", cleared, Entry(1)));

        Assert.Equal(new GrainStateRecord("again", rewritten), await storage.ReadAsync(StateName, grain));
        Assert.Equal([Entry(1)], await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 10)));
        Assert.Equal(3, new[] { written, cleared, rewritten }.Distinct().Count());
    }

    [Fact]
    public async Task Clearing_with_a_stale_etag_throws_and_keeps_state_and_journal()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var stale = await storage.WriteAsync(StateName, grain, WriteWith("1", null, Entry(1)));
        var current = await storage.WriteAsync(StateName, grain, WriteWith("2", stale, Entry(2)));

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearAsync(StateName, grain, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearAsync(StateName, grain, null));

        Assert.Equal(new GrainStateRecord("2", current), await storage.ReadAsync(StateName, grain));
        Assert.Equal([Entry(2), Entry(1)], await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 10)));
    }

    [Fact]
    public async Task Clearing_a_missing_state_leaves_a_tombstone()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();

        var cleared = await storage.ClearAsync(StateName, grain, null);

        Assert.Equal(new GrainStateRecord(null, cleared), await storage.ReadAsync(StateName, grain));
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteAsync(StateName, grain, GrainStateWrite.StateOnly("1", null)));
    }

    [Fact]
    public async Task The_journal_pages_newest_first()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var eTag = await storage.WriteAsync(StateName, grain, WriteWith("4", null, Entry(1), Entry(2), Entry(3), Entry(4)));
        await storage.WriteAsync(StateName, grain, WriteWith("7", eTag, Entry(5), Entry(6), Entry(7)));

        var newest = await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 3));
        var next = await storage.ReadJournalAsync(StateName, grain, new JournalQuery(newest[^1].Sequence, 3));
        var last = await storage.ReadJournalAsync(StateName, grain, new JournalQuery(next[^1].Sequence, 3));
        var beyond = await storage.ReadJournalAsync(StateName, grain, new JournalQuery(last[^1].Sequence, 3));

        Assert.Equal([Entry(7), Entry(6), Entry(5)], newest);
        Assert.Equal([Entry(4), Entry(3), Entry(2)], next);
        Assert.Equal([Entry(1)], last);
        Assert.Empty(beyond);
        Assert.Equal([Entry(7), Entry(6), Entry(5), Entry(4), Entry(3), Entry(2), Entry(1)],
            await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 100)));
    }

    [Fact]
    public async Task Journal_entries_round_trip_exactly()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var entry = new JournalRecord(42, "charge", new DateTimeOffset(2025, 12, 31, 23, 59, 59, 999, TimeSpan.FromHours(9)).AddTicks(1234),
            """{"memo":"카카오 비즈니스 지갑 충전 ✓","amount":50000}""");
        await storage.WriteAsync(StateName, grain, WriteWith("s", null, entry));

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
        await storage.WriteAsync(StateName, grain, WriteWith("s", null, entries));

        var read = await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, count + 1));

        Assert.Equal(entries.Reverse(), read);
    }

    [Fact]
    public async Task Items_are_written_with_the_state_and_read_in_key_order_by_pages()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        GrainStateItem[] items = [new("0003", "c"), new("0001", """{"memo":"카카오 ✓"}"""), new("0002", "b"), new("0010", "j")];
        await storage.WriteAsync(StateName, grain, new GrainStateWrite("s", null, [Entry(1)], items));

        var first = await storage.ReadItemsAsync(StateName, grain, null, 3);
        var rest = await storage.ReadItemsAsync(StateName, grain, first[^1].Key, 3);

        Assert.Equal(items.OrderBy(i => i.Key, StringComparer.Ordinal), [.. first, .. rest]);
        Assert.Empty(await storage.ReadItemsAsync(StateName, grain, "0010", 3));
    }

    [Fact]
    public async Task A_later_write_replaces_items_of_the_same_key_and_keeps_the_others()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var eTag = await storage.WriteAsync(StateName, grain, new GrainStateWrite("s1", null, [], [new("a", "1"), new("b", "1")]));

        await storage.WriteAsync(StateName, grain, new GrainStateWrite(null, eTag, [Entry(1)], [new("b", "2"), new("c", "2")]));

        Assert.Equal([new("a", "1"), new("b", "2"), new("c", "2")], await storage.ReadItemsAsync(StateName, grain, null, 10));
        Assert.Equal("s1", (await storage.ReadAsync(StateName, grain)).Data);
    }

    [Fact]
    public async Task A_write_of_many_items_stores_them_all_replacing_those_of_the_same_key()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var eTag = await storage.WriteAsync(StateName, grain, new GrainStateWrite("s1", null, [], [.. Enumerable.Range(0, 12).Select(i => Item(i * 4, "old"))]));

        // 37 items, out of key order: more than a provider writes in one statement, 37 = 16 + 16 + 4 + 1. Keys 0, 4, ..., 36
        // replace items of the first write; 40 and 44 stay.
        GrainStateItem[] items = [.. Enumerable.Range(0, 37).Select(i => i * 17 % 37).Select(key => Item(key, $$"""{"new":{{key}}}"""))];
        await storage.WriteAsync(StateName, grain, new GrainStateWrite(null, eTag, [Entry(1)], items));

        Assert.Equal(
            [.. items.OrderBy(item => item.Key, StringComparer.Ordinal), Item(40, "old"), Item(44, "old")],
            await storage.ReadItemsAsync(StateName, grain, null, 100));
    }

    [Fact]
    public async Task A_failed_conditional_write_stores_none_of_its_items()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        await storage.WriteAsync(StateName, grain, new GrainStateWrite("s1", null, [], [new("a", "1")]));

        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.WriteAsync(StateName, grain, new GrainStateWrite("s2", "stale", [], [new("a", "2"), new("b", "2")])));

        Assert.Equal([new("a", "1")], await storage.ReadItemsAsync(StateName, grain, null, 10));
    }

    [Fact]
    public async Task Clearing_removes_the_items_and_other_states_keep_theirs()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var other = NewGrainId();
        var eTag = await storage.WriteAsync(StateName, grain, new GrainStateWrite("s", null, [], [new("a", "1")]));
        await storage.WriteAsync(StateName, other, new GrainStateWrite("s", null, [], [new("a", "other")]));

        await storage.ClearAsync(StateName, grain, eTag);

        Assert.Empty(await storage.ReadItemsAsync(StateName, grain, null, 10));
        Assert.Equal([new("a", "other")], await storage.ReadItemsAsync(StateName, other, null, 10));
        Assert.Empty(await storage.ReadItemsAsync("other-state", other, null, 10));
    }

    [Fact]
    public async Task The_journal_can_be_filtered_by_category_and_paged()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        await storage.WriteAsync(StateName, grain, WriteWith("s", null,
            Entry(1, "charge"), Entry(2, "spend"), Entry(3, null), Entry(4, "charge"), Entry(5, "Charge"), Entry(6, "charge"), Entry(7, "spend")));

        var charges = await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 2, ["charge"]));
        var olderCharges = await storage.ReadJournalAsync(StateName, grain, new JournalQuery(charges[^1].Sequence, 2, ["charge"]));
        var spends = await storage.ReadJournalAsync(StateName, grain, new JournalQuery(7, 10, ["spend"]));

        Assert.Equal([Entry(6, "charge"), Entry(4, "charge")], charges);
        Assert.Equal([Entry(1, "charge")], olderCharges);
        Assert.Equal([Entry(2, "spend")], spends);
        Assert.Empty(await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 10, ["refund"])));
    }

    [Fact]
    public async Task The_journal_can_be_filtered_by_several_categories()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        await storage.WriteAsync(StateName, grain, WriteWith("s", null,
            Entry(1, "charge"), Entry(2, "spend"), Entry(3, null), Entry(4, "refund"), Entry(5, "internal"), Entry(6, "charge")));

        var money = await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 3, ["charge", "refund", "spend"]));
        var older = await storage.ReadJournalAsync(StateName, grain, new JournalQuery(money[^1].Sequence, 3, ["charge", "refund", "spend"]));

        Assert.Equal([Entry(6, "charge"), Entry(4, "refund"), Entry(2, "spend")], money);
        Assert.Equal([Entry(1, "charge")], older);
    }

    [Fact]
    public async Task A_write_without_data_appends_entries_and_keeps_the_stored_state()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var first = await storage.WriteAsync(StateName, grain, WriteWith("snapshot", null, Entry(1)));

        var second = await storage.WriteAsync(StateName, grain, new GrainStateWrite(null, first, [Entry(2), Entry(3)]));

        Assert.NotEqual(first, second);
        Assert.Equal(new GrainStateRecord("snapshot", second), await storage.ReadAsync(StateName, grain));
        Assert.Equal([Entry(3), Entry(2), Entry(1)], await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 10)));
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteAsync(StateName, grain, new GrainStateWrite(null, first, [Entry(4)])));
        await Assert.ThrowsAsync<ArgumentException>(
            () => storage.WriteAsync(StateName, NewGrainId(), new GrainStateWrite(null, null, [Entry(1)])));
    }

    [Fact]
    public async Task Reading_the_journal_of_a_missing_state_returns_nothing()
    {
        var storage = await CreateStorageAsync();

        Assert.Empty(await storage.ReadJournalAsync(StateName, NewGrainId(), new JournalQuery(null, 10)));
    }

    [Fact]
    public async Task A_journal_page_needs_a_positive_limit()
    {
        var storage = await CreateStorageAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => storage.ReadJournalAsync(StateName, NewGrainId(), new JournalQuery(null, 0)));
    }

    [Fact]
    public async Task A_failed_conditional_write_appends_no_journal_entries()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var stale = await storage.WriteAsync(StateName, grain, WriteWith("1", null, Entry(1)));
        var current = await storage.WriteAsync(StateName, grain, WriteWith("2", stale, Entry(2)));

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteAsync(StateName, grain, WriteWith("lost", stale, Entry(3), Entry(4))));
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteAsync(StateName, NewGrainId(), WriteWith("lost", "1", Entry(1))));

        Assert.Equal(new GrainStateRecord("2", current), await storage.ReadAsync(StateName, grain));
        Assert.Equal([Entry(2), Entry(1)], await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 10)));
    }

    [Fact]
    public async Task A_journal_sequence_that_already_exists_is_rejected_with_the_whole_write()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var eTag = await storage.WriteAsync(StateName, grain, WriteWith("1", null, Entry(1), Entry(2)));

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteAsync(StateName, grain, WriteWith("2", eTag, Entry(2), Entry(3))));
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteAsync(StateName, grain, WriteWith("2", eTag, Entry(1))));

        Assert.Equal(new GrainStateRecord("1", eTag), await storage.ReadAsync(StateName, grain));
        Assert.Equal([Entry(2), Entry(1)], await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 10)));
        var next = await storage.WriteAsync(StateName, grain, WriteWith("2", eTag, Entry(3)));
        Assert.Equal(new GrainStateRecord("2", next), await storage.ReadAsync(StateName, grain));
    }

    [Fact]
    public async Task Journal_sequences_within_one_write_must_increase()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteAsync(StateName, grain, WriteWith("1", null, Entry(1), Entry(1))));
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteAsync(StateName, grain, WriteWith("1", null, Entry(2), Entry(1))));

        Assert.Equal(GrainStateRecord.None, await storage.ReadAsync(StateName, grain));
        Assert.Empty(await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 10)));
    }

    [Fact]
    public async Task Concurrent_updates_with_the_same_etag_have_exactly_one_winner()
    {
        const int writers = 50;
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var eTag = await storage.WriteAsync(StateName, grain, WriteWith("start", null, Entry(1)));

        var outcomes = await RaceAsync(writers, i => storage.WriteAsync(StateName, grain, WriteWith($"writer {i}", eTag, Entry(100 + i))));

        var (winner, newETag, _) = Assert.Single(outcomes, outcome => outcome.ETag is not null);
        Assert.All(outcomes.Where(outcome => outcome.Index != winner), outcome => Assert.IsType<InconsistentStateException>(outcome.Error));
        Assert.Equal(new GrainStateRecord($"writer {winner}", newETag), await storage.ReadAsync(StateName, grain));
        Assert.Equal([Entry(100 + winner), Entry(1)], await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 100)));
    }

    [Fact]
    public async Task Concurrent_inserts_have_exactly_one_winner()
    {
        const int writers = 50;
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();

        var outcomes = await RaceAsync(writers, i => storage.WriteAsync(StateName, grain, WriteWith($"writer {i}", null, Entry(100 + i))));

        var (winner, eTag, _) = Assert.Single(outcomes, outcome => outcome.ETag is not null);
        Assert.All(outcomes.Where(outcome => outcome.Index != winner), outcome => Assert.IsType<InconsistentStateException>(outcome.Error));
        Assert.Equal(new GrainStateRecord($"writer {winner}", eTag), await storage.ReadAsync(StateName, grain));
        Assert.Equal([Entry(100 + winner)], await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 100)));
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

        var eTag = await storage.WriteAsync(StateName, grain, WriteWith(data, null, entry));

        Assert.Equal(new GrainStateRecord(data, eTag), await storage.ReadAsync(StateName, grain));
        Assert.Equal([entry], await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 1)));
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
            eTags[(stateName, grain)] = await storage.WriteAsync(stateName, grain, WriteWith($"{stateName} of {grain}", null, Entry(1, $"{stateName} of {grain}")));

        var cleared = await storage.ClearAsync(StateName, grains[0], eTags[(StateName, grains[0])]);

        Assert.Equal(new GrainStateRecord(null, cleared), await storage.ReadAsync(StateName, grains[0]));
        foreach (var (stateName, grain) in states.Skip(1))
        {
            Assert.Equal(new GrainStateRecord($"{stateName} of {grain}", eTags[(stateName, grain)]), await storage.ReadAsync(stateName, grain));
            Assert.Equal([Entry(1, $"{stateName} of {grain}")], await storage.ReadJournalAsync(stateName, grain, new JournalQuery(null, 10)));
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
}

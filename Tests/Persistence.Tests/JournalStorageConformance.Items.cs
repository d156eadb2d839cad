using Orleans.Storage;

namespace AdWallet.Persistence.Tests;

/// <summary>Items: history rows stored with a write, found by collection and key, listed newest first by sequence.</summary>
public abstract partial class JournalStorageConformance
{
    [Fact]
    public async Task Items_are_written_with_the_state_and_read_one_by_one()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        StateItemRecord[] items = [Item("charges", "c1", 1, """{"memo":"카카오 ✓"}"""), Item("charges", "c2", 2), Item("refunds", "c1", 3)];

        await WriteAsync(storage, StateName, grain, new JournalWrite("s", null, [Entry(1), Entry(2), Entry(3)], items));

        Assert.Equal(items[0], await storage.ReadItemAsync(StateName, grain, "charges", "c1"));
        Assert.Equal(items[1], await storage.ReadItemAsync(StateName, grain, "charges", "c2"));
        Assert.Equal(items[2], await storage.ReadItemAsync(StateName, grain, "refunds", "c1"));
        Assert.Null(await storage.ReadItemAsync(StateName, grain, "charges", "c3"));
        Assert.Null(await storage.ReadItemAsync(StateName, grain, "refunds", "c2"));
        Assert.Null(await storage.ReadItemAsync(StateName, grain, "Charges", "c1"));
        Assert.Null(await storage.ReadItemAsync("other", grain, "charges", "c1"));
    }

    [Fact]
    public async Task Items_page_newest_first_by_sequence_within_their_collection()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        // Keys out of sequence order, so that an order by key would show.
        StateItemRecord[] charges = [.. Enumerable.Range(1, 7).Select(i => Item("charges", $"k{(8 - i) * 7 % 10}", i * 10))];
        var eTag = await WriteAsync(storage, StateName, grain, new JournalWrite("s", null, [], [.. charges.Take(4), Item("refunds", "r", 25)]));
        await WriteAsync(storage, StateName, grain, new JournalWrite(null, eTag, [Entry(1)], [.. charges.Skip(4)]));

        var newest = await storage.ReadItemsAsync(StateName, grain, new ItemQuery("charges", null, 3));
        var next = await storage.ReadItemsAsync(StateName, grain, new ItemQuery("charges", newest[^1].Sequence, 3));
        var last = await storage.ReadItemsAsync(StateName, grain, new ItemQuery("charges", next[^1].Sequence, 3));
        var beyond = await storage.ReadItemsAsync(StateName, grain, new ItemQuery("charges", last[^1].Sequence, 3));

        Assert.Equal([charges[6], charges[5], charges[4]], newest);
        Assert.Equal([charges[3], charges[2], charges[1]], next);
        Assert.Equal([charges[0]], last);
        Assert.Empty(beyond);
        Assert.Equal([Item("refunds", "r", 25)], await ItemsAsync(storage, grain, "refunds"));
        Assert.Equal([charges[2], charges[1], charges[0]], await storage.ReadItemsAsync(StateName, grain, new ItemQuery("charges", 35, 10)));
    }

    [Fact]
    public async Task A_later_write_replaces_the_item_of_the_same_key_with_its_new_sequence_and_keeps_the_others()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var eTag = await WriteAsync(storage, StateName, grain, new JournalWrite("s1", null, [Entry(1), Entry(2)],
            [Item("charges", "a", 1, "a1"), Item("charges", "b", 2, "b1")]));

        await WriteAsync(storage, StateName, grain, new JournalWrite(null, eTag, [Entry(3), Entry(4)],
            [Item("charges", "a", 4, "a4"), Item("charges", "c", 3, "c3")]));

        Assert.Equal([Item("charges", "a", 4, "a4"), Item("charges", "c", 3, "c3"), Item("charges", "b", 2, "b1")], await ItemsAsync(storage, grain, "charges"));
        Assert.Equal(Item("charges", "a", 4, "a4"), await storage.ReadItemAsync(StateName, grain, "charges", "a"));
        Assert.Equal("s1", (await storage.ReadAsync(StateName, grain)).Data);
    }

    [Fact]
    public async Task A_write_of_many_items_stores_them_all_replacing_those_of_the_same_key()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var eTag = await WriteAsync(storage, StateName, grain,
            new JournalWrite("s1", null, [], [.. Enumerable.Range(0, 12).Select(i => Item("charges", $"{i * 4:D4}", i * 4, "old"))]));

        // 37 items, out of key order: more than a provider may write in one statement. Keys 0, 4, ..., 36 replace items
        // of the first write; 40 and 44 stay.
        StateItemRecord[] items = [.. Enumerable.Range(0, 37).Select(i => i * 17 % 37).Select(key => Item("charges", $"{key:D4}", 100 + key))];
        await WriteAsync(storage, StateName, grain, new JournalWrite(null, eTag, [Entry(1)], items));

        Assert.Equal(
            [.. items.OrderByDescending(item => item.Sequence), Item("charges", "0044", 44, "old"), Item("charges", "0040", 40, "old")],
            await ItemsAsync(storage, grain, "charges"));
    }

    [Fact]
    public async Task A_failed_conditional_write_stores_none_of_its_items()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        await WriteAsync(storage, StateName, grain, new JournalWrite("s1", null, [], [Item("charges", "a", 1, "1")]));

        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            WriteAsync(storage, StateName, grain, new JournalWrite("s2", "stale", [], [Item("charges", "a", 2, "2"), Item("charges", "b", 2, "2")])));

        Assert.Equal([Item("charges", "a", 1, "1")], await ItemsAsync(storage, grain, "charges"));
    }

    [Fact]
    public async Task Clearing_removes_the_journal_and_items_and_other_states_keep_theirs()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var other = NewGrainId();
        var eTag = await WriteAsync(storage, StateName, grain, new JournalWrite("s", null, [Entry(1)], [Item("charges", "a", 1, "1")]));
        await WriteAsync(storage, StateName, other, new JournalWrite("s", null, [Entry(1)], [Item("charges", "a", 1, "other")]));

        await ClearAsync(storage, grain, eTag);

        Assert.Empty(await ItemsAsync(storage, grain, "charges"));
        Assert.Null(await storage.ReadItemAsync(StateName, grain, "charges", "a"));
        Assert.Empty(await JournalAsync(storage, grain));
        Assert.Equal([Item("charges", "a", 1, "other")], await ItemsAsync(storage, other, "charges"));
        Assert.Equal([Entry(1)], await JournalAsync(storage, other));
    }
}

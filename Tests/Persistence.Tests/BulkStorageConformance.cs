namespace AdWallet.Persistence.Tests;

/// <summary>
/// The behaviour every <see cref="IKeySetStorage"/> and <see cref="IBlobStorage"/> provider must have. Each provider
/// runs it through a subclass (the PostgreSQL tests compile this file too).
/// </summary>
public abstract class BulkStorageConformance
{
    protected abstract Task<(IKeySetStorage Sets, IBlobStorage Blobs)> CreateStorageAsync();

    private static string NewSet() => "set:" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Adding_is_idempotent_and_sets_are_counted_and_compared_in_storage()
    {
        var (sets, _) = await CreateStorageAsync();
        var friends = NewSet();
        var file = NewSet();
        Assert.Equal(0, await sets.CountAsync(friends));
        Assert.Equal(0, await sets.CountCommonAsync(friends, file));

        await sets.AddAsync(friends, ["+821000000001", "+821000000002", "+821000000003"]);
        await sets.AddAsync(friends, ["+821000000003", "+821000000004"]);
        // A batch replayed after a crash adds nothing.
        await sets.AddAsync(friends, ["+821000000003", "+821000000004"]);
        await sets.AddAsync(file, ["+821000000002", "+821000000004", "+821000000009"]);

        Assert.Equal(4, await sets.CountAsync(friends));
        Assert.Equal(3, await sets.CountAsync(file));
        Assert.Equal(2, await sets.CountCommonAsync(file, friends));
        Assert.Equal(2, await sets.CountCommonAsync(friends, file));
        Assert.Equal(0, await sets.CountCommonAsync(file, NewSet()));
    }

    [Fact]
    public async Task Members_page_in_descending_ordinal_order()
    {
        var (sets, _) = await CreateStorageAsync();
        var set = NewSet();
        await sets.AddAsync(set, ["cf_b", "cf_a", "cf_d", "cf_c", "CF_Z"]);
        await sets.AddAsync(NewSet(), ["cf_e"]);

        Assert.Equal(["cf_d", "cf_c"], await sets.ListDescendingAsync(set, null, 2));
        Assert.Equal(["cf_b", "cf_a", "CF_Z"], await sets.ListDescendingAsync(set, "cf_c", 10));
        Assert.Empty(await sets.ListDescendingAsync(NewSet(), null, 10));
    }

    [Fact]
    public async Task Members_are_removed_one_by_one_or_with_their_whole_set()
    {
        var (sets, _) = await CreateStorageAsync();
        var set = NewSet();
        var other = NewSet();
        var many = Enumerable.Range(0, 25_000).Select(i => $"+8210{i:D8}").ToArray();
        foreach (var batch in many.Chunk(10_000)) await sets.AddAsync(set, batch);
        await sets.AddAsync(other, ["+821000000001"]);

        await sets.RemoveAsync(set, ["+821000000001", "+821099999999"]);
        Assert.Equal(24_999, await sets.CountAsync(set));

        await sets.DeleteAsync(set);
        Assert.Equal(0, await sets.CountAsync(set));
        Assert.Equal(1, await sets.CountAsync(other));
        await sets.DeleteAsync(set);
        // A deleted set can be filled again.
        await sets.AddAsync(set, ["x"]);
        Assert.Equal(1, await sets.CountAsync(set));
    }

    [Fact]
    public async Task Blob_chunks_are_replaced_read_back_and_deleted_together()
    {
        var (_, blobs) = await CreateStorageAsync();
        var blob = "blob:" + Guid.NewGuid().ToString("N");
        var large = Enumerable.Range(0, 300_000).Select(i => (byte)i).ToArray();
        await blobs.WriteChunkAsync(blob, 0, large);
        await blobs.WriteChunkAsync(blob, 1, new byte[] { 1, 2, 3 });
        await blobs.WriteChunkAsync(blob, 1, new byte[] { 4, 5 });

        Assert.Equal(large, await blobs.ReadChunkAsync(blob, 0));
        Assert.Equal([4, 5], await blobs.ReadChunkAsync(blob, 1));
        Assert.Null(await blobs.ReadChunkAsync(blob, 2));

        await blobs.DeleteAsync(blob);
        Assert.Null(await blobs.ReadChunkAsync(blob, 0));
        Assert.Null(await blobs.ReadChunkAsync(blob, 1));
    }
}

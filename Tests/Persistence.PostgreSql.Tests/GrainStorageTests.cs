using Orleans;
using Orleans.Storage;

namespace AdWallet.Persistence.PostgreSql.Tests;

/// <summary>Orleans' <see cref="IGrainStorage"/> (for <c>[PersistentState]</c>) of <see cref="PostgreSqlGrainStorage"/>.</summary>
public sealed class GrainStorageTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private IGrainStorage _storage = null!;

    public async Task InitializeAsync() => _storage = await _database.StartStorageAsync("Default");

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task State_round_trips_as_StateJson_without_type_names()
    {
        var grain = TestDatabase.NewGrainId();
        var state = new GrainState<Profile>(new Profile { DisplayName = "Ann", Tier = Tier.Gold, Tags = ["a", "b"] });
        await _storage.WriteStateAsync("profile", grain, state);
        Assert.Equal("1", state.ETag);
        Assert.True(state.RecordExists);

        var read = new GrainState<Profile>();
        await _storage.ReadStateAsync("profile", grain, read);
        Assert.Equal("1", read.ETag);
        Assert.True(read.RecordExists);
        Assert.Equal("Ann", read.State!.DisplayName);
        Assert.Equal(Tier.Gold, read.State!.Tier);
        Assert.Equal(["a", "b"], read.State!.Tags);

        var json = await _database.ScalarAsync<string>("SELECT data FROM grain_state");
        Assert.Equal("{\"displayName\":\"Ann\",\"tier\":\"Gold\",\"tags\":[\"a\",\"b\"]}", json);
        Assert.DoesNotContain("$type", json);
        Assert.DoesNotContain("AdWallet", json);
    }

    [Fact]
    public async Task A_missing_state_reads_as_a_new_one_without_an_etag()
    {
        var read = new GrainState<Profile>();
        await _storage.ReadStateAsync("profile", TestDatabase.NewGrainId(), read);
        Assert.Null(read.ETag);
        Assert.False(read.RecordExists);
        Assert.NotNull(read.State);
        Assert.Equal("", read.State!.DisplayName);
    }

    [Fact]
    public async Task Writes_with_a_stale_etag_fail()
    {
        var grain = TestDatabase.NewGrainId();
        var first = new GrainState<Profile>(new Profile { DisplayName = "one" });
        await _storage.WriteStateAsync("profile", grain, first);
        var second = new GrainState<Profile>(new Profile { DisplayName = "two" }) { ETag = first.ETag };
        await _storage.WriteStateAsync("profile", grain, second);
        Assert.Equal("2", second.ETag);

        var stale = new GrainState<Profile>(new Profile { DisplayName = "stale" }) { ETag = "1" };
        var failure = await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("profile", grain, stale));
        Assert.Equal("2", failure.StoredEtag);
        Assert.Equal("1", stale.ETag);
        var fresh = new GrainState<Profile>(new Profile { DisplayName = "fresh" });
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("profile", grain, fresh));

        var read = new GrainState<Profile>();
        await _storage.ReadStateAsync("profile", grain, read);
        Assert.Equal("two", read.State!.DisplayName);
    }

    [Fact]
    public async Task Clearing_leaves_a_tombstone_that_older_etags_cannot_overwrite()
    {
        var grain = TestDatabase.NewGrainId();
        var state = new GrainState<Profile>(new Profile { DisplayName = "x" });
        await _storage.WriteStateAsync("profile", grain, state);
        var beforeClear = state.ETag;

        await _storage.ClearStateAsync("profile", grain, state);
        Assert.Equal("2", state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal("", state.State!.DisplayName);

        var row = Assert.Single(await _database.RowsAsync("SELECT data, version FROM grain_state"));
        Assert.Null(row[0]);
        Assert.Equal(2L, row[1]);

        var read = new GrainState<Profile>();
        await _storage.ReadStateAsync("profile", grain, read);
        Assert.False(read.RecordExists);
        Assert.Equal("2", read.ETag);

        // Neither the ETag from before the clear nor "no row" can recreate it; the tombstone's ETag can.
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            _storage.WriteStateAsync("profile", grain, new GrainState<Profile>(new Profile()) { ETag = beforeClear }));
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            _storage.WriteStateAsync("profile", grain, new GrainState<Profile>(new Profile())));
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            _storage.ClearStateAsync("profile", grain, new GrainState<Profile>(new Profile()) { ETag = beforeClear }));
        var again = new GrainState<Profile>(new Profile { DisplayName = "back" }) { ETag = read.ETag };
        await _storage.WriteStateAsync("profile", grain, again);
        Assert.Equal("3", again.ETag);
        Assert.True(again.RecordExists);
    }

    [Fact]
    public async Task Clearing_a_state_that_was_never_written_stores_a_tombstone()
    {
        var grain = TestDatabase.NewGrainId();
        var state = new GrainState<Profile>(new Profile());
        await _storage.ClearStateAsync("profile", grain, state);
        Assert.Equal("1", state.ETag);
        Assert.False(state.RecordExists);
    }

    [Fact]
    public async Task Providers_of_different_names_do_not_share_rows()
    {
        var other = await _database.StartStorageAsync("Other");
        var grain = TestDatabase.NewGrainId();
        await _storage.WriteStateAsync("profile", grain, new GrainState<Profile>(new Profile { DisplayName = "default" }));
        var read = new GrainState<Profile>();
        await ((IGrainStorage)other).ReadStateAsync("profile", grain, read);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
    }

    public enum Tier { Basic, Gold }

    public sealed class Profile
    {
        public string DisplayName { get; set; } = "";

        public Tier Tier { get; set; }

        public List<string> Tags { get; set; } = [];
    }
}

using System.Diagnostics.CodeAnalysis;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace AdWallet.Persistence.Tests;

/// <summary>The provider as Orleans' <see cref="IGrainStorage"/>, for <c>[PersistentState]</c> states, and clearing.</summary>
public abstract partial class JournalStorageConformance
{
    public enum AccountStatus
    {
        Active,
        Suspended,
    }

    public sealed class Account
    {
        public long Balance { get; set; }

        public AccountStatus Status { get; set; }

        public string? Memo { get; set; }

        public List<string> Tags { get; set; } = [];
    }

    /// <summary>What Orleans hands a storage provider for a <c>[PersistentState]</c> state.</summary>
    public sealed class AccountState(Account state) : IGrainState<Account>
    {
        private Account _state = state;

        [AllowNull]
        public Account State
        {
            get => _state;
            set => _state = value ?? new Account();
        }

        public string? ETag { get; set; }

        public bool RecordExists { get; set; }
    }

    private static Account SampleAccount(long balance) =>
        new() { Balance = balance, Status = AccountStatus.Suspended, Memo = "카카오 ✓", Tags = ["a", "b"] };

    private static async Task<AccountState> ReadStateAsync(IJournalStorage storage, GrainId grain, string stateName = StateName)
    {
        var state = new AccountState(SampleAccount(-1)) { ETag = "junk", RecordExists = true };
        await GrainStorage(storage).ReadStateAsync(stateName, grain, state);
        return state;
    }

    private static async Task<string> WriteStateAsync(IJournalStorage storage, GrainId grain, AccountState state)
    {
        await GrainStorage(storage).WriteStateAsync(StateName, grain, state);
        return state.ETag!;
    }

    [Fact]
    public async Task A_missing_grain_state_reads_as_a_new_state_without_etag()
    {
        var storage = await CreateStorageAsync();

        var state = await ReadStateAsync(storage, NewGrainId());

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.Equal(0, state.State.Balance);
        Assert.Null(state.State.Memo);
    }

    [Fact]
    public async Task A_grain_state_round_trips_and_each_write_changes_the_etag()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var state = new AccountState(SampleAccount(100));

        var first = await WriteStateAsync(storage, grain, state);
        state.State.Balance = 250;
        var second = await WriteStateAsync(storage, grain, state);
        var read = await ReadStateAsync(storage, grain);

        Assert.False(string.IsNullOrEmpty(first));
        Assert.NotEqual(first, second);
        Assert.True(state.RecordExists);
        Assert.True(read.RecordExists);
        Assert.Equal(second, read.ETag);
        Assert.Equal(StateJson.Serialize(state.State), StateJson.Serialize(read.State));
        Assert.Equal(250, read.State.Balance);
        Assert.Equal(AccountStatus.Suspended, read.State.Status);
        Assert.Equal(["a", "b"], read.State.Tags);
        // The journal side sees the same row.
        Assert.Equal(second, (await storage.ReadAsync(StateName, grain)).ETag);
    }

    [Fact]
    public async Task A_grain_state_is_stored_as_state_json_without_type_names()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var account = SampleAccount(100);

        await WriteStateAsync(storage, grain, new AccountState(account));

        var data = (await storage.ReadAsync(StateName, grain)).Data!;
        Assert.Equal(StateJson.Serialize(account), data);
        Assert.Contains("\"balance\":100", data);
        Assert.Contains("\"status\":\"Suspended\"", data);
        Assert.DoesNotContain("$type", data);
        Assert.DoesNotContain(nameof(Account), data);
        Assert.DoesNotContain("AdWallet", data);
    }

    [Fact]
    public async Task A_grain_state_write_with_a_stale_etag_throws_and_changes_nothing()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var current = new AccountState(SampleAccount(1));
        var stale = new AccountState(SampleAccount(1));
        stale.ETag = await WriteStateAsync(storage, grain, current);
        current.State.Balance = 2;
        var currentETag = await WriteStateAsync(storage, grain, current);
        var staleETag = stale.ETag;
        stale.State.Balance = 999;

        var exception = await Assert.ThrowsAsync<InconsistentStateException>(() => GrainStorage(storage).WriteStateAsync(StateName, grain, stale));
        var insert = new AccountState(SampleAccount(998));
        await Assert.ThrowsAsync<InconsistentStateException>(() => GrainStorage(storage).WriteStateAsync(StateName, grain, insert));

        Assert.Equal(currentETag, exception.StoredEtag);
        Assert.Equal(staleETag, exception.CurrentEtag);
        Assert.Equal(staleETag, stale.ETag);
        var read = await ReadStateAsync(storage, grain);
        Assert.Equal(currentETag, read.ETag);
        Assert.Equal(2, read.State.Balance);
    }

    [Fact]
    public async Task Clearing_a_grain_state_leaves_a_tombstone_that_stale_writers_cannot_recreate()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var state = new AccountState(SampleAccount(100));
        var written = await WriteStateAsync(storage, grain, state);
        var stale = new AccountState(SampleAccount(666)) { ETag = written };

        await GrainStorage(storage).ClearStateAsync(StateName, grain, state);
        var tombstone = state.ETag;

        Assert.NotNull(tombstone);
        Assert.NotEqual(written, tombstone);
        Assert.False(state.RecordExists);
        Assert.Equal(0, state.State.Balance);
        Assert.Equal(new JournalStateRecord(null, tombstone), await storage.ReadAsync(StateName, grain));
        var read = await ReadStateAsync(storage, grain);
        Assert.False(read.RecordExists);
        Assert.Equal(tombstone, read.ETag);
        Assert.Equal(0, read.State.Balance);

        // A writer that read before the clear, and one that never read a row, cannot bring the state back.
        await Assert.ThrowsAsync<InconsistentStateException>(() => GrainStorage(storage).WriteStateAsync(StateName, grain, stale));
        var exception = await Assert.ThrowsAsync<InconsistentStateException>(
            () => GrainStorage(storage).WriteStateAsync(StateName, grain, new AccountState(SampleAccount(667))));
        Assert.Equal(tombstone, exception.StoredEtag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(storage, StateName, grain, StateOnly("{}", null)));
        Assert.Equal(new JournalStateRecord(null, tombstone), await storage.ReadAsync(StateName, grain));

        // One that read the tombstone can.
        read.State.Balance = 7;
        var rewritten = await WriteStateAsync(storage, grain, read);
        Assert.Equal(7, (await ReadStateAsync(storage, grain)).State.Balance);
        Assert.Equal(3, new[] { written, tombstone, rewritten }.Distinct().Count());
    }

    [Fact]
    public async Task A_cleared_journaled_state_can_be_written_again_with_the_tombstone_etag_and_its_journal_restarts()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var written = await WriteAsync(storage, StateName, grain, WriteWith("1", null, Entry(1), Entry(2)));
        var cleared = await ClearAsync(storage, grain, written);

        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(storage, StateName, grain, WriteWith("stale", written, Entry(3))));
        var rewritten = await WriteAsync(storage, StateName, grain, WriteWith("again", cleared, Entry(1)));

        Assert.Equal(new JournalStateRecord("again", rewritten), await storage.ReadAsync(StateName, grain));
        Assert.Equal([Entry(1)], await JournalAsync(storage, grain));
        Assert.Equal(3, new[] { written, cleared, rewritten }.Distinct().Count());
    }

    [Fact]
    public async Task Clearing_with_a_stale_etag_throws_and_keeps_state_journal_and_items()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var stale = await WriteAsync(storage, StateName, grain, WriteWith("1", null, Entry(1)));
        var current = await WriteAsync(storage, StateName, grain, new JournalWrite("2", stale, [Entry(2)], [Item("charges", "c2", 2)]));

        await Assert.ThrowsAsync<InconsistentStateException>(() => ClearAsync(storage, grain, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => ClearAsync(storage, grain, null));

        Assert.Equal(new JournalStateRecord("2", current), await storage.ReadAsync(StateName, grain));
        Assert.Equal([Entry(2), Entry(1)], await JournalAsync(storage, grain));
        Assert.Equal([Item("charges", "c2", 2)], await ItemsAsync(storage, grain, "charges"));
    }

    [Fact]
    public async Task Clearing_a_missing_state_leaves_a_tombstone()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();

        var cleared = await ClearAsync(storage, grain, null);

        Assert.NotNull(cleared);
        Assert.Equal(new JournalStateRecord(null, cleared), await storage.ReadAsync(StateName, grain));
        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(storage, StateName, grain, StateOnly("1", null)));
    }

    [Fact]
    public async Task Grain_state_writes_of_many_grains_commit_together_and_one_stale_etag_fails_alone()
    {
        var storage = await CreateStorageAsync();
        var contested = NewGrainId();
        var stale = new AccountState(SampleAccount(1));
        await WriteStateAsync(storage, contested, stale);
        var current = new AccountState(SampleAccount(2)) { ETag = stale.ETag };
        var currentETag = await WriteStateAsync(storage, contested, current);
        var grains = Enumerable.Range(0, 30).Select(_ => NewGrainId()).ToArray();
        var states = grains.Select((_, i) => new AccountState(SampleAccount(i))).ToArray();

        var writes = await WhileWritesAreHeldAsync(storage, () =>
        [
            .. grains.Take(15).Select((grain, i) => WriteStateAsync(storage, grain, states[i])),
            WriteStateAsync(storage, contested, stale),
            .. grains.Skip(15).Select((grain, i) => WriteStateAsync(storage, grain, states[15 + i])),
        ]);

        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[15]);
        for (var i = 0; i < grains.Length; i++)
        {
            var read = await ReadStateAsync(storage, grains[i]);
            Assert.Equal(i, read.State.Balance);
            Assert.Equal(states[i].ETag, read.ETag);
        }
        var contestedRead = await ReadStateAsync(storage, contested);
        Assert.Equal(2, contestedRead.State.Balance);
        Assert.Equal(currentETag, contestedRead.ETag);
    }
}

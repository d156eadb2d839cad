using Granary.Storage;
using Granary.Tests.Grains;

namespace Granary.Tests;

public sealed class PersistenceTests
{
    private readonly Probe _probe = new();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task State_survives_a_silo_restart(bool graceful)
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var grain = cluster.GrainFactory.GetGrain<IPersistentCounterGrain>("kept");
        await grain.Add(5);
        await grain.Add(7);

        await cluster.RestartSiloAsync(cluster.Primary, graceful);

        Assert.Equal(12, await cluster.GrainFactory.GetGrain<IPersistentCounterGrain>("kept").Get());
    }

    [Fact]
    public async Task A_stale_activation_cannot_overwrite_and_is_dropped()
    {
        // Two silos with no shared directory each activate the same grain over the same storage: the situation the
        // ETag check exists for.
        await using var cluster = await Clusters.StartAsync(_probe, b => b.InitialSilosCount = 2);
        var onFirst = cluster.Silos[0].GrainFactory.GetGrain<IPersistentCounterGrain>("contested");
        var onSecond = cluster.Silos[1].GrainFactory.GetGrain<IPersistentCounterGrain>("contested");
        Assert.Equal(0, await onFirst.Get());
        Assert.Equal(0, await onSecond.Get());

        Assert.Equal(10, await onFirst.Add(10));
        await Assert.ThrowsAsync<InconsistentStateException>(() => onSecond.Add(1));

        // The stale activation was dropped: its next call reads what is stored and builds on it.
        Assert.Equal(10, await onSecond.Get());
        Assert.Equal(11, await onSecond.Add(1));
        var stored = await cluster.Silos[0].Services.GetKeyedStorage().ReadAsync("counter", new GrainId("persistentcounter", "contested"));
        Assert.Contains("\"value\":11", stored.Data);
    }

    [Fact]
    public async Task The_etag_changes_on_every_write_and_clear_removes_the_state()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var grain = cluster.GrainFactory.GetGrain<IPersistentCounterGrain>("etag");
        Assert.Null(await grain.Etag());

        await grain.Add(1);
        var first = await grain.Etag();
        await grain.Add(1);
        var second = await grain.Etag();
        Assert.NotNull(first);
        Assert.NotEqual(first, second);

        await grain.Clear();
        Assert.Equal(0, await grain.Get());
        await cluster.RestartSiloAsync(cluster.Primary);
        Assert.Equal(0, await cluster.GrainFactory.GetGrain<IPersistentCounterGrain>("etag").Get());
        Assert.Equal(3, await cluster.GrainFactory.GetGrain<IPersistentCounterGrain>("etag").Add(3));
    }

    [Fact]
    public async Task A_grain_reference_kept_in_state_works_after_a_restart()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var holder = cluster.GrainFactory.GetGrain<IPersistentCounterGrain>("holder");
        await holder.SetFriend(cluster.GrainFactory.GetGrain<ICounterGrain>("friend"));

        await cluster.RestartSiloAsync(cluster.Primary);

        holder = cluster.GrainFactory.GetGrain<IPersistentCounterGrain>("holder");
        Assert.Equal(1, await holder.IncrementFriend());
        Assert.Equal(1, await cluster.GrainFactory.GetGrain<ICounterGrain>("friend").Get());
    }

    [Fact]
    public async Task A_journaled_write_stores_the_state_and_its_entries_together()
    {
        await using var cluster = await Clusters.StartAsync(_probe);
        var ledger = cluster.GrainFactory.GetGrain<ILedgerGrain>("l");

        await ledger.Post([new(1_000, "charge a"), new(2_000, "charge b")], "charge");
        await ledger.Post([new(-500, "spend")], "use");
        await Assert.ThrowsAsync<InvalidOperationException>(() => ledger.Post([new(-10_000, "too much")], "use"));
        await cluster.RestartSiloAsync(cluster.Primary, graceful: false);
        ledger = cluster.GrainFactory.GetGrain<ILedgerGrain>("l");

        var lines = await ledger.Lines(before: null, limit: 10);
        Assert.Equal(2_500, await ledger.Balance());
        Assert.Equal([3L, 2L, 1L], lines.Select(l => l.Sequence));
        Assert.Equal(await ledger.Balance(), lines.Sum(l => l.Value.Amount));

        var page = await ledger.Lines(before: 3, limit: 1);
        Assert.Equal("charge b", Assert.Single(page).Value.Memo);
        var uses = await ledger.Lines(before: null, limit: 10, kind: "use");
        Assert.Equal("spend", Assert.Single(uses).Value.Memo);
    }

    [Fact]
    public async Task A_conflicting_journaled_write_stores_no_entries()
    {
        await using var cluster = await Clusters.StartAsync(_probe, b => b.InitialSilosCount = 2);
        var onFirst = cluster.Silos[0].GrainFactory.GetGrain<ILedgerGrain>("shared");
        var onSecond = cluster.Silos[1].GrainFactory.GetGrain<ILedgerGrain>("shared");
        await onFirst.Balance();
        await onSecond.Balance();

        await onFirst.Post([new(100, "first")], "charge");
        await Assert.ThrowsAsync<InconsistentStateException>(() => onSecond.Post([new(200, "second"), new(300, "third")], "charge"));

        var lines = await onSecond.Lines(null, 10);
        Assert.Equal("first", Assert.Single(lines).Value.Memo);
        Assert.Equal(100, await onSecond.Balance());
    }
}

using Granary.Hosting;
using Granary.Membership;
using Xunit;

namespace Granary.Tests.Membership;

/// <summary>The behaviour every <see cref="IMembershipTable"/> must have. Each provider runs it through a subclass.</summary>
public abstract class MembershipTableTests
{
    protected static readonly DateTimeOffset Now = new DateTimeOffset(2025, 3, 1, 9, 0, 0, 250, TimeSpan.FromHours(9)).AddTicks(7);

    /// <summary>A started, empty membership table. Called once per test at most.</summary>
    protected abstract Task<IMembershipTable> CreateTableAsync();

    /// <summary>
    /// <paramref name="count"/> tables over one empty store, as several silos see the cluster's table (for a database,
    /// each over a database object of its own).
    /// </summary>
    protected abstract Task<IMembershipTable[]> CreateSharedTablesAsync(int count);

    protected static SiloAddress Address(int port = 11111, long generation = 638_999_999_999) => new("10.0.0.7", port, generation);

    protected static MembershipEntry Entry(SiloAddress address, SiloStatus status = SiloStatus.Active, DateTimeOffset? iAmAliveAt = null) =>
        new(address, status, "silo-host-7", Now.AddMinutes(-10).AddTicks(3), iAmAliveAt ?? Now, 42);

    [Fact]
    public async Task An_empty_table_reads_no_rows()
    {
        var table = await CreateTableAsync();

        Assert.Empty(await table.ReadAllAsync());
    }

    [Fact]
    public async Task An_inserted_row_reads_back_with_every_field()
    {
        var table = await CreateTableAsync();
        var entry = new MembershipEntry(new SiloAddress("silo-a.internal", 30_000, 638_123_456_789_012_345), SiloStatus.Joining,
            "machine-a", Now.AddHours(-1).AddTicks(1), Now.AddTicks(9), 1234);

        Assert.True(await table.InsertRowAsync(entry));

        var read = Assert.Single(await table.ReadAllAsync());
        Assert.Equal(entry, read);
        Assert.Equal(entry.StartedAt.UtcTicks, read.StartedAt.UtcTicks);
        Assert.Equal(entry.IAmAliveAt.UtcTicks, read.IAmAliveAt.UtcTicks);
    }

    [Fact]
    public async Task Inserting_an_address_that_exists_returns_false_and_keeps_the_row()
    {
        var table = await CreateTableAsync();
        var entry = Entry(Address());
        Assert.True(await table.InsertRowAsync(entry));

        Assert.False(await table.InsertRowAsync(entry with { Status = SiloStatus.Joining, HostName = "other", ActivationCount = 0 }));

        Assert.Equal([entry], await table.ReadAllAsync());
    }

    [Fact]
    public async Task Updating_writes_the_status_heartbeat_and_activation_count_and_nothing_else()
    {
        var table = await CreateTableAsync();
        var entry = Entry(Address(), SiloStatus.Joining);
        Assert.True(await table.InsertRowAsync(entry));

        Assert.True(await table.UpdateRowAsync(entry.Address, SiloStatus.Active, Now.AddSeconds(5).AddTicks(1), 7));

        Assert.Equal([entry with { Status = SiloStatus.Active, IAmAliveAt = Now.AddSeconds(5).AddTicks(1), ActivationCount = 7 }], await table.ReadAllAsync());
        Assert.True(await table.UpdateRowAsync(entry.Address, SiloStatus.ShuttingDown, Now.AddSeconds(10), 0));
        Assert.Equal([entry with { Status = SiloStatus.ShuttingDown, IAmAliveAt = Now.AddSeconds(10), ActivationCount = 0 }], await table.ReadAllAsync());
    }

    [Fact]
    public async Task Updating_a_missing_row_returns_false_and_adds_nothing()
    {
        var table = await CreateTableAsync();
        var entry = Entry(Address());
        Assert.True(await table.InsertRowAsync(entry));

        Assert.False(await table.UpdateRowAsync(Address(generation: entry.Address.Generation + 1), SiloStatus.Active, Now, 1));
        Assert.False(await table.UpdateRowAsync(Address(port: 11112), SiloStatus.Active, Now, 1));
        Assert.False(await table.UpdateRowAsync(entry.Address with { Host = "10.0.0.8" }, SiloStatus.Active, Now, 1));

        Assert.Equal([entry], await table.ReadAllAsync());
    }

    [Fact]
    public async Task Updating_a_dead_row_returns_false_and_changes_nothing()
    {
        var table = await CreateTableAsync();
        var entry = Entry(Address(), SiloStatus.Dead);
        Assert.True(await table.InsertRowAsync(entry));

        Assert.False(await table.UpdateRowAsync(entry.Address, SiloStatus.Active, Now.AddMinutes(1), 3));
        Assert.False(await table.UpdateRowAsync(entry.Address, SiloStatus.Dead, Now.AddMinutes(1), 3));

        Assert.Equal([entry], await table.ReadAllAsync());
    }

    [Fact]
    public async Task A_silo_that_writes_its_own_death_stays_dead()
    {
        var table = await CreateTableAsync();
        var entry = Entry(Address());
        Assert.True(await table.InsertRowAsync(entry));

        Assert.True(await table.UpdateRowAsync(entry.Address, SiloStatus.Dead, Now.AddSeconds(1), 0));

        Assert.False(await table.UpdateRowAsync(entry.Address, SiloStatus.Active, Now.AddSeconds(2), 5));
        Assert.False(await table.DeclareDeadAsync(entry.Address, Now.AddDays(1)));
        Assert.Equal([entry with { Status = SiloStatus.Dead, IAmAliveAt = Now.AddSeconds(1), ActivationCount = 0 }], await table.ReadAllAsync());
    }

    [Fact]
    public async Task A_row_declared_dead_never_comes_back()
    {
        var table = await CreateTableAsync();
        var entry = Entry(Address());
        Assert.True(await table.InsertRowAsync(entry));
        Assert.True(await table.DeclareDeadAsync(entry.Address, Now.AddSeconds(30)));
        var dead = entry with { Status = SiloStatus.Dead };

        Assert.False(await table.UpdateRowAsync(entry.Address, SiloStatus.Active, Now.AddMinutes(1), 1));
        Assert.False(await table.UpdateRowAsync(entry.Address, SiloStatus.Joining, Now.AddMinutes(1), 1));
        Assert.False(await table.InsertRowAsync(entry));
        Assert.False(await table.DeclareDeadAsync(entry.Address, Now.AddDays(1)));

        Assert.Equal([dead], await table.ReadAllAsync());
    }

    [Fact]
    public async Task Declaring_dead_needs_a_heartbeat_older_than_the_bound()
    {
        var table = await CreateTableAsync();
        var entry = Entry(Address(), iAmAliveAt: Now);
        Assert.True(await table.InsertRowAsync(entry));

        Assert.False(await table.DeclareDeadAsync(entry.Address, Now.AddSeconds(-1)));
        Assert.False(await table.DeclareDeadAsync(entry.Address, Now));
        Assert.False(await table.DeclareDeadAsync(entry.Address, Now.ToOffset(TimeSpan.Zero)));
        Assert.Equal([entry], await table.ReadAllAsync());

        Assert.True(await table.DeclareDeadAsync(entry.Address, Now.AddTicks(1)));

        Assert.Equal([entry with { Status = SiloStatus.Dead }], await table.ReadAllAsync());
    }

    [Fact]
    public async Task A_fresh_heartbeat_saves_a_silo_from_being_declared_dead()
    {
        var table = await CreateTableAsync();
        var entry = Entry(Address(), iAmAliveAt: Now.AddMinutes(-5));
        Assert.True(await table.InsertRowAsync(entry));

        // The suspecting silo read the old heartbeat; the silo beats before the declaration arrives.
        Assert.True(await table.UpdateRowAsync(entry.Address, SiloStatus.Active, Now, 9));

        Assert.False(await table.DeclareDeadAsync(entry.Address, Now.AddMinutes(-1)));
        Assert.Equal([entry with { IAmAliveAt = Now, ActivationCount = 9 }], await table.ReadAllAsync());
    }

    [Fact]
    public async Task Declaring_a_missing_silo_dead_returns_false_and_adds_nothing()
    {
        var table = await CreateTableAsync();

        Assert.False(await table.DeclareDeadAsync(Address(), Now.AddDays(1)));

        Assert.Empty(await table.ReadAllAsync());
    }

    [Fact]
    public async Task Of_concurrent_declarations_of_one_death_exactly_one_succeeds()
    {
        var tables = await CreateSharedTablesAsync(2);
        var addresses = Enumerable.Range(0, 20).Select(i => Address(12_000 + i)).ToArray();
        foreach (var address in addresses) Assert.True(await tables[0].InsertRowAsync(Entry(address, iAmAliveAt: Now.AddMinutes(-5))));

        var declarations = await Task.WhenAll(addresses.Select(address => Task.WhenAll(
            tables.Select(table => Task.Run(() => table.DeclareDeadAsync(address, Now))))));

        Assert.All(declarations, results => Assert.Single(results, declared => declared));
        Assert.All(await tables[1].ReadAllAsync(), row => Assert.Equal(SiloStatus.Dead, row.Status));
    }

    [Fact]
    public async Task Heartbeats_racing_a_declaration_of_death_end_consistent()
    {
        var tables = await CreateSharedTablesAsync(2);
        var bound = Now.AddMinutes(-1);
        var addresses = Enumerable.Range(0, 20).Select(i => Address(13_000 + i)).ToArray();
        foreach (var address in addresses) Assert.True(await tables[0].InsertRowAsync(Entry(address, iAmAliveAt: Now.AddMinutes(-5))));

        var races = addresses.Select(address => (
            Heartbeats: Task.Run(async () =>
            {
                var results = new List<bool>();
                for (var beat = 1; beat <= 5; beat++) results.Add(await tables[0].UpdateRowAsync(address, SiloStatus.Active, Now.AddSeconds(beat), beat));
                return results;
            }),
            Declaration: Task.Run(() => tables[1].DeclareDeadAsync(address, bound)))).ToArray();
        await Task.WhenAll(races.SelectMany(race => new Task[] { race.Heartbeats, race.Declaration }));

        var rows = (await tables[0].ReadAllAsync()).ToDictionary(row => row.Address);
        foreach (var (address, (heartbeats, declaration)) in addresses.Zip(races))
        {
            var beats = await heartbeats;
            var row = rows[address];
            if (await declaration)
            {
                // Declared before the first heartbeat landed: every heartbeat was refused and the row is as it was, dead.
                Assert.All(beats, Assert.False);
                Assert.Equal(Entry(address, SiloStatus.Dead, Now.AddMinutes(-5)), row);
            }
            else
            {
                // The first heartbeat landed first and saved it: every heartbeat was taken.
                Assert.All(beats, Assert.True);
                Assert.Equal(Entry(address, SiloStatus.Active, Now.AddSeconds(5)) with { ActivationCount = 5 }, row);
            }
        }
    }

    [Fact]
    public async Task Cleaning_up_removes_only_dead_rows_whose_heartbeat_is_older_than_the_bound()
    {
        var table = await CreateTableAsync();
        var bound = Now.AddHours(-1);
        MembershipEntry[] defunct = [Entry(Address(1), SiloStatus.Dead, bound.AddTicks(-1)), Entry(Address(2), SiloStatus.Dead, bound.AddDays(-3))];
        MembershipEntry[] kept =
        [
            Entry(Address(3), SiloStatus.Dead, bound),
            Entry(Address(4), SiloStatus.Dead, Now),
            Entry(Address(5), SiloStatus.Active, bound.AddDays(-3)),
            Entry(Address(6), SiloStatus.ShuttingDown, bound.AddDays(-3)),
            Entry(Address(7), SiloStatus.Joining, Now),
        ];
        foreach (var entry in defunct.Concat(kept)) Assert.True(await table.InsertRowAsync(entry));

        Assert.Equal(2, await table.CleanupDefunctAsync(bound));

        Assert.Equal(kept.OrderBy(row => row.Address), (await table.ReadAllAsync()).OrderBy(row => row.Address));
        Assert.Equal(0, await table.CleanupDefunctAsync(bound));
        Assert.Equal(1, await table.CleanupDefunctAsync(bound.AddTicks(1)));
    }

    [Fact]
    public async Task Generations_of_one_host_and_port_are_distinct_rows()
    {
        var table = await CreateTableAsync();
        var first = Entry(Address(generation: 1), iAmAliveAt: Now.AddMinutes(-10));
        var second = Entry(Address(generation: 2), SiloStatus.Joining);
        var third = Entry(Address(generation: 3), SiloStatus.Joining);
        foreach (var entry in new[] { first, second, third }) Assert.True(await table.InsertRowAsync(entry));

        Assert.True(await table.DeclareDeadAsync(first.Address, Now.AddMinutes(-1)));
        Assert.True(await table.UpdateRowAsync(second.Address, SiloStatus.Active, Now.AddSeconds(1), 2));
        Assert.Equal(1, await table.CleanupDefunctAsync(Now));

        Assert.Equal(
            [second with { Status = SiloStatus.Active, IAmAliveAt = Now.AddSeconds(1), ActivationCount = 2 }, third],
            (await table.ReadAllAsync()).OrderBy(row => row.Address));
    }

    [Fact]
    public async Task Tables_over_one_store_see_each_others_rows()
    {
        var tables = await CreateSharedTablesAsync(2);
        var entry = Entry(Address());

        Assert.True(await tables[0].InsertRowAsync(entry));
        Assert.False(await tables[1].InsertRowAsync(entry));
        Assert.True(await tables[1].DeclareDeadAsync(entry.Address, Now.AddTicks(1)));

        Assert.False(await tables[0].UpdateRowAsync(entry.Address, SiloStatus.Active, Now.AddMinutes(1), 1));
        Assert.Equal([entry with { Status = SiloStatus.Dead }], await tables[0].ReadAllAsync());
    }
}

using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Runtime.Membership;
using Orleans.Runtime.MembershipService;

namespace AdWallet.Persistence.PostgreSql.Tests;

/// <summary>
/// Orleans' own ADO.NET membership table and reminder table, driven directly against this project's schema scripts,
/// for what a running cluster rarely shows: the conditional writes that lose, and reminder range reads.
/// </summary>
public sealed class OrleansTablesTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private string _connectionString = null!;

    public async Task InitializeAsync()
    {
        var options = _database.Options();
        await PostgreSqlSchema.ApplyAsync(options);
        _connectionString = options.EffectiveConnectionString();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Membership_writes_are_conditional_on_the_table_version()
    {
        var table = new AdoNetClusteringTable(
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new ClusterOptions { ClusterId = "cluster-a", ServiceId = "service" }),
            Options.Create(new AdoNetClusteringSiloOptions { Invariant = PostgreSqlHostingExtensions.Invariant, ConnectionString = _connectionString }),
            NullLogger<AdoNetClusteringTable>.Instance);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true); // the version row already exists

        var empty = await table.ReadAllAsync();
        Assert.Empty(empty.Members);
        Assert.Equal(0, empty.Version.Version);

        var first = Entry(11111, SiloStatus.Joining);
        Assert.True(await table.InsertRowAsync(first, empty.Version.Next()));
        // The same version again (another silo read it too) loses, and so does the same silo twice.
        Assert.False(await table.InsertRowAsync(Entry(11112, SiloStatus.Joining), empty.Version.Next()));
        var afterInsert = await table.ReadAllAsync();
        Assert.Equal(1, afterInsert.Version.Version);
        Assert.False(await table.InsertRowAsync(first, afterInsert.Version.Next()));

        var (stored, etag) = Assert.Single(afterInsert.Members);
        Assert.Equal(first.SiloAddress, stored.SiloAddress);
        Assert.Equal("silo-11111", stored.SiloName);
        Assert.Equal(first.StartTime, stored.StartTime, TimeSpan.FromMilliseconds(1));

        // A heartbeat changes no version, so an update with the version read before it still wins.
        stored.IAmAliveTime = DateTime.UtcNow.AddSeconds(5);
        await table.UpdateIAmAliveAsync(stored);
        Assert.Equal(1, (await table.ReadAllAsync()).Version.Version);

        stored.Status = SiloStatus.Active;
        stored.SuspectTimes = [Tuple.Create(Entry(22222, SiloStatus.Active).SiloAddress, DateTime.UtcNow)];
        Assert.True(await table.UpdateRowAsync(stored, etag, afterInsert.Version.Next()));
        Assert.False(await table.UpdateRowAsync(stored, etag, afterInsert.Version.Next()));

        var row = await table.ReadRowAsync(first.SiloAddress);
        Assert.Equal(2, row.Version.Version);
        var (active, _) = Assert.Single(row.Members);
        Assert.Equal(SiloStatus.Active, active.Status);
        Assert.Single(active.SuspectTimes!);

        // A silo that is not in the table reads as the version alone.
        var missing = await table.ReadRowAsync(Entry(33333, SiloStatus.Active).SiloAddress);
        Assert.Empty(missing.Members);
        Assert.Equal(2, missing.Version.Version);

        // A client's gateway list: active silos, at their proxy ports.
        var gateways = new AdoNetGatewayListProvider(
            NullLogger<AdoNetGatewayListProvider>.Instance,
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new AdoNetClusteringClientOptions { Invariant = PostgreSqlHostingExtensions.Invariant, ConnectionString = _connectionString }),
            Options.Create(new GatewayOptions()),
            Options.Create(new ClusterOptions { ClusterId = "cluster-a", ServiceId = "service" }));
        await gateways.InitializeGatewayListProviderAsync();
        var gateway = Assert.Single(await gateways.GetGatewaysAsync());
        Assert.Equal(first.ProxyPort, gateway.Port);

        // Dead silos not heard from since the cutoff are removed; the rest of the cluster is not.
        active.Status = SiloStatus.Dead;
        Assert.True(await table.UpdateRowAsync(active, row.Version.VersionEtag, row.Version.Next()));
        await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Empty((await table.ReadAllAsync()).Members);

        await table.DeleteMembershipTableEntriesAsync("cluster-a");
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM OrleansMembershipVersionTable"));
    }

    [Fact]
    public async Task Reminders_are_upserted_read_by_grain_and_hash_range_and_deleted_by_etag()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.Configure<ClusterOptions>(options => { options.ClusterId = "cluster-a"; options.ServiceId = "service-a"; });
        services.UseAdoNetReminderService(options => options.Configure(reminders =>
        {
            reminders.Invariant = PostgreSqlHostingExtensions.Invariant;
            reminders.ConnectionString = _connectionString;
        }));
        await using var provider = services.BuildServiceProvider();
        var table = provider.GetRequiredService<IReminderTable>();
        await table.StartAsync();

        var grains = Enumerable.Range(0, 20).Select(_ => GrainId.Create("probe", Guid.NewGuid().ToString("N"))).ToArray();
        var start = DateTime.UtcNow;
        foreach (var grain in grains)
        {
            var etag = await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "r", StartAt = start, Period = TimeSpan.FromMinutes(1) });
            Assert.Equal("0", etag);
        }
        var updated = await table.UpsertRow(new ReminderEntry { GrainId = grains[0], ReminderName = "r", StartAt = start, Period = TimeSpan.FromDays(30) });
        Assert.Equal("1", updated);

        var read = await table.ReadRow(grains[0], "r");
        Assert.NotNull(read);
        Assert.Equal(TimeSpan.FromDays(30), read.Period);
        Assert.Equal(start, read.StartAt, TimeSpan.FromMilliseconds(1));
        Assert.Equal("1", read.ETag);
        Assert.Null(await table.ReadRow(grains[0], "other"));
        Assert.Single((await table.ReadRows(grains[1])).Reminders);

        // Hash ranges: (begin, end], wrapping past uint.MaxValue when begin >= end; two halves make the whole ring.
        var all = (await table.ReadRows(0u, 0u)).Reminders;
        Assert.Equal(grains.Length, all.Count);
        var low = (await table.ReadRows(0u, 0x8000_0000u)).Reminders;
        var high = (await table.ReadRows(0x8000_0000u, 0u)).Reminders;
        Assert.Equal(grains.Length, low.Count + high.Count);
        Assert.All(low, r => Assert.InRange(r.GrainId.GetUniformHashCode(), 1u, 0x8000_0000u));
        var middle = (await table.ReadRows(0x4000_0000u, 0xC000_0000u)).Reminders;
        Assert.All(middle, r => Assert.InRange(r.GrainId.GetUniformHashCode(), 0x4000_0001u, 0xC000_0000u));
        Assert.Equal(grains.Count(g => g.GetUniformHashCode() is > 0x4000_0000u and <= 0xC000_0000u), middle.Count);

        Assert.False(await table.RemoveRow(grains[0], "r", "0"));
        Assert.True(await table.RemoveRow(grains[0], "r", "1"));
        Assert.Null(await table.ReadRow(grains[0], "r"));

        await table.TestOnlyClearTable();
        Assert.Empty((await table.ReadRows(0u, 0u)).Reminders);
    }

    private static MembershipEntry Entry(int port, SiloStatus status) => new()
    {
        SiloAddress = SiloAddress.New(IPAddress.Loopback, port, 7),
        SiloName = $"silo-{port}",
        HostName = "host",
        Status = status,
        ProxyPort = port + 1000,
        StartTime = DateTime.UtcNow,
        IAmAliveTime = DateTime.UtcNow,
    };
}

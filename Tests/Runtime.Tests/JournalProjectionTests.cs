using System.Globalization;
using Granary.Hosting;
using Granary.TestingHost;
using Granary.Tests.Grains;

namespace Granary.Tests;

/// <summary>State that is a projection of its journal: snapshots every few entries, replay on activation, group commit.</summary>
public sealed class JournalProjectionTests : IDisposable
{
    private readonly Probe _probe = new();
    private readonly string _dataPath = Directory.CreateTempSubdirectory("granary-projection-").FullName;

    private Task<TestCluster> StartAsync(bool sqlite) => Clusters.StartAsync(_probe, builder =>
    {
        builder.Configure("JournaledState:SnapshotInterval", "5");
        if (!sqlite) return;
        builder.UseSharedMemoryProviders = false;
        builder.Configure("Data:Path", _dataPath);
        builder.ConfigureSilo(silo => silo.AddSqliteGrainStorage().UseSqliteReminderService());
    });

    [Theory]
    [InlineData(false, true)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(true, false)]
    public async Task The_state_is_rebuilt_from_the_snapshot_and_the_entries_after_it(bool sqlite, bool graceful)
    {
        await using var cluster = await StartAsync(sqlite);
        var account = cluster.GrainFactory.GetGrain<IAccountGrain>("a");
        for (var i = 1; i <= 13; i++) await account.Post(i * 100, $"post {i}");
        await account.Post(-50, "spend");

        await cluster.RestartSiloAsync(cluster.Primary, graceful);
        account = cluster.GrainFactory.GetGrain<IAccountGrain>("a");

        Assert.Equal(13 * 14 / 2 * 100 - 50, await account.Balance());
        Assert.Equal(14, await account.Postings());
        Assert.Equal(await account.Balance(), await account.SumOfJournal());
        Assert.Equal(9_150, await account.Post(100, "after restart"));
    }

    [Fact]
    public async Task Concurrent_writes_of_a_reentrant_grain_share_commits_and_lose_nothing()
    {
        await using var cluster = await StartAsync(sqlite: true);
        var account = cluster.GrainFactory.GetGrain<IAccountGrain>("hot");
        const int Posts = 400;

        await Task.WhenAll(Enumerable.Range(1, Posts).Select(i => account.Post(i, $"post {i}")));

        Assert.Equal(Posts * (Posts + 1) / 2, await account.Balance());
        Assert.Equal(Posts, await account.Postings());
        Assert.Equal(await account.Balance(), await account.SumOfJournal());
        // The ETag is the number of writes: far fewer than the posts, because posts made while a write was in
        // flight went out together in the next one.
        var writes = long.Parse((await account.Etag())!, CultureInfo.InvariantCulture);
        Assert.True(writes <= Posts / 2, $"{writes} writes for {Posts} posts");

        await cluster.RestartSiloAsync(cluster.Primary, graceful: false);
        Assert.Equal(Posts * (Posts + 1) / 2, await cluster.GrainFactory.GetGrain<IAccountGrain>("hot").Balance());
    }

    [Fact]
    public async Task Every_acknowledged_post_is_stored_under_sustained_concurrency()
    {
        await using var cluster = await StartAsync(sqlite: true);
        var account = cluster.GrainFactory.GetGrain<IAccountGrain>("sustained");
        long acknowledged = 0;

        // Callers that post again as soon as they are answered keep a write in flight nearly all the time: the
        // moment a write ends is when a new caller queues behind it, which is where a coalescer can go wrong.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(caller => Task.Run(async () =>
        {
            for (var i = 0; i < 150; i++)
            {
                await account.Post(1, $"caller {caller} post {i}");
                Interlocked.Increment(ref acknowledged);
            }
        })));
        Assert.Equal(acknowledged, await account.Balance());

        await cluster.RestartSiloAsync(cluster.Primary, graceful: false);
        account = cluster.GrainFactory.GetGrain<IAccountGrain>("sustained");
        Assert.Equal(acknowledged, await account.Balance());
        Assert.Equal(acknowledged, await account.SumOfJournal());
    }

    [Fact]
    public async Task A_refused_post_changes_nothing()
    {
        await using var cluster = await StartAsync(sqlite: true);
        var account = cluster.GrainFactory.GetGrain<IAccountGrain>("strict");
        await account.Post(100, "in");

        await Assert.ThrowsAsync<InvalidOperationException>(() => account.Post(-101, "too much"));

        Assert.Equal(100, await account.Balance());
        Assert.Equal(1, await account.Postings());
    }

    public void Dispose() => Directory.Delete(_dataPath, recursive: true);
}

using Granary.Hosting;
using Granary.Storage;
using Granary.TestingHost;
using Granary.Tests.Grains;

namespace Granary.Tests;

/// <summary>The runtime on the embedded default: grain state, ledgers and reminders in one SQLite file.</summary>
public sealed class SqliteClusterTests : IDisposable
{
    private readonly Probe _probe = new();
    private readonly string _dataPath = Directory.CreateTempSubdirectory("granary-cluster-").FullName;

    private Task<TestCluster> StartAsync(int silos = 1) => Clusters.StartAsync(_probe, builder =>
    {
        builder.InitialSilosCount = silos;
        builder.UseSharedMemoryProviders = false;
        builder.Configure("Data:Path", _dataPath);
        builder.ConfigureSilo(silo => silo.AddSqliteGrainStorage().UseSqliteReminderService());
    });

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task State_and_ledger_survive_a_silo_restart(bool graceful)
    {
        await using var cluster = await StartAsync();
        await cluster.GrainFactory.GetGrain<IPersistentCounterGrain>("c").Add(41);
        await cluster.GrainFactory.GetGrain<ILedgerGrain>("l").Post([new(10_000, "charge"), new(-3_000, "spend")], "mixed");

        await cluster.RestartSiloAsync(cluster.Primary, graceful);

        Assert.Equal(42, await cluster.GrainFactory.GetGrain<IPersistentCounterGrain>("c").Add(1));
        var ledger = cluster.GrainFactory.GetGrain<ILedgerGrain>("l");
        Assert.Equal(7_000, await ledger.Balance());
        Assert.Equal(7_000, (await ledger.Lines(null, 100)).Sum(l => l.Value.Amount));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_reminder_registered_before_a_restart_fires_after_it(bool graceful)
    {
        await using var cluster = await StartAsync();
        await cluster.GrainFactory.GetGrain<IReminderGrain>("r").Start("due", TimeSpan.FromMinutes(5), TimeSpan.FromHours(1));

        await cluster.RestartSiloAsync(cluster.Primary, graceful);
        cluster.Clock.Advance(TimeSpan.FromMinutes(5));

        await _probe.WaitAsync("reminder:r:due");
    }

    [Fact]
    public async Task Two_activations_of_one_grain_on_one_file_cannot_both_commit()
    {
        await using var cluster = await StartAsync(silos: 2);
        var onFirst = cluster.Silos[0].GrainFactory.GetGrain<ILedgerGrain>("contested");
        var onSecond = cluster.Silos[1].GrainFactory.GetGrain<ILedgerGrain>("contested");
        await onFirst.Balance();
        await onSecond.Balance();

        await onFirst.Post([new(500, "first")], "charge");
        await Assert.ThrowsAsync<InconsistentStateException>(() => onSecond.Post([new(700, "second")], "charge"));

        Assert.Equal(500, await onSecond.Balance());
        Assert.Equal(1_200, await onSecond.Post([new(700, "second, retried")], "charge"));
        Assert.Equal(1_200, (await onFirst.Lines(null, 10)).Sum(l => l.Value.Amount));
    }

    [Fact]
    public async Task Many_concurrent_journaled_writes_keep_the_ledger_equal_to_the_balance()
    {
        await using var cluster = await StartAsync();
        var ledger = cluster.GrainFactory.GetGrain<ILedgerGrain>("busy");

        await Task.WhenAll(Enumerable.Range(1, 500).Select(i => ledger.Post([new(i, $"charge {i}")], "charge")));

        var lines = await ledger.Lines(null, 1_000);
        Assert.Equal(500, lines.Count);
        Assert.Equal(500 * 501 / 2, await ledger.Balance());
        Assert.Equal(await ledger.Balance(), lines.Sum(l => l.Value.Amount));
    }

    public void Dispose() => Directory.Delete(_dataPath, recursive: true);
}

using Granary.Hosting;
using Granary.Membership;
using Granary.Tests.Grains;
using Granary.TestingHost;
using Microsoft.Extensions.DependencyInjection;

namespace Granary.Tests.Cluster;

/// <summary>Silos calling each other over the in-process network.</summary>
public sealed class InProcessClusterTests : ClusterTests
{
    protected override bool OverTcp => false;
}

/// <summary>Silos calling each other over TCP on loopback, as separate processes would.</summary>
public sealed class TcpClusterTests : ClusterTests
{
    protected override bool OverTcp => true;
}

/// <summary>Three silos in one process over a shared membership table: placement, failover, joins and reminders.</summary>
public abstract class ClusterTests
{
    protected abstract bool OverTcp { get; }

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>Long enough for a killed silo to be declared dead: the death timeout and two heartbeats.</summary>
    private static readonly TimeSpan DeathDetection =
        ClusterMembershipOptions.DefaultDeathTimeout + 2 * ClusterMembershipOptions.DefaultIAmAlivePeriod;

    private readonly Probe _probe = new();

    private async Task<TestCluster> StartClusterAsync(int silos = 3, Action<TestClusterBuilder>? configure = null)
    {
        var cluster = await Clusters.StartAsync(_probe, builder =>
        {
            builder.UseClustering = true;
            builder.UseTcpTransport = OverTcp;
            builder.InitialSilosCount = silos;
            configure?.Invoke(builder);
        });
        await cluster.RefreshMembershipAsync();
        return cluster;
    }

    [Fact]
    public async Task Calls_reach_grains_wherever_they_live_and_each_grain_lives_on_one_silo()
    {
        await using var cluster = await StartClusterAsync();
        var grains = Enumerable.Range(0, 60).Select(i => $"c{i}").ToArray();

        for (var i = 0; i < grains.Length; i++)
            Assert.Equal(1, await cluster.Silos[i % 3].GrainFactory.GetGrain<ICounterGrain>(grains[i]).Increment());
        for (var i = 0; i < grains.Length; i++)
            Assert.Equal(1, await cluster.Silos[(i + 1) % 3].GrainFactory.GetGrain<ICounterGrain>(grains[i]).Get());

        foreach (var key in grains)
            Assert.Single(cluster.Silos, silo => silo.HasActivation(GrainIdOf<ICounterGrain>(cluster, key)));
        Assert.All(cluster.Silos, silo => Assert.True(silo.ActivationCount > 0, $"{silo} holds no grain"));
    }

    [Fact]
    public async Task Every_silo_sees_the_others_active_with_their_activations()
    {
        await using var cluster = await StartClusterAsync();
        for (var i = 0; i < 30; i++) await cluster.GrainFactory.GetGrain<ICounterGrain>($"seen{i}").Increment();
        await cluster.AdvanceMembershipAsync(ClusterMembershipOptions.DefaultIAmAlivePeriod);

        foreach (var silo in cluster.Silos)
        {
            var view = silo.Services.GetRequiredService<IClusterOverview>().GetSilos();
            Assert.Equal(3, view.Count);
            Assert.All(view, summary => Assert.Equal(SiloStatus.Active, summary.Status));
            Assert.Equal(30, view.Sum(summary => summary.ActivationCount));
            Assert.Null(silo.Services.GetRequiredService<IClusterOverview>().NotReadyReason);
        }
    }

    [Fact]
    public async Task Stopping_a_silo_moves_its_grains_with_their_state()
    {
        await using var cluster = await StartClusterAsync();
        var keys = Enumerable.Range(0, 30).Select(i => $"p{i}").ToArray();
        foreach (var key in keys) Assert.Equal(5, await cluster.GrainFactory.GetGrain<IPersistentCounterGrain>(key).Add(5));
        var leaving = cluster.Silos[1];
        var leavingAddress = leaving.Address;
        var moved = keys.Where(key => leaving.HasActivation(GrainIdOf<IPersistentCounterGrain>(cluster, key))).ToArray();
        Assert.NotEmpty(moved);

        await cluster.StopSiloAsync(leaving);
        await cluster.RefreshMembershipAsync();

        foreach (var key in keys) Assert.Equal(6, await cluster.GrainFactory.GetGrain<IPersistentCounterGrain>(key).Add(1));
        foreach (var key in moved)
            Assert.Single(cluster.Silos, silo => silo.HasActivation(GrainIdOf<IPersistentCounterGrain>(cluster, key)));
        var row = Assert.Single(await cluster.Membership.ReadAllAsync(), row => row.Address == leavingAddress);
        Assert.Equal(SiloStatus.Dead, row.Status);
    }

    [Fact]
    public async Task A_killed_silo_is_declared_dead_and_its_grains_come_back_elsewhere_with_every_acknowledged_write()
    {
        await using var cluster = await StartClusterAsync();
        var keys = Enumerable.Range(0, 30).Select(i => $"k{i}").ToArray();
        foreach (var key in keys) await cluster.GrainFactory.GetGrain<IPersistentCounterGrain>(key).Add(7);
        var victim = cluster.Silos[2];
        var victimAddress = victim.Address;
        var lost = keys.Where(key => victim.HasActivation(GrainIdOf<IPersistentCounterGrain>(cluster, key))).ToArray();
        Assert.NotEmpty(lost);

        await cluster.KillSiloAsync(victim);
        await Assert.ThrowsAsync<SiloUnavailableException>(() => cluster.GrainFactory.GetGrain<IPersistentCounterGrain>(lost[0]).Get());
        await cluster.AdvanceMembershipAsync(DeathDetection);

        foreach (var key in keys) Assert.Equal(8, await cluster.GrainFactory.GetGrain<IPersistentCounterGrain>(key).Add(1));
        var row = Assert.Single(await cluster.Membership.ReadAllAsync(), r => r.Address == victimAddress);
        Assert.Equal(SiloStatus.Dead, row.Status);
        Assert.All(cluster.Silos, silo => Assert.Contains(silo.Services.GetRequiredService<IClusterOverview>().GetSilos(),
            summary => summary.Id == victimAddress.ToString() && summary.Status == SiloStatus.Dead));
    }

    [Fact]
    public async Task In_steady_state_each_reminder_tick_fires_once_on_the_silo_of_its_grain()
    {
        await using var cluster = await StartClusterAsync();
        var keys = Enumerable.Range(0, 30).Select(i => $"r{i}").ToArray();
        foreach (var key in keys) await cluster.GrainFactory.GetGrain<IReminderGrain>(key).Start("tick", Minute, Minute);

        for (var tick = 1; tick <= 3; tick++)
        {
            await cluster.AdvanceMembershipAsync(Minute);
            foreach (var key in keys) await _probe.WaitAsync($"reminder:{key}:tick", tick);
        }

        foreach (var key in keys)
        {
            Assert.Equal(3, _probe.Count($"reminder:{key}:tick"));
            var owner = Assert.Single(cluster.Silos, silo => silo.HasActivation(GrainIdOf<IReminderGrain>(cluster, key)));
            Assert.Equal(3, _probe.Count($"reminder-on:{owner.Address}:{key}:tick"));
        }
        Assert.All(cluster.Silos, silo => Assert.Contains(keys, key => silo.HasActivation(GrainIdOf<IReminderGrain>(cluster, key))));
    }

    [Fact]
    public async Task The_reminders_of_a_killed_silo_keep_firing_on_the_others()
    {
        await using var cluster = await StartClusterAsync();
        var keys = Enumerable.Range(0, 30).Select(i => $"t{i}").ToArray();
        foreach (var key in keys) await cluster.GrainFactory.GetGrain<IReminderGrain>(key).Start("tick", Minute, Minute);
        await cluster.AdvanceMembershipAsync(Minute);
        foreach (var key in keys) await _probe.WaitAsync($"reminder:{key}:tick", 1);
        var victim = cluster.Silos[0];
        var orphaned = keys.Where(key => victim.HasActivation(GrainIdOf<IReminderGrain>(cluster, key))).ToArray();
        Assert.NotEmpty(orphaned);

        await cluster.KillSiloAsync(victim);
        await cluster.AdvanceMembershipAsync(Minute);
        await cluster.AdvanceMembershipAsync(Minute);

        foreach (var key in orphaned)
        {
            await _probe.WaitAsync($"reminder:{key}:tick", 3);
            Assert.Contains(cluster.Silos, silo => _probe.Count($"reminder-on:{silo.Address}:{key}:tick") >= 2);
        }
    }

    [Fact]
    public async Task A_silo_that_joins_takes_its_share_of_grains_and_reminders_without_double_ticks()
    {
        await using var cluster = await StartClusterAsync(silos: 2);
        var keys = Enumerable.Range(0, 40).Select(i => $"j{i}").ToArray();
        foreach (var key in keys) await cluster.GrainFactory.GetGrain<IReminderGrain>(key).Start("tick", Minute, Minute);

        var joined = await cluster.StartSiloAsync();
        await cluster.RefreshMembershipAsync();
        for (var tick = 1; tick <= 2; tick++)
        {
            await cluster.AdvanceMembershipAsync(Minute);
            foreach (var key in keys) await _probe.WaitAsync($"reminder:{key}:tick", tick);
        }

        foreach (var key in keys)
        {
            Assert.Equal(2, _probe.Count($"reminder:{key}:tick"));
            Assert.Single(cluster.Silos, silo => silo.HasActivation(GrainIdOf<IReminderGrain>(cluster, key)));
        }
        var taken = keys.Where(key => joined.HasActivation(GrainIdOf<IReminderGrain>(cluster, key))).ToArray();
        Assert.NotEmpty(taken);
        Assert.All(taken, key => Assert.Equal(2, _probe.Count($"reminder-on:{joined.Address}:{key}:tick")));
    }

    [Fact]
    public async Task Grains_called_before_a_join_move_to_the_new_silo_and_are_active_once()
    {
        await using var cluster = await StartClusterAsync(silos: 2);
        var keys = Enumerable.Range(0, 40).Select(i => $"m{i}").ToArray();
        foreach (var key in keys) await cluster.GrainFactory.GetGrain<IPersistentCounterGrain>(key).Add(1);

        var joined = await cluster.StartSiloAsync();
        await cluster.RefreshMembershipAsync();
        foreach (var key in keys) Assert.Equal(2, await cluster.Silos[0].GrainFactory.GetGrain<IPersistentCounterGrain>(key).Add(1));

        foreach (var key in keys)
            Assert.Single(cluster.Silos, silo => silo.HasActivation(GrainIdOf<IPersistentCounterGrain>(cluster, key)));
        Assert.True(joined.ActivationCount > 0);
    }

    [Fact]
    public async Task A_silo_declared_dead_while_it_still_runs_stops_itself()
    {
        await using var cluster = await StartClusterAsync(silos: 2);
        var doomed = cluster.Silos[1];
        Assert.True(await cluster.Membership.DeclareDeadAsync(doomed.Address, cluster.Clock.GetUtcNow().AddDays(1)));

        await cluster.AdvanceMembershipAsync(ClusterMembershipOptions.DefaultIAmAlivePeriod);

        Assert.Equal(SiloStatus.Dead, doomed.Services.GetRequiredService<ILocalSiloDetails>().Status);
        Assert.Equal(0, doomed.ActivationCount);
        Assert.Equal(1, await cluster.Silos[0].GrainFactory.GetGrain<ICounterGrain>("after").Increment());
    }

    [Fact]
    public async Task The_rows_of_dead_silos_are_removed_after_the_retention_and_live_ones_stay()
    {
        var retention = TimeSpan.FromSeconds(30);
        await using var cluster = await StartClusterAsync(configure: b => b.Configure("Membership:DefunctSiloRetention", retention.ToString()));
        var victim = cluster.Silos[1];
        var victimAddress = victim.Address;
        await cluster.KillSiloAsync(victim);

        await cluster.AdvanceMembershipAsync(DeathDetection);
        Assert.Contains(await cluster.Membership.ReadAllAsync(), row => row.Address == victimAddress && row.Status == SiloStatus.Dead);

        await cluster.AdvanceMembershipAsync(retention);
        var rows = await cluster.Membership.ReadAllAsync();
        Assert.DoesNotContain(rows, row => row.Address == victimAddress);
        Assert.Equal(2, rows.Count(row => row.Status == SiloStatus.Active));
    }

    private static GrainId GrainIdOf<TGrain>(TestCluster cluster, string key) where TGrain : IGrainWithStringKey =>
        cluster.GrainFactory.GetGrain<TGrain>(key).GetGrainId();
}

using Granary.Client;
using Granary.Hosting;
using Granary.Membership;
using Granary.Tests.Grains;
using Granary.TestingHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Granary.Tests.Cluster;

/// <summary>A process that hosts no grains (the API in cluster mode) calling the silos of a cluster over TCP.</summary>
public sealed class ClusterClientTests
{
    private readonly Probe _probe = new();

    [Fact]
    public async Task A_client_sends_each_call_to_the_silo_of_its_grain()
    {
        await using var cluster = await StartClusterAsync();
        using var client = await StartClientAsync(cluster);
        var grains = client.Services.GetRequiredService<IGrainFactory>();

        for (var i = 0; i < 60; i++) Assert.Equal(1, await grains.GetGrain<ICounterGrain>($"from-client-{i}").Increment());

        for (var i = 0; i < 60; i++)
        {
            var grainId = grains.GetGrain<ICounterGrain>($"from-client-{i}").GetGrainId();
            Assert.Single(cluster.Silos, silo => silo.HasActivation(grainId));
            Assert.Equal(1, await cluster.Silos[i % 3].GrainFactory.GetGrain<ICounterGrain>($"from-client-{i}").Get());
        }
        Assert.All(cluster.Silos, silo => Assert.True(silo.ActivationCount > 0));
        var overview = client.Services.GetRequiredService<IClusterOverview>();
        Assert.Null(overview.NotReadyReason);
        Assert.Equal(3, overview.GetSilos().Count(silo => silo.Status == SiloStatus.Active));
    }

    [Fact]
    public async Task A_client_follows_a_silo_leaving_and_keeps_reaching_every_grain()
    {
        await using var cluster = await StartClusterAsync();
        using var client = await StartClientAsync(cluster);
        var grains = client.Services.GetRequiredService<IGrainFactory>();
        for (var i = 0; i < 30; i++) await grains.GetGrain<IPersistentCounterGrain>($"kept-{i}").Add(10);

        await cluster.StopSiloAsync(cluster.Silos[0]);
        await cluster.RefreshMembershipAsync();
        await client.Services.GetRequiredService<ClusterClient>().RefreshAsync();

        for (var i = 0; i < 30; i++) Assert.Equal(11, await grains.GetGrain<IPersistentCounterGrain>($"kept-{i}").Add(1));
    }

    [Fact]
    public async Task With_no_active_silo_a_client_is_not_ready_and_its_calls_fail_at_once()
    {
        await using var cluster = await StartClusterAsync();
        using var client = await StartClientAsync(cluster);
        foreach (var silo in cluster.Silos.ToArray()) await cluster.StopSiloAsync(silo);
        await client.Services.GetRequiredService<ClusterClient>().RefreshAsync();

        Assert.NotNull(client.Services.GetRequiredService<IClusterOverview>().NotReadyReason);
        await Assert.ThrowsAsync<SiloUnavailableException>(() =>
            client.Services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>("nobody").Increment());
    }

    private async Task<TestCluster> StartClusterAsync()
    {
        var cluster = await Clusters.StartAsync(_probe, builder =>
        {
            builder.UseClustering = true;
            builder.UseTcpTransport = true;
            builder.InitialSilosCount = 3;
        });
        await cluster.RefreshMembershipAsync();
        return cluster;
    }

    private static async Task<IHost> StartClientAsync(TestCluster cluster)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Services.AddSingleton<TimeProvider>(cluster.Clock);
        builder.Services.AddGranaryClient(builder.Configuration, client =>
        {
            client.AddGrains(typeof(CounterGrain).Assembly);
            client.Services.AddSingleton<IMembershipTable>(cluster.Membership);
            client.UseTcpTransport();
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
